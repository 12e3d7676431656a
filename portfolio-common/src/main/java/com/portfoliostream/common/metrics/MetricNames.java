package com.portfoliostream.common.metrics;

/**
 * Every metric name of the cluster, as the technical design names them: the contract between the
 * modules that register meters in the node's registry and the admin role that reads them. Names
 * are Micrometer names; the Prometheus exposition adds {@code _total} to counters and
 * {@code _bucket}/{@code _count}/{@code _sum} to histograms.
 */
public final class MetricNames {

  /** Gauge: open sockets on this node. */
  public static final String ACTIVE_CONNECTIONS = "websocket_active_connections";
  /** Counter{type}: events received from the bus for users with sockets on this node. */
  public static final String EVENTS_EMITTED = "websocket_events_emitted";
  /** Counter{type}: entity states written to sockets, each socket counted after its subscription filter. */
  public static final String EVENTS_DELIVERED = "websocket_events_delivered";
  /** Counter{type,reason}: events not delivered (superseded in a slow socket's backlog, socket gone). */
  public static final String EVENTS_DROPPED = "websocket_events_dropped";
  /** Counter: event messages written to sockets, each socket counted after its subscription filter (the seed's totalMessagesDelivered). */
  public static final String MESSAGES_DELIVERED = "websocket_messages_delivered";
  /** Counter{status}: connection status changes the browser clients reported (POST /api/client-events). */
  public static final String CLIENT_STATUS_CHANGES = "client_status_changes";
  /** Counter: user frames out of batching, each handed to all of the user's sockets on the node. */
  public static final String FRAMES_SENT = "websocket_frames_sent";
  /** Histogram{type}: milliseconds from the broker event to its write on a socket, per socket. */
  public static final String EVENT_LATENCY = "websocket_event_latency_ms";
  /** Counter: socket handshakes refused for want of a valid session. */
  public static final String AUTH_FAILURES = "websocket_auth_failures";
  /** Counter{reason}: sockets that ended, by reason ({@code client_close} when the client left). */
  public static final String DISCONNECTS = "websocket_disconnects";
  /** Counter: sockets opened by a user who lost one in the last minute. */
  public static final String RECONNECTS = "websocket_reconnects";
  /** Histogram: events carried by one frame. */
  public static final String BATCH_SIZE = "websocket_batch_size";
  /** Gauge: 1 − frames ÷ events since the node started. */
  public static final String BATCH_EFFICIENCY = "websocket_batch_efficiency";

  /**
   * Histogram (every node): milliseconds by which a timer on an event loop fired late, sampled on
   * each event loop every {@code EventLoopDelayVerticle.INTERVAL_MS}: how long work waited behind
   * whatever held the loop.
   */
  public static final String EVENT_LOOP_DELAY = "event_loop_delay_ms";

  /** Gauge (ingest role): seconds since the last event from the broker's streams. */
  public static final String BROKER_LAST_EVENT_AGE = "broker_last_event_age_seconds";
  /** Gauge (ingest role): broker accounts whose trading stream this node owns. */
  public static final String BROKER_STREAMS_OWNED = "broker_streams_owned";
  /** Gauge (ingest role): 1 while the market is open, else 0. */
  public static final String BROKER_MARKET_OPEN = "broker_market_open";
  /** Counter: broker executions applied to positions by this node. */
  public static final String BROKER_FILLS_APPLIED = "broker_fills_applied";
  /** Counter: broker executions received again (replay, backfill) and ignored. */
  public static final String BROKER_FILLS_DUPLICATE = "broker_fills_duplicate";
  /**
   * Counter (ingest role): broker executions the trading stream had not delivered, applied from
   * the REST backfill after a reconnect or by a reconciliation (a subset of the applied ones).
   */
  public static final String BROKER_FILLS_RECOVERED = "broker_fills_recovered";
  /**
   * Counter{stream} (ingest role): broker stream messages dropped as unreadable (malformed, or a
   * decimal out of bounds); {@code stream} is {@link #STREAM_TRADING} or {@link #STREAM_MARKET_DATA}.
   */
  public static final String BROKER_MESSAGES_POISON = "broker_messages_poison";
  /** Gauge (orders role): order jobs waiting to be claimed. */
  public static final String ORDER_QUEUE_DEPTH = "order_queue_depth";
  /** Counter{kind,outcome} (orders role): attempts at order jobs, by job kind and how they ended (done, dead, retry). */
  public static final String ORDER_JOB_ATTEMPTS = "order_job_attempts";

  /** Tag of the broker stream a message came on. */
  public static final String TAG_STREAM = "stream";
  public static final String STREAM_TRADING = "trading";
  public static final String STREAM_MARKET_DATA = "market_data";
  /** Tag of the event type ({@code position_update}, ...). */
  public static final String TAG_TYPE = "type";
  /** Tag of an order job's kind (submit, cancel). */
  public static final String TAG_KIND = "kind";
  /** Tag of how an order job's attempt ended. */
  public static final String TAG_OUTCOME = "outcome";
  /** Tag of a disconnect's or a drop's reason. */
  public static final String TAG_REASON = "reason";
  public static final String TAG_STATUS = "status";

  private MetricNames() {}
}
