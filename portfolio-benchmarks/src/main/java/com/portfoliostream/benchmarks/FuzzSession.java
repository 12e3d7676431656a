package com.portfoliostream.benchmarks;

import com.portfoliostream.web.Paths;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One signed-in session (its cookie, and the CSRF token of the double submit, which the node
 * renews after each state-changing call): signed in over plain REST as a browser does.
 */
final class FuzzSession implements HostileRequests.Session {

  private static final Pattern XSRF = Pattern.compile("(?im)^set-cookie:\\s*XSRF-TOKEN=([^;\\r\\n]+)");
  private final String cookie;
  private volatile String xsrf;

  private FuzzSession(String cookie, String xsrf) {
    this.cookie = cookie;
    this.xsrf = xsrf;
  }

  static FuzzSession signIn(int port, String username, String password) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    String base = "http://127.0.0.1:" + port;
    HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + Paths.API_HEALTH)).build(),
        HttpResponse.BodyHandlers.ofString());
    String token = cookie(health.headers().allValues("set-cookie"), "XSRF-TOKEN");
    String anonymous = cookie(health.headers().allValues("set-cookie"), "session");
    HttpRequest login = HttpRequest.newBuilder(URI.create(base + Paths.LOGIN)).timeout(Duration.ofSeconds(60))
        .header("Content-Type", "application/json").header("X-XSRF-TOKEN", token)
        .header("Cookie", "XSRF-TOKEN=" + token + (anonymous == null ? "" : "; session=" + anonymous))
        .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("username", username).put("password", password).encode()))
        .build();
    HttpResponse<String> answer = http.send(login, HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() != 200) {
      throw new IllegalStateException("sign-in of " + username + " answered " + answer.statusCode() + ": " + answer.body());
    }
    List<String> cookies = answer.headers().allValues("set-cookie");
    String renewed = cookie(cookies, "XSRF-TOKEN");
    return new FuzzSession("session=" + cookie(cookies, "session"), renewed == null ? token : renewed);
  }

  private static String cookie(List<String> setCookies, String name) {
    for (String setCookie : setCookies) {
      if (setCookie.startsWith(name + "=")) {
        return setCookie.substring(name.length() + 1).split(";", 2)[0];
      }
    }
    return null;
  }

  /** Takes the renewed CSRF token from the head of an answer to this session, if it has one. */
  void renewFrom(String responseHead) {
    Matcher token = XSRF.matcher(responseHead);
    if (token.find()) {
      xsrf = token.group(1);
    }
  }

  @Override
  public String cookie() {
    return cookie;
  }

  @Override
  public String xsrf() {
    return xsrf;
  }
}
