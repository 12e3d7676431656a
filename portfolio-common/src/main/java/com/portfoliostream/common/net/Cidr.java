package com.portfoliostream.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A block of IP addresses ({@code 10.0.0.0/8}, {@code fd00::/8}, or one address). Parsed from
 * literals only: nothing here ever asks DNS.
 */
public record Cidr(byte[] network, int prefix) {

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  /** Every comma-separated entry, or empty when one is not a CIDR. */
  public static Optional<List<Cidr>> parseList(String text) {
    List<Cidr> blocks = new ArrayList<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      Optional<Cidr> block = parse(entry.trim());
      if (block.isEmpty()) {
        return Optional.empty();
      }
      blocks.add(block.get());
    }
    return Optional.of(List.copyOf(blocks));
  }

  public static Optional<Cidr> parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    Optional<InetAddress> literal = literal(address);
    if (literal.isEmpty()) {
      return Optional.empty();
    }
    byte[] bytes = literal.get().getAddress();
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      if (prefix < 0 || prefix > max) {
        return Optional.empty();
      }
    }
    return Optional.of(new Cidr(bytes, prefix));
  }

  /** The address if {@code text} is an IPv4 or IPv6 literal (brackets allowed), never a host name. */
  public static Optional<InetAddress> literal(String text) {
    String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(bare).matches() && !IPV6.matcher(bare).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(bare));
    } catch (UnknownHostException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** True when {@code address} is an IP literal inside one of {@code blocks}. */
  public static boolean anyContains(List<Cidr> blocks, String address) {
    Optional<InetAddress> literal = literal(address);
    return literal.isPresent() && blocks.stream().anyMatch(block -> block.contains(literal.get()));
  }

  public boolean contains(InetAddress address) {
    byte[] candidate = address.getAddress();
    if (candidate.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (candidate[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (candidate[full] & mask) == (network[full] & mask);
  }
}
