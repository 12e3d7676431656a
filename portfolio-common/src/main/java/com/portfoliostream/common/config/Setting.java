package com.portfoliostream.common.config;

import com.portfoliostream.common.security.PasswordHashing;
import java.util.Arrays;
import java.util.Optional;

import static com.portfoliostream.common.config.SettingRule.bindAddress;
import static com.portfoliostream.common.config.SettingRule.cidrs;
import static com.portfoliostream.common.config.SettingRule.decimal;
import static com.portfoliostream.common.config.SettingRule.flag;
import static com.portfoliostream.common.config.SettingRule.integer;
import static com.portfoliostream.common.config.SettingRule.memberAddress;
import static com.portfoliostream.common.config.SettingRule.oneOf;
import static com.portfoliostream.common.config.SettingRule.percent;
import static com.portfoliostream.common.config.SettingRule.port;
import static com.portfoliostream.common.config.SettingRule.required;
import static com.portfoliostream.common.config.SettingRule.text;
import static com.portfoliostream.common.config.SettingRule.url;
import static com.portfoliostream.common.config.SettingRule.wholeLong;

/**
 * Every setting a node reads, with the values it accepts, its default and its meaning. The
 * environment variable and the key in a JSON config file share the name. This table is the documentation: the README's config
 * table is generated from the same words.
 */
