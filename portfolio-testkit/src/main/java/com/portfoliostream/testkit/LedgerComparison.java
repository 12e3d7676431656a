package com.portfoliostream.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Whether the database equals the broker for one account, the broker (the simulator, read through
 * its control API) being the truth: positions (signed quantity, average entry price), orders
 * (status, filled quantity, filled average price, by client order id), trades (every broker fill
 * exactly once, same quantity and price, none the broker lacks) and balances (the newest snapshot's
 * cash, equity, buying power and last equity, at the cents the schema stores). Each disagreement is
 * one line naming both sides. Reads only; blocking (a test's or benchmark's thread).
 */
public final class LedgerComparison {

  /**
   * Average entry prices closer than this agree: the simulator rounds each running average to 6
   * places, the product to 9, so long runs of small fills drift apart by millionths.
   */
  public static final BigDecimal AVG_ENTRY_TOLERANCE = new BigDecimal("0.0001");
  private static final Set<String> REFUSED_HERE = Set.of("rejected", "failed");

  private static final String POSITIONS = "SELECT symbol, qty, side, avg_entry_price FROM positions WHERE account_id = $1";
  private static final String ORDERS = "SELECT client_order_id, broker_order_id, status, filled_qty, filled_avg_price "
      + "FROM orders WHERE account_id = $1";
  private static final String TRADES = "SELECT execution_id, qty, price FROM trades WHERE account_id = $1";
  private static final String BALANCES = "SELECT cash, equity, buying_power, last_equity FROM account_snapshots "
      + "WHERE account_id = $1 ORDER BY taken_at DESC, id DESC LIMIT 1";

  private final Pool pool;
  private final SimulatorControl broker;

  public LedgerComparison(Pool pool, SimulatorControl broker) {
    this.pool = pool;
    this.broker = broker;
  }

  /** One account of the comparison: its API key at the broker, its id in the database. */
  public record Account(String name, String keyId, UUID id) {}

  /**
   * What one comparison of an account found: its differences (empty: the database equals the
   * broker), what was compared, orders refused before they reached the broker (no broker copy,
   * rejected or failed here), and the largest average entry price gap within the tolerance.
   */
  public record Result(Account account, List<String> differences, int brokerFills, int trades, int brokerOrders,
      int refusedBeforeBroker, BigDecimal largestAvgEntryGap) {

    public boolean equal() {
      return differences.isEmpty();
    }
  }

  /** The demo account of {@code username} (its key from the demo portfolio), looked up in the database. */
  public Account account(String username, String keyId) throws Exception {
    RowSet<Row> rows = query("SELECT id FROM broker_accounts WHERE api_key_id = $1", Tuple.of(keyId));
    if (rows.size() == 0) {
      throw new IllegalStateException("no broker account for " + username + " in the database");
    }
    return new Account(username, keyId, rows.iterator().next().getUUID("id"));
  }

  public Result compare(Account account) throws Exception {
    List<String> differences = new ArrayList<>();
    BigDecimal gap = positions(account, differences);
    int[] orders = orders(account, differences);
    int[] fills = trades(account, differences);
    balances(account, differences);
    return new Result(account, List.copyOf(differences), fills[0], fills[1], orders[0], orders[1], gap);
  }

  /** Compares every account; the results in the same order. */
  public List<Result> compareAll(List<Account> accounts) throws Exception {
    List<Result> results = new ArrayList<>();
    for (Account account : accounts) {
      results.add(compare(account));
    }
    return results;
  }

  private BigDecimal positions(Account account, List<String> differences) throws Exception {
    Map<String, JsonObject> theirs = byKey(broker.positions(account.keyId()), "symbol");
    Map<String, Row> ours = new HashMap<>();
    query(POSITIONS, Tuple.of(account.id())).forEach(r -> ours.put(r.getString("symbol"), r));
    Set<String> symbols = new TreeSet<>(theirs.keySet());
    symbols.addAll(ours.keySet());
    BigDecimal largestGap = BigDecimal.ZERO;
    for (String symbol : symbols) {
      JsonObject broker = theirs.get(symbol);
      Row mine = ours.get(symbol);
      BigDecimal theirQty = broker == null ? BigDecimal.ZERO : new BigDecimal(broker.getString("qty"));
      BigDecimal myQty = mine == null ? BigDecimal.ZERO
          : "short".equals(mine.getString("side")) ? mine.getBigDecimal("qty").negate() : mine.getBigDecimal("qty");
      if (theirQty.compareTo(myQty) != 0) {
        differences.add(account.name() + " position " + symbol + ": qty " + plain(myQty) + " here, " + plain(theirQty)
            + " at the broker");
      } else if (theirQty.signum() != 0) {
        BigDecimal gap = mine.getBigDecimal("avg_entry_price").subtract(new BigDecimal(broker.getString("avg_entry_price"))).abs();
        if (gap.compareTo(AVG_ENTRY_TOLERANCE) > 0) {
          differences.add(account.name() + " position " + symbol + ": avg entry " + plain(mine.getBigDecimal("avg_entry_price"))
              + " here, " + broker.getString("avg_entry_price") + " at the broker");
        }
        largestGap = largestGap.max(gap);
      }
    }
    return largestGap;
  }

