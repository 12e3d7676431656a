package com.portfoliostream.node;

import com.portfoliostream.admin.AdminVerticle;
import com.portfoliostream.common.NodeContext;
import com.portfoliostream.common.config.Role;
import com.portfoliostream.ingest.IngestVerticle;
import com.portfoliostream.orders.OrderQueueVerticle;
import com.portfoliostream.simulator.SimulatorVerticle;
import com.portfoliostream.stream.StreamVerticle;
import io.vertx.core.Deployable;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Which verticles each role deploys. A role whose module has not been built yet deploys nothing,
 * and the node says so when it starts.
 */
final class RoleVerticles {

  private static final Map<Role, List<Function<NodeContext, Deployable>>> BY_ROLE = new EnumMap<>(Role.class);

  static {
    BY_ROLE.put(Role.STREAM, List.of(StreamVerticle::new));
    BY_ROLE.put(Role.INGEST, List.of(IngestVerticle::new));
    BY_ROLE.put(Role.ORDERS, List.of(OrderQueueVerticle::new));
    BY_ROLE.put(Role.SIMULATOR, List.of(SimulatorVerticle::new));
    BY_ROLE.put(Role.ADMIN, List.of(AdminVerticle::withConsole));
  }

  private RoleVerticles() {}

  static List<Function<NodeContext, Deployable>> of(Role role) {
    return BY_ROLE.getOrDefault(role, List.of());
  }
}
