package com.portfoliostream.ingest.stream;

import com.portfoliostream.broker.accounts.BrokerAccount;
import com.portfoliostream.ingest.fills.FillPipeline;
import com.portfoliostream.ingest.lease.Fence;
import com.portfoliostream.ingest.lease.LeaseBalancer;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.net.URI;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trading streams this node runs, one session per account whose lease it holds, each feeding
 * the fill pipeline under that lease's fence; and the last state of every stream it ran, for
 * health checks and tests. A write refused by the fence stops the stream at once ({@link #leaseLost}).
 */
public final class TradingStreams implements LeaseBalancer.Streams {

  private static final Logger LOG = LoggerFactory.getLogger(TradingStreams.class);

  private final Vertx vertx;
  private final WebSocketClient sockets;
  private final URI url;
  private final FillPipeline fills;
  private final Runnable poisoned;
  private final Map<UUID, TradingStreamSession> sessions = new HashMap<>();
  private final Map<UUID, Fence> fences = new HashMap<>();
  private final Map<UUID, StreamState> states = new ConcurrentHashMap<>();

  /** {@code poisoned} is told of every unreadable message a session drops. */
  public TradingStreams(Vertx vertx, WebSocketClient sockets, URI url, FillPipeline fills, Runnable poisoned) {
    this.vertx = vertx;
    this.sockets = sockets;
    this.url = url;
    this.fills = fills;
    this.poisoned = poisoned;
  }

  @Override
  public Set<UUID> running() {
    return Collections.unmodifiableSet(sessions.keySet());
  }

  @Override
  public void start(BrokerAccount account, Fence fence) {
    TradingStreamSession session = new TradingStreamSession(vertx, sockets, account, url,
        update -> fills.apply(fence, account, update), a -> fills.backfillThenReconcile(fence, a),
        state -> stateChanged(account, state), poisoned);
    sessions.put(account.id(), session);
    fences.put(account.id(), fence);
    session.start();
  }

  @Override
  public void stop(UUID accountId) {
    fences.remove(accountId);
    TradingStreamSession session = sessions.remove(accountId);
    if (session != null) {
      session.stop();
    }
  }

  /**
   * A write made under {@code fence} was refused: another node holds the lease now, or it lapsed.
   * The stream it was made for stops (unless it already runs under a newer fence); whatever it had
   * not applied is the next holder's to fetch.
   */
  public void leaseLost(Fence fence) {
    fences.entrySet().stream().filter(e -> e.getValue().equals(fence)).map(Map.Entry::getKey).findFirst()
        .ifPresent(accountId -> {
          LOG.warn("A write under lease token {} was refused: this node lost the stream lease of account {}; "
              + "stopping its stream", fence.token(), accountId);
          stop(accountId);
        });
  }

  public int count() {
    return sessions.size();
  }

  /** Reconciles, in each account's own queue, the accounts whose stream is listening. */
  public void reconcileListening(List<BrokerAccount> accounts) {
    for (BrokerAccount account : accounts) {
      TradingStreamSession session = sessions.get(account.id());
      if (session != null && session.state() == StreamState.LISTENING) {
        Fence fence = fences.get(account.id());
        session.runExclusive(() -> fills.reconcile(fence, account));
      }
    }
  }

  /** The state of each trading stream this node runs or ran (safe from any thread). */
  public Map<UUID, StreamState> states() {
    return Map.copyOf(states);
  }

  private void stateChanged(BrokerAccount account, StreamState state) {
    LOG.debug("Trading stream of account {}: {}", account.id(), state);
    states.put(account.id(), state);
  }
}
