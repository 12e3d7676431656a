package com.portfoliostream.node.cluster;

import com.hazelcast.collection.ICollection;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import com.portfoliostream.common.bus.UserEventBus;
import com.portfoliostream.events.protocol.BusAddresses;
import com.portfoliostream.testkit.Fixtures;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A host on the cluster network that is not ours: a plain clustered Vert.x with the cluster's name
 * and members but no cluster certificate. It joins Hazelcast, subscribes to a user's address, sends
 * forged events to it, and dumps every string it can read from every distributed object. It reports
 * on standard output, one {@code STRANGER ...} line per fact, for the test that started it.
 */
public final class ClusterStranger {

  /** The symbol of the forged events: a socket that ever shows it was reached. */
  public static final String FORGED_SYMBOL = "EVIL";
  private static final Pattern PRINTABLE = Pattern.compile("[\\x21-\\x7e]{8,}");
  private static final Set<String> seen = new HashSet<>();

  private ClusterStranger() {}

  public static void main(String[] args) {
    String host = System.getenv("STRANGER_HOST");
    UUID victim = UUID.fromString(System.getenv("STRANGER_VICTIM"));
    Config hazelcast = new Config().setClusterName(System.getenv("STRANGER_CLUSTER"));
    hazelcast.setProperty("hazelcast.local.localAddress", host);
    hazelcast.setProperty("hazelcast.wait.seconds.before.join", "0");
    hazelcast.getNetworkConfig().setPort(5701);
    JoinConfig join = hazelcast.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true).setMembers(List.of(System.getenv("STRANGER_MEMBERS").split(",")));
    HazelcastClusterManager manager = new HazelcastClusterManager(hazelcast);
    Vertx.builder()
        .with(new VertxOptions().setEventBusOptions(new EventBusOptions().setHost(host).setClusterPublicHost(host)))
        .withClusterManager(manager)
        .buildClustered()
        .onSuccess(vertx -> act(vertx, manager.getHazelcastInstance(), victim))
        .onFailure(e -> System.out.println("STRANGER failed " + e));
  }

  private static void act(Vertx vertx, HazelcastInstance hz, UUID victim) {
    System.out.println("STRANGER joined members=" + hz.getCluster().getMembers().size());
    vertx.eventBus().<String>consumer(BusAddresses.user(victim.toString()), message -> {
      if (!message.body().contains(FORGED_SYMBOL)) {
        System.out.println("STRANGER received " + message.body());
      }
    }).completion().onSuccess(v -> System.out.println("STRANGER subscribed"));
    long[] injected = {0};
    vertx.setPeriodic(300, id -> {
      UserEventBus.publish(vertx, Fixtures.position(victim, FORGED_SYMBOL, "6.66", 999_999), UserEventBus.Meta.of(Instant.now()));
      vertx.eventBus().send(BusAddresses.user(victim.toString()), "{\"type\":\"position_update\",\"data\":{\"symbol\":\"" + FORGED_SYMBOL + "\"}}");
      System.out.println("STRANGER injected " + ++injected[0]);
    });
    vertx.setPeriodic(500, id -> vertx.executeBlocking(() -> {
      dump(hz);
      return null;
    }));
  }

  private static void dump(HazelcastInstance hz) {
    for (DistributedObject object : hz.getDistributedObjects()) {
      report(object.getName());
      if (object instanceof IMap<?, ?> map) {
        map.entrySet().forEach(e -> {
          report(hz, e.getKey());
          report(hz, e.getValue());
        });
      } else if (object instanceof MultiMap<?, ?> multiMap) {
        multiMap.entrySet().forEach(e -> {
          report(hz, e.getKey());
          report(hz, e.getValue());
        });
      } else if (object instanceof ICollection<?> collection) {
        collection.forEach(item -> report(hz, item));
      }
    }
    System.out.println("STRANGER dumped");
  }

  /** Every printable run of the value's serialised form, and its pieces between separators. */
  private static void report(HazelcastInstance hz, Object value) {
    if (value == null) {
      return;
    }
    byte[] bytes = ((SerializationServiceSupport) hz).getSerializationService().toData(value).toByteArray();
    report(new String(bytes, StandardCharsets.ISO_8859_1) + " " + value);
  }

  private static void report(String text) {
    Matcher runs = PRINTABLE.matcher(text);
    while (runs.find()) {
      emit(runs.group());
      for (String piece : runs.group().split("[\"'{}\\[\\],:;=/\\\\ ]+")) {
        if (piece.length() >= 8) {
          emit(piece);
        }
      }
    }
  }

  private static synchronized void emit(String token) {
    if (seen.size() < 5_000 && seen.add(token)) {
      System.out.println("STRANGER value " + token);
    }
  }
}
