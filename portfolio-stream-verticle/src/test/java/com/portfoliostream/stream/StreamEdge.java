package com.portfoliostream.stream;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.Eventually;
import io.vertx.core.Promise;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;

/** The stream edge as the test cluster runs it on every node. */
public final class StreamEdge {

  public static final EdgeCluster.Role<StreamVerticle> ROLE =
      new EdgeCluster.Role<>(StreamVerticle::new, StreamVerticle::actualPort);

  private StreamEdge() {}

  /**
   * Waits until no node holds a socket and the cluster counts none for {@code users}: a test's
   * closed sockets are gone on the server too, so the next test starts with every slot free.
   */
  public static void awaitNoSockets(EdgeCluster<StreamVerticle> cluster, int nodes, UUID... users) throws Exception {
    for (int i = 0; i < nodes; i++) {
      EdgeCluster.Node<StreamVerticle> node = cluster.node(i);
      Eventually.eventually(Duration.ofSeconds(10), "node " + i + " holds no socket",
          () -> onLoop(node, () -> node.verticle().registry().size()) == 0);
    }
    for (UUID user : users) {
      Eventually.eventually(Duration.ofSeconds(10), "no slot counted for " + user,
          () -> EdgeCluster.await(cluster.node(0).verticle().socketsCounted(user)) == 0);
    }
  }

  /** Reads edge state on the node's event loop, where it is mutated. */
  public static <T> T onLoop(EdgeCluster.Node<StreamVerticle> node, Callable<T> read) throws Exception {
    Promise<T> promise = Promise.promise();
    node.vertx().runOnContext(v -> {
      try {
        promise.complete(read.call());
      } catch (Exception e) {
        promise.fail(e);
      }
    });
    return EdgeCluster.await(promise.future());
  }
}