  /** {broker orders, refused before the broker}. */
  private int[] orders(Account account, List<String> differences) throws Exception {
    Map<String, JsonObject> theirs = byKey(broker.orders(account.keyId()), "client_order_id");
    Map<String, Row> ours = new HashMap<>();
    query(ORDERS, Tuple.of(account.id())).forEach(r -> ours.put(r.getString("client_order_id"), r));
    int refused = 0;
    for (Map.Entry<String, Row> entry : ours.entrySet()) {
      Row mine = entry.getValue();
      if (theirs.containsKey(entry.getKey())) {
        continue;
      }
      if (mine.getString("broker_order_id") == null && REFUSED_HERE.contains(mine.getString("status"))) {
        refused++;
      } else {
        differences.add(account.name() + " order " + entry.getKey() + ": " + mine.getString("status")
            + " here, unknown to the broker");
      }
    }
    for (JsonObject order : theirs.values()) {
      compareOrder(account, ours.get(order.getString("client_order_id")), order).ifPresent(differences::add);
    }
    return new int[] {theirs.size(), refused};
  }

  /** How our copy of the broker's {@code order} differs from it (status, filled quantity and price), if it does. */
  private static Optional<String> compareOrder(Account account, Row mine, JsonObject order) {
    String what = account.name() + " order " + order.getString("client_order_id") + ": ";
    String theirState = order.getString("status") + " " + plain(decimal(order, "filled_qty")) + " @ "
        + plain(decimal(order, "filled_avg_price"));
    if (mine == null) {
      return Optional.of(what + "missing here, " + theirState + " at the broker");
    }
    boolean same = mine.getString("status").equals(order.getString("status"))
        && sameDecimal(mine.getBigDecimal("filled_qty"), decimal(order, "filled_qty"))
        && sameDecimal(mine.getBigDecimal("filled_avg_price"), decimal(order, "filled_avg_price"));
    return same ? Optional.empty() : Optional.of(what + mine.getString("status") + " "
        + plain(mine.getBigDecimal("filled_qty")) + " @ " + plain(mine.getBigDecimal("filled_avg_price")) + " here, "
        + theirState + " at the broker");
  }

  /** {broker fills, trades here}. */
  private int[] trades(Account account, List<String> differences) throws Exception {
    Map<String, JsonObject> theirs = new HashMap<>();
    broker.fills(account.keyId()).forEach(f -> {
      JsonObject fill = (JsonObject) f;
      theirs.put(fill.getString("id").substring(fill.getString("id").indexOf("::") + 2), fill);
    });
    Map<String, List<Row>> ours = new HashMap<>();
    RowSet<Row> trades = query(TRADES, Tuple.of(account.id()));
    trades.forEach(r -> ours.computeIfAbsent(r.getString("execution_id"), k -> new ArrayList<>()).add(r));
    theirs.forEach((execution, fill) -> compareFill(account, execution, fill, ours.getOrDefault(execution, List.of()))
        .ifPresent(differences::add));
    ours.keySet().stream().filter(id -> !theirs.containsKey(id)).sorted()
        .forEach(id -> differences.add(account.name() + " trade " + id + ": here, not a fill at the broker"));
    return new int[] {theirs.size(), trades.size()};
  }

  /** How the trades recorded for one broker fill differ from it: not exactly one, or another quantity or price. */
  private static Optional<String> compareFill(Account account, String execution, JsonObject fill, List<Row> mine) {
    String what = account.name() + " fill " + execution + " (" + fill.getString("side") + " " + fill.getString("qty")
        + " " + fill.getString("symbol") + " @ " + fill.getString("price") + "): ";
    if (mine.size() != 1) {
      return Optional.of(what + mine.size() + " trades here");
    }
    Row trade = mine.get(0);
    boolean same = sameDecimal(trade.getBigDecimal("qty"), decimal(fill, "qty"))
        && sameDecimal(trade.getBigDecimal("price"), decimal(fill, "price"));
    return same ? Optional.empty()
        : Optional.of(what + plain(trade.getBigDecimal("qty")) + " @ " + plain(trade.getBigDecimal("price")) + " here");
  }

  private void balances(Account account, List<String> differences) throws Exception {
    JsonObject theirs = broker.account(account.keyId());
    RowSet<Row> rows = query(BALANCES, Tuple.of(account.id()));
    if (rows.size() == 0) {
      differences.add(account.name() + " balances: no snapshot here");
      return;
    }
    Row mine = rows.iterator().next();
    for (String field : List.of("cash", "equity", "buying_power", "last_equity")) {
      BigDecimal broker = cents(decimal(theirs, field));
      if (field.equals("buying_power")) {
        broker = broker.max(BigDecimal.ZERO.setScale(2));
      }
      if (mine.getBigDecimal(field).compareTo(broker) != 0) {
        differences.add(account.name() + " balances: " + field + " " + plain(mine.getBigDecimal(field)) + " here, "
            + plain(broker) + " at the broker");
      }
    }
  }

  private RowSet<Row> query(String sql, Tuple arguments) throws Exception {
    return pool.preparedQuery(sql).execute(arguments).await(30, TimeUnit.SECONDS);
  }

  private static Map<String, JsonObject> byKey(JsonArray array, String key) {
    Map<String, JsonObject> map = new HashMap<>();
    for (int i = 0; i < array.size(); i++) {
      map.put(array.getJsonObject(i).getString(key), array.getJsonObject(i));
    }
    return map;
  }

  private static BigDecimal decimal(JsonObject json, String field) {
    String value = json.getString(field);
    return value == null ? null : new BigDecimal(value);
  }

  private static boolean sameDecimal(BigDecimal a, BigDecimal b) {
    return a == null || b == null ? Objects.equals(a, b) : a.compareTo(b) == 0;
  }

  /** Money as the schema stores it: NUMERIC(24, 2), rounded half-even as the product rounds. */
  private static BigDecimal cents(BigDecimal amount) {
    return amount.setScale(2, RoundingMode.HALF_EVEN);
  }

  private static String plain(BigDecimal value) {
    return value == null ? "-" : value.stripTrailingZeros().toPlainString();
  }
}
