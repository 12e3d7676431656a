package com.portfoliostream.stream.batch;

import com.portfoliostream.events.model.Account;
import com.portfoliostream.events.model.Order;
import com.portfoliostream.events.model.Position;
import com.portfoliostream.events.protocol.ServerEvent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the newest version seen of each of one user's entities, so that an update that the
 * bus delivers after a newer one (two producers, two nodes) is dropped instead of overwriting it.
 * Orders remembered are bounded (least recently seen forgotten first).
 */
final class VersionGuard {

  static final int MAX_ORDERS = 2_000;

  private final Map<String, Long> positions = new LinkedHashMap<>();
  private final Map<String, Long> orders = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > MAX_ORDERS;
    }
  };
  private Long account;

  /** True when the event is not older than what was already seen (and remembers it). */
  boolean admit(ServerEvent event) {
    return switch (event.type()) {
      case POSITION_UPDATE -> admit(positions, ((Position) event.data()).symbol(), ((Position) event.data()).version());
      case ORDER_UPDATE -> admit(orders, ((Order) event.data()).orderId(), ((Order) event.data()).version());
      case ACCOUNT_UPDATE -> admitAccount(((Account) event.data()).version());
      default -> true;
    };
  }

  private static boolean admit(Map<String, Long> seen, String key, Long version) {
    if (version == null) {
      return !seen.containsKey(key);
    }
    Long previous = seen.get(key);
    if (previous != null && version < previous) {
      return false;
    }
    seen.put(key, version);
    return true;
  }

  private boolean admitAccount(Long version) {
    if (version == null) {
      return account == null;
    }
    if (account != null && version < account) {
      return false;
    }
    account = version;
    return true;
  }
}
