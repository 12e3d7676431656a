package com.portfoliostream.simulator.rest;

import com.portfoliostream.simulator.alpaca.AlpacaError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Set;
import java.util.function.IntSupplier;

/**
 * What a {@code /sim/control} call must show before it runs, so that a web page the operator opens
 * cannot drive the simulator: a {@code Host} that is the simulator's own (DNS rebinding points a
 * stranger's name at loopback, but the browser still sends that name: 421), the control token as
 * {@code Authorization: Bearer <token>}, compared in constant time (401), and, on a call with a
 * body, {@code Content-Type: application/json}, which a page cannot send cross-origin without a
 * preflight the simulator never answers (415).
 */
public final class ControlGuard implements Handler<RoutingContext> {

  private static final String BEARER = "Bearer ";
  private static final Set<String> LOOPBACK_NAMES = Set.of("127.0.0.1", "localhost", "[::1]");
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] tokenDigest;
  private final String bindHost;
  private final IntSupplier port;

  /** {@code port} is read per call: the server's actual port is known only once it listens. */
  public ControlGuard(String token, String bindHost, IntSupplier port) {
    this.tokenDigest = sha256(token);
    this.bindHost = bindHost.toLowerCase(Locale.ROOT);
    this.port = port;
  }

  /** 32 random bytes, URL-safe base64: a token for a run whose SIM_CONTROL_TOKEN is unset. */
  public static String randomToken() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @Override
  public void handle(RoutingContext ctx) {
    AlpacaError refusal = refusal(ctx);
    if (refusal == null) {
      ctx.next();
    } else {
      TradingRoutes.reply(ctx, TradingRoutes.error(refusal));
    }
  }

  private AlpacaError refusal(RoutingContext ctx) {
    if (!ownHost(ctx.request().getHeader(HttpHeaders.HOST))) {
      return AlpacaError.CONTROL_WRONG_HOST;
    }
    if (!tokenMatches(ctx.request().getHeader(HttpHeaders.AUTHORIZATION))) {
      return AlpacaError.CONTROL_UNAUTHORIZED;
    }
    // A body, or a declared one (a multipart form is parsed away before this handler sees it).
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    boolean hasBody = ctx.request().method() != HttpMethod.GET && (ctx.body().length() > 0 || contentType != null);
    if (hasBody && !json(contentType)) {
      return AlpacaError.CONTROL_NOT_JSON;
    }
    return null;
  }

  /** 127.0.0.1, localhost, [::1] or the bind address, each with the simulator's port. */
  boolean ownHost(String host) {
    if (host == null) {
      return false;
    }
    String suffix = ":" + port.getAsInt();
    String lower = host.toLowerCase(Locale.ROOT);
    if (!lower.endsWith(suffix)) {
      return false;
    }
    String name = lower.substring(0, lower.length() - suffix.length());
    return LOOPBACK_NAMES.contains(name)
        || (!WILDCARDS.contains(bindHost) && (name.equals(bindHost) || name.equals("[" + bindHost + "]")));
  }

  private boolean tokenMatches(String authorization) {
    if (authorization == null || !authorization.startsWith(BEARER)) {
      return false;
    }
    // Digests of equal length: the comparison takes the same time whatever the token's length or prefix.
    return MessageDigest.isEqual(tokenDigest, sha256(authorization.substring(BEARER.length())));
  }

  private static boolean json(String contentType) {
    if (contentType == null) {
      return false;
    }
    int parameters = contentType.indexOf(';');
    String type = (parameters < 0 ? contentType : contentType.substring(0, parameters)).trim();
    return type.equalsIgnoreCase("application/json");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
