package com.portfoliostream.node.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.Eventually;
import com.portfoliostream.testkit.NodeProcess;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The database of an ingest fault test read against its broker: every broker fill applied exactly
 * once (the same executions, as many trade rows, the same positions), and who holds each stream's
 * lease, by the database and by the nodes' own logs.
 */
public final class BrokerLedgerCheck {

  private static final Pattern TAKEN = Pattern.compile("now streams broker account (\\S+)");
  private static final Pattern GIVEN = Pattern.compile("handing account (\\S+) back|lease of account (\\S+);");
  private static final Pattern UP = Pattern.compile("Node (\\S+) up");

  private final Pool pool;
  private final FaultBroker broker;

  BrokerLedgerCheck(Pool pool, FaultBroker broker) {
    this.pool = pool;
    this.broker = broker;
  }

  /**
   * Waits until the database holds exactly the broker's fills of every account, then asserts none
   * is doubled (one trade row each) and the positions are the broker's; answers the fills per key.
   */
  Map<String, Integer> awaitEveryFillOnce(Duration within) throws Exception {
    Eventually.eventually(within, "the database's fills are the broker's, for every account", this::sameExecutions);
    Map<String, Integer> fills = new HashMap<>();
    for (String key : FaultBroker.keyIds()) {
      String account = accountId(key);
      int atBroker = broker.executions(key).size();
      assertThat(tradeRows(account)).as("trade rows of %s: one per broker fill", key).isEqualTo(atBroker);
      assertThat(positions(account)).as("positions of %s", key).isEqualTo(broker.positions(key));
      fills.put(key, atBroker);
    }
    return fills;
  }

  private boolean sameExecutions() throws Exception {
    for (String key : FaultBroker.keyIds()) {
      if (!executions(accountId(key)).equals(broker.executions(key))) {
        return false;
      }
    }
    return true;
  }

  String accountId(String key) throws Exception {
    return rows("SELECT id FROM broker_accounts WHERE api_key_id = $1", Tuple.of(key)).iterator().next()
        .getUUID("id").toString();
  }

  private Set<String> executions(String account) throws Exception {
    Set<String> ids = new HashSet<>();
    rows("SELECT execution_id FROM trades WHERE account_id = $1::uuid", Tuple.of(account))
        .forEach(r -> ids.add(r.getString(0)));
    return ids;
  }

  private long tradeRows(String account) throws Exception {
    return rows("SELECT count(*) FROM trades WHERE account_id = $1::uuid", Tuple.of(account)).iterator().next()
        .getLong(0);
  }

  private Map<String, BigDecimal> positions(String account) throws Exception {
    Map<String, BigDecimal> positions = new HashMap<>();
    for (Row row : rows("SELECT symbol, qty, side FROM positions WHERE account_id = $1::uuid AND qty <> 0",
        Tuple.of(account))) {
      BigDecimal qty = row.getBigDecimal("qty");
      positions.put(row.getString("symbol"), ("short".equals(row.getString("side")) ? qty.negate() : qty)
          .stripTrailingZeros());
    }
    return positions;
  }

  /** The live holder of each account's stream lease, by key id (absent: no live lease). */
  Map<String, String> leaseHolders() throws Exception {
    Map<String, String> holders = new HashMap<>();
    for (String key : FaultBroker.keyIds()) {
      var rows = rows("SELECT holder FROM stream_leases WHERE stream = 'account:' || $1 AND expires_at > now()",
          Tuple.of(accountId(key)));
      if (rows.size() > 0) {
        holders.put(key, rows.iterator().next().getString("holder"));
      }
    }
    return holders;
  }

  private io.vertx.sqlclient.RowSet<Row> rows(String sql, Tuple args) throws Exception {
    return pool.preparedQuery(sql).execute(args).await(10, TimeUnit.SECONDS);
  }

  /** The node's id, as it said when it came up. */
  static String nodeId(NodeProcess node) {
    for (String line : node.output()) {
      Matcher up = UP.matcher(line);
      if (up.find()) {
        return up.group(1);
      }
    }
    throw new AssertionError("the node never said it was up");
  }

  /** The accounts a node streams, by its own log: taken, and not handed back or lost since. */
  public static Set<String> streamed(NodeProcess node) {
    Set<String> accounts = new HashSet<>();
    for (String line : node.output()) {
      Matcher taken = TAKEN.matcher(line);
      Matcher given = GIVEN.matcher(line);
      if (taken.find()) {
        accounts.add(taken.group(1));
      } else if (given.find()) {
        accounts.remove(given.group(1) != null ? given.group(1) : given.group(2));
      }
    }
    return accounts;
  }
}
