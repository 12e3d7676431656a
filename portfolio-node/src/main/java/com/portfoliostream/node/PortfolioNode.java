package com.portfoliostream.node;

import com.portfoliostream.web.Paths;
import com.hazelcast.cluster.Member;
import com.portfoliostream.admin.AdminVerticle;
import com.portfoliostream.admin.node.NodeStatsVerticle;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.cluster.ClusterBootstrap;
import com.portfoliostream.common.cluster.ClusterView;
import com.portfoliostream.common.config.NodeConfig;
import com.portfoliostream.common.config.Setting;
import com.portfoliostream.common.health.NodeDrain;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.common.db.Database;
import com.portfoliostream.common.db.PgPools;
import com.portfoliostream.demo.DemoPortfolio;
import com.portfoliostream.demo.DemoSeeder;
import com.portfoliostream.common.security.CredentialCipher;
import com.portfoliostream.common.security.CredentialKeyCheck;
import com.portfoliostream.common.security.CredentialKeyReload;
import com.portfoliostream.common.security.PasswordHashing;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node: opens the database, joins the cluster, seeds the demo when asked, and deploys the
 * verticles of its roles. {@link #stop()} undoes it all in reverse order.
 */
final class PortfolioNode {

  private static final Logger LOG = LoggerFactory.getLogger(PortfolioNode.class);
  private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

  private final NodeConfig config;
  private final String nodeId = UUID.randomUUID().toString();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private Database database;
  private HazelcastClusterManager clusterManager;
  private Vertx vertx;
  /** What {@link #deploy} deployed, undeployed first on stop while the pool still serves their last statements. */
  private final List<String> deploymentIds = new ArrayList<>();

  PortfolioNode(NodeConfig config) {
    this.config = config;
  }

  /** Blocking: returns once the node is fully up, or throws naming what failed. */
  void start() throws Exception {
    LOG.info("Starting node {} with {}", nodeId, config);
    PasswordHashing hashing = PasswordHashing.fromConfig(config);
    if (hashing.belowDefault()) {
      LOG.warn("PASSWORD_HASH_ITERATIONS is {}, below the default {}: new password hashes are cheaper to guess; "
          + "use this only for benchmarks", hashing.iterations(), PasswordHashing.ITERATIONS);
    }
    CredentialCipher cipher = CredentialCipher.forRoles(config);
    // The demo seals its broker secrets: a demo node without ingest or orders reads the key for
    // that alone, and its verticles still get the keyless cipher.
    CredentialCipher sealing = cipher.hasKey() || !config.demo() ? cipher : CredentialCipher.fromConfig(config);
    database = Database.open(config);
    clusterManager = ClusterBootstrap.clusterManager(config);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    vertx = ClusterBootstrap.start(config, new VertxOptions(), clusterManager, metrics)
        .toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    vertx.exceptionHandler(new UncaughtFailures());
    // Named after the node's cluster id, which its socket lease carries too (see PgPools).
    Pool pool = PgPools.create(vertx, database.url(), config.databasePoolSize(), clusterManager.getNodeId());
    NodeContext context = new NodeContext(nodeId, config, pool, cipher, metrics,
        ClusterView.of(clusterManager));
    keyChecked(pool, sealing)
        .compose(v -> seedDemo(context, sealing, hashing))
        .compose(v -> deploy(context))
        .map(v -> {
          CredentialKeyReload.follow(vertx, context);
          return v;
        })
        .toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    watchMembership();
    LOG.info("Node {} up: roles {}, {}; database {} ({}); cluster '{}' members {}; credentials key {}", nodeId,
        roleNames(), ports(), database.url().describe(), database.isEmbedded() ? "embedded" : "external",
        config.clusterName(), members(), cipher.hasKey() ? "held" : "not held");
  }

  /** A node holding the credentials key checks it is the database's; a node without one has nothing to check. */
  private static Future<Void> keyChecked(Pool pool, CredentialCipher cipher) {
    return cipher.hasKey() ? CredentialKeyCheck.verifyOrInstall(pool, cipher) : Future.succeededFuture();
  }

  private Future<Void> seedDemo(NodeContext context, CredentialCipher sealing, PasswordHashing hashing) {
    if (!config.demo()) {
      return Future.succeededFuture();
    }
    return new DemoSeeder(vertx, context.pool(), sealing, hashing).seed(config.demoPassword())
        .onSuccess(created -> {
          String password = config.demoPassword().equals(DemoPortfolio.DEFAULT_PASSWORD)
              ? "password '" + DemoPortfolio.DEFAULT_PASSWORD + "'" : "the DEMO_PASSWORD you set";
          LOG.info("Demo users: alice and bob (traders) and admin, {}; sign in with POST "
              + "http://localhost:{}{}", password, config.port(), Paths.LOGIN);
        })
        .mapEmpty();
  }

  private Future<Void> deploy(NodeContext context) {
    List<Future<String>> deployments = new ArrayList<>();
    deployments.add(vertx.deployVerticle(new ClusterPresenceVerticle(context)));
    deployments.add(vertx.deployVerticle(new NodeStatsVerticle(context)));
    deployments.add(EventLoopDelayVerticle.deploy(vertx, context.metrics(), VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE));
    if (!config.hasRole(Role.ADMIN)) {
      // Every node serves /metrics, /health and /readiness; the admin role adds the console.
      deployments.add(vertx.deployVerticle(AdminVerticle.managementOnly(context)));
    }
    List<String> withoutVerticles = new ArrayList<>();
    for (Role role : config.roles()) {
      List<Function<NodeContext, Deployable>> factories = RoleVerticles.of(role);
      if (factories.isEmpty()) {
        withoutVerticles.add(role.configName());
      }
      factories.forEach(factory -> deployments.add(vertx.deployVerticle(factory.apply(context))));
    }
    if (!withoutVerticles.isEmpty()) {
      LOG.info("Roles {} have no verticles in this build yet", withoutVerticles);
    }
    return Future.all(deployments).onSuccess(ids -> deploymentIds.addAll(ids.list())).mapEmpty();
  }

  private void watchMembership() {
    hazelcast().getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        LOG.info("Cluster member joined: {}; members now {}", event.getMember().getAddress(), members());
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        LOG.warn("Cluster member left: {}; members now {}", event.getMember().getAddress(), members());
      }
    });
  }

  private HazelcastInstance hazelcast() {
    return clusterManager.getHazelcastInstance();
  }

  private List<String> members() {
    return hazelcast().getCluster().getMembers().stream()
        .map(Member::getAddress).map(a -> a.getHost() + ":" + a.getPort()).sorted().toList();
  }

  private String roleNames() {
    return config.roles().stream().map(Role::configName).sorted().collect(Collectors.joining(","));
  }

  private String ports() {
    List<String> ports = new ArrayList<>();
    if (config.hasRole(Role.STREAM)) {
      ports.add("http " + config.port());
    }
    ports.add((config.hasRole(Role.ADMIN) ? "admin " : "management ") + config.adminPort());
    if (config.hasRole(Role.SIMULATOR)) {
      ports.add("simulator " + config.simPort());
    }
    return ports.isEmpty() ? "no HTTP ports" : "ports " + String.join(", ", ports);
  }

  /**
   * DRAIN_SECONDS with readiness down while everything still serves: the balancer's checks fail
   * and it stops sending this node new connections before they would be refused.
   */
  private void drain() {
    int seconds = drainSeconds(config);
    if (vertx == null || seconds == 0) {
      return;
    }
    NodeDrain.begin(vertx);
    LOG.info("Node {} draining: readiness down, serving {} s more before its sockets close 1001", nodeId, seconds);
    try {
      Thread.sleep(seconds * 1_000L);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The verticles' own stop work (a socket's slot freed, the lease dropped) needs the pool, which
   * Vert.x's close may shut before it undeploys them: so they go first, by themselves.
   */
  private void undeployVerticles() {
    List<Future<Void>> undeployed = deploymentIds.stream().map(vertx::undeploy).toList();
    try {
      Future.join(undeployed).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("Verticles did not all stop cleanly: {}", e.toString());
    }
  }

  /** DRAIN_SECONDS; 0 for a demo node that does not set it (nothing balances it). */
  static int drainSeconds(NodeConfig config) {
    return config.demo() && !config.settings().isSet(Setting.DRAIN_SECONDS) ? 0
        : config.settings().integer(Setting.DRAIN_SECONDS);
  }

  /**
   * Undeploys every verticle (sockets close 1001, their slots and the node's socket lease are
   * given up), then closes Vert.x (the pool with it), leaves the cluster, stops the database.
   */
  void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    LOG.info("Node {} stopping", nodeId);
    drain();
    if (vertx != null) {
      undeployVerticles();
      try {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("Vert.x did not close cleanly: {}", e.toString());
      }
    }
    if (database != null) {
      database.close();
    }
    LOG.info("Node {} stopped", nodeId);
  }
}
