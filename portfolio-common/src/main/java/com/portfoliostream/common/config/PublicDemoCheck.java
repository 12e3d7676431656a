package com.portfoliostream.common.config;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * The demo stays on this machine unless the operator says otherwise: a node that seeds the demo
 * users, or runs the simulator (whose control API anyone who reaches it can drive), refuses to
 * listen on a non-loopback address without {@code ALLOW_PUBLIC_DEMO=true} and a
 * {@code DEMO_PASSWORD} of the operator's own.
 */
final class PublicDemoCheck {

  private PublicDemoCheck() {}

  static void check(NodeConfig config) {
    if (!config.demo() && !config.hasRole(Role.SIMULATOR)) {
      return;
    }
    Map<Setting, String> offHost = config.httpBinds().entrySet().stream()
        .filter(bind -> !BindAddresses.isLoopback(bind.getValue()))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    if (offHost.isEmpty()) {
      return;
    }
    if (config.allowPublicDemo() && !config.demoPassword().equals(Setting.DEMO_PASSWORD.defaultValue())) {
      return;
    }
    String binds = offHost.entrySet().stream().map(b -> b.getKey().name() + "=" + b.getValue())
        .sorted().collect(Collectors.joining(", "));
    throw new ConfigException("the demo refuses a non-loopback address (" + binds + "): the demo users and "
        + "the simulator stay on this machine; bind 127.0.0.1, or set DEMO_PASSWORD to a password of your own "
        + "and ALLOW_PUBLIC_DEMO=true to expose them on purpose");
  }
}
