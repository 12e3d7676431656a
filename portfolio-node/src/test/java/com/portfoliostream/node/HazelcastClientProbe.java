package com.portfoliostream.node;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;

/**
 * A stranger with a Hazelcast client and the cluster's name, trying to reach the clustered maps
 * (where the sessions and the event bus registry live). Runs in the test's JVM, or alone (inside
 * another network namespace) printing {@code CONNECTED} or {@code REFUSED}.
 */
final class HazelcastClientProbe {

  static final String CONNECTED = "HAZELCAST-CLIENT CONNECTED";
  static final String REFUSED = "HAZELCAST-CLIENT REFUSED";

  private HazelcastClientProbe() {}

  static final String CLUSTER_NAME = "PROBE_CLUSTER_NAME";
  static final String MEMBER = "PROBE_MEMBER";

  /** The cluster name and the member's host:port come from PROBE_CLUSTER_NAME and PROBE_MEMBER. */
  public static void main(String[] args) {
    System.out.println(connects(System.getenv(CLUSTER_NAME), System.getenv(MEMBER)) ? CONNECTED : REFUSED);
  }

  /** Whether a client with the cluster name gets in within a few seconds (and can read a map). */
  static boolean connects(String clusterName, String member) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.getNetworkConfig().addAddress(member).setSmartRouting(false);
    config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(8_000);
    HazelcastInstance client;
    try {
      client = HazelcastClient.newHazelcastClient(config);
    } catch (RuntimeException refused) {
      return false;
    }
    try {
      client.getMap("vertx-web.sessions").size();
      return true;
    } finally {
      client.shutdown();
    }
  }
}