public enum Setting {
  PORT(port(), "8080", "HTTP and WebSocket port of the stream role (0 picks a free port)"),
  ADMIN_PORT(port(), "8081", "Management HTTP port of every node (/metrics, /health, /readiness); with the admin role also the admin console and its API"),
  ADMIN_STATS_TIMEOUT_MS(integer(100, 60_000), "2000", "Milliseconds the admin role waits for every node's stats; a node that has not answered by then is reported missing"),
  SIM_PORT(port(), "8090", "HTTP/WebSocket port of the broker simulator role"),
  SIM_SEED(wholeLong(Long.MIN_VALUE, Long.MAX_VALUE), "42", "Seed of the simulator's random price walk: the same seed gives the same price path"),
  SIM_TICK_INTERVAL_MS(integer(0, 3_600_000), "1000", "Milliseconds between the simulator's price ticks; 0 moves prices only through its control API"),
  SIM_VOLATILITY_PERCENT(decimal("0", "10"), "0.1", "Standard deviation of one simulated price tick, in percent of the price"),
  SIM_PARTIAL_FILL_QTY(decimal("0.000000001", "1000000000"), "100", "Simulated liquidity per fill: larger orders fill in partial fills of this many shares"),
  SIM_PARTIAL_FILL_DELAY_MS(integer(0, 600_000), "200", "Milliseconds between the simulator's partial fills of one order"),
  SIM_REQUESTS_PER_MINUTE(integer(1, 1_000_000), "200", "Simulator REST requests per minute per API key before 429, as Alpaca's default"),
  SIM_CLOCK(oneOf("always_open", "us_market_hours"), "always_open", "Simulator market clock: always_open, or us_market_hours (09:30-16:00 New York, weekdays)"),
  SIM_CONTROL_TOKEN(text(), "", "Bearer token every call to the simulator's /sim/control API must carry (secret); empty generates a random one at start and logs it once"),
  BIND_HOST(bindAddress(), "127.0.0.1", "Address the public edge (the stream role's HTTP and WebSocket port: sign-in, REST, /ws/portfolio, the dashboard) listens on; 0.0.0.0 or :: for every interface"),
  ADMIN_BIND_HOST(bindAddress(), "127.0.0.1", "Address the management port listens on (/metrics, /health, /readiness; with the admin role the admin console and its API): for scrapers and operators, never the public"),
  SIM_BIND_HOST(bindAddress(), "127.0.0.1", "Address the broker simulator role listens on (its REST, streams and unauthenticated control API)"),
  ALLOW_PUBLIC_DEMO(flag(), "false", "true lets the demo users and the simulator run on a non-loopback address, and only with a DEMO_PASSWORD other than demo"),
  ROLES(text(), "all", "Comma-separated roles: stream, ingest, orders, admin, simulator, or all"),
  DATA_DIR(required(), "./data", "Folder for the embedded database and the generated credentials key"),
  DATABASE_URL(text(), "", "postgresql://user:password@host:port/db; empty starts an embedded PostgreSQL in DATA_DIR"),
  DATABASE_POOL_SIZE(integer(1, 100), "8", "Connections in the node's one PostgreSQL pool (1-100)"),
  CLUSTER_NAME(required(), "portfolio", "Hazelcast cluster name; only nodes with the same name join"),
  CLUSTER_HOST(memberAddress(), "127.0.0.1", "Address of this node on the cluster network: Hazelcast and the event bus bind only it and announce it (no wildcard)"),
  CLUSTER_PORT(integer(1, 65535), "5701", "First Hazelcast port tried; the next free one is taken when busy"),
  CLUSTER_MEMBERS(text(), "127.0.0.1:5701-5705", "Comma-separated host[:port[-port]] of nodes to join (TCP/IP, no multicast) when CLUSTER_DISCOVERY is members"),
  CLUSTER_DISCOVERY(oneOf(ClusterDiscovery.MEMBERS, ClusterDiscovery.KUBERNETES), ClusterDiscovery.MEMBERS, "How a node finds the others: members joins CLUSTER_MEMBERS over TCP/IP; kubernetes asks the Kubernetes API for the pods behind CLUSTER_KUBERNETES_SERVICE, ready or not (the pod's service account needs get and list on pods, endpoints and endpointslices)"),
  CLUSTER_KUBERNETES_SERVICE(text(), "", "With CLUSTER_DISCOVERY=kubernetes: the headless service selecting the cluster's pods (required then)"),
  CLUSTER_KUBERNETES_NAMESPACE(text(), "", "With CLUSTER_DISCOVERY=kubernetes: the namespace of that service; empty is the pod's own"),
  CLUSTER_BUS_PORT(port(), "0", "Port the clustered event bus listens on, on CLUSTER_HOST; 0 picks a free one. Fix it where a firewall or a NetworkPolicy names the cluster ports"),
  CLUSTER_TLS_CERT_PATH(text(), "", "PEM certificate of this node on the event bus, signed by CLUSTER_TLS_CA_PATH; required (with the key and CA) when CLUSTER_HOST is not loopback"),
  CLUSTER_TLS_KEY_PATH(text(), "", "PEM private key of CLUSTER_TLS_CERT_PATH (secret: keep the file readable by the node only)"),
  CLUSTER_TLS_CA_PATH(text(), "", "PEM certificate(s) a peer's event-bus certificate must chain to: the cluster CA (bin/cluster-certs), or the one shared node certificate"),
  DEMO(flag(), "", "true seeds the demo users and portfolios on first start; default true when ROLES=all"),
  DEMO_PASSWORD(required(), "demo", "Password of the demo users alice, bob and admin (secret)"),
  CREDENTIALS_KEY(text(), "", "Base64 AES-256 key encrypting broker credentials at rest (secret), read only by the ingest, orders and admin roles (and a DEMO=true node, to seal the demo's); empty reads CREDENTIALS_KEY_FILE. Given here, a key rotation needs a restart with the new key"),
  CREDENTIALS_KEY_FILE(text(), "", "File holding the base64 credentials key when CREDENTIALS_KEY is empty (owner-only; a mounted Secret works); empty is DATA_DIR/credentials.key, made on first start. Nodes read it again when bin/portfolio-admin keys rotate re-seals the secrets"),
  WEB_SIGNING_KEY(text(), "", "Base64 256-bit key the stream and admin roles sign CSRF tokens with (secret); every such node of a cluster needs the same; empty uses DATA_DIR/web-signing.key"),
  ENABLE_REALTIME_PORTFOLIO(flag(), "true", "false refuses /ws/portfolio with 503 and health reports realtimePortfolio false"),
  EDGE_EVENT_LOOPS(integer(0, 256), "0", "Event loops serving the stream edge's HTTP and sockets (instances of its socket-serving verticle sharing PORT; connections spread across them); 0 is one per CPU core"),
  SNAPSHOT_DEADLINE_MS(integer(100, 600_000), "10000", "Milliseconds a subscribe's snapshot may wait (queued behind others: at most half the database pool loads snapshots at once) before the socket gets error SNAPSHOT_TIMEOUT and the server retries it (three attempts)"),
  DRAIN_SECONDS(integer(0, 600), "5", "Seconds a stopping node (SIGTERM) keeps serving with its readiness down, so that the load balancer stops sending before its sockets close 1001 and it leaves the cluster; a DEMO node that does not set it drains 0 s (nothing balances it)"),
  MAX_CONNECTIONS(integer(1, 1_000_000), "100", "WebSocket capacity of one node; the next socket is closed 1013"),
  MAX_CONNECTIONS_PER_USER(integer(1, 1_000), "5", "Sockets one user may hold across the whole cluster; the next is closed 1008"),
  MAX_CONNECTIONS_PER_ADDRESS(integer(1, 100_000), "256", "HTTP and WebSocket connections one client address may hold on one server of a node (trusted proxies exempt); the next is closed at once"),
  REQUEST_HEADER_TIMEOUT_MS(integer(100, 120_000), "10000", "Milliseconds a new connection has to send a complete request line and headers before it is closed (slowloris)"),
  ALLOWED_ORIGINS(text(), "", "Comma-separated extra origins allowed to open sockets (the node's own origin always is)"),
  TRUSTED_PROXIES(cidrs(), "", "Comma-separated addresses or blocks (e.g. 10.0.0.0/8) of load balancers: from them, and only them, X-Forwarded-For names the client, whose address the sign-in throttle and the logs use; empty trusts none"),
  PROXY_PROTOCOL(flag(), "false", "true: every connection to the stream edge's port must begin with a PROXY protocol header (v1 or v2: HAProxy send-proxy-v2), or it is closed; from a TRUSTED_PROXIES peer the header's source is the client address. Requires TRUSTED_PROXIES"),
  SESSION_TIMEOUT_MINUTES(integer(1, 7 * 24 * 60), "30", "Idle minutes after which a session expires and its sockets close 1008"),
  SESSION_MAX_LIFETIME_HOURS(integer(1, 30 * 24), "12", "Hours after sign-in at which a session ends however much it is used (its sockets close 1008): the idle timeout alone never ends a session kept busy (1-720)"),
  MAX_SESSIONS_PER_USER(integer(1, 1_000), "10", "Signed-in sessions one user may hold; signing in once more ends the oldest (its sockets close 1008) (1-1000)"),
  MAX_SESSIONS(integer(1, 10_000_000), "100000", "Live signed-in sessions across the cluster; when that many are live, new sign-ins are refused with 503 SESSIONS_FULL and existing sessions stay (1-10000000)"),
  PASSWORD_HASH_ITERATIONS(integer(PasswordHashing.MIN_ITERATIONS, PasswordHashing.MAX_ITERATIONS), Integer.toString(PasswordHashing.ITERATIONS),
      "PBKDF2 iterations of every password hash the node makes from now on (existing hashes keep the count stored in them); lower only for benchmarks: sign-ins cost less CPU, and a node started below the default logs a warning (10000-10000000)"),
  COOKIE_SECURE(flag(), "", "true marks the session and CSRF cookies Secure and names them __Host-session and __Host-XSRF-TOKEN (set it when TLS ends at a load balancer); default true when the node serves TLS itself (TLS_CERT_PATH), else false"),
  MAX_CLIENT_MESSAGES_PER_SECOND(integer(1, 100_000), "100", "Client messages per socket per second before RATE_LIMITED"),
  HEARTBEAT_INTERVAL_MS(integer(100, 600_000), "15000", "Milliseconds between WebSocket pings to each socket"),
  HEARTBEAT_TIMEOUT_MS(integer(200, 1_200_000), "30000", "Milliseconds of silence after which a socket is closed"),
  SIGNIFICANCE_PERCENT(percent(), "0.1", "Price-driven position updates moving value by this percent or less are not sent"),
  BATCH_MODE(oneOf("deadline", "window"), "deadline", "How each user's frames are paced: deadline sends every position and account change within BATCH_DEADLINE_MS of its arrival; window is the fixed BATCH_WINDOW_MS window (fills and order updates never wait in either)"),
  BATCH_DEADLINE_MS(integer(10, 60_000), "450", "With BATCH_MODE=deadline: the longest a position or account change waits on the node, coalesced with others (the spec's 500 ms to the browser less 50 ms for the network)"),
  BATCH_WINDOW_MS(integer(10, 60_000), "1000", "With BATCH_MODE=window: the per-user batching window in milliseconds"),
  TLS_CERT_PATH(text(), "", "PEM certificate chain: with TLS_KEY_PATH the stream edge serves HTTPS/WSS and marks cookies Secure"),
  TLS_KEY_PATH(text(), "", "PEM private key of TLS_CERT_PATH"),
  BROKER_API_URL(url("http", "https"), "", "Alpaca trading REST base URL, e.g. https://paper-api.alpaca.markets; empty uses the simulator at SIM_BIND_HOST:SIM_PORT (127.0.0.1 when that is a wildcard)"),
  BROKER_STREAM_URL(url("ws", "wss"), "", "Alpaca trading stream (trade_updates) URL, e.g. wss://paper-api.alpaca.markets/stream; empty uses the simulator"),
  MARKET_DATA_URL(url("ws", "wss"), "", "Alpaca market-data stream URL ending in the feed, e.g. wss://stream.data.alpaca.markets/v2/iex; empty uses the simulator"),
  MARKET_DATA_KEY_ID(text(), "", "API key of the cluster's one market-data connection; empty uses the first broker account's key"),
  MARKET_DATA_SECRET(text(), "", "Secret of MARKET_DATA_KEY_ID (secret)"),
  RECONCILE_INTERVAL_SECONDS(integer(5, 86_400), "60", "Seconds between reconciliations of each account's positions and balances with the broker"),
  MARKET_DATA_STALE_SECONDS(integer(1, 3_600), "30", "Seconds without market data, while the market is open, before users are told DATA_STALE"),
  ORDER_WORKERS(integer(1, 64), "4", "Order jobs one orders node works on at the same time (1-64)"),
  ORDER_LEASE_SECONDS(integer(2, 600), "30", "Seconds a claimed order job stays a worker's; a job whose worker died is taken by another after that (2-600)"),
  ORDER_MAX_ATTEMPTS(integer(1, 100), "10", "Attempts at an order job before it is dead-lettered and the order marked failed (1-100)"),
  ORDER_RETRY_BASE_MS(integer(10, 60_000), "250", "First retry delay of an order job after a timeout, 5xx or 429; doubles with jitter up to 30 s (10-60000)"),
  ORDER_POLL_INTERVAL_MS(integer(50, 60_000), "1000", "Backstop poll of the order queue in milliseconds; jobs are normally picked up at once over the bus (50-60000)"),
  ORDER_QUEUE_LIMIT(integer(1, 1_000_000), "10000", "Order jobs waiting or running across the cluster before new orders are refused with 503 (1-1000000)"),
  ORDER_RATE_PER_MINUTE(integer(1, 100_000), "120", "Orders one user may place in any minute before 429 ORDER_RATE_LIMITED, so one trader cannot fill the shared queue (1-100000)"),
  MAX_OPEN_ORDERS_PER_USER(integer(1, 100_000), "500", "Open (not yet final) orders one user may hold before 429 OPEN_ORDER_LIMIT (1-100000)");

  private final SettingRule rule;
  private final String defaultValue;
  private final String description;

  Setting(SettingRule rule, String defaultValue, String description) {
    this.rule = rule;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** What values the setting accepts; checked for every setting when the config is loaded. */
  public SettingRule rule() {
    return rule;
  }

  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  public boolean isSecret() {
    return this == DEMO_PASSWORD || this == CREDENTIALS_KEY || this == WEB_SIGNING_KEY || this == DATABASE_URL
        || this == MARKET_DATA_SECRET || this == SIM_CONTROL_TOKEN;
  }

  public static Optional<Setting> named(String name) {
    return Arrays.stream(values()).filter(s -> s.name().equals(name)).findFirst();
  }
}
