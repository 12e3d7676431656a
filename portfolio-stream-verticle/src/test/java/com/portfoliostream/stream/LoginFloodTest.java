package com.portfoliostream.stream;

import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.testkit.EdgeCluster;
import com.portfoliostream.testkit.TestClient;
import com.portfoliostream.web.auth.LoginThrottle;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A flood of sign-ins")
class LoginFloodTest {

  static EdgeCluster<StreamVerticle> cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    // A thousand browsers on one address would meet the per-address connection cap first: this
    // test is about the sign-in throttle behind it.
    cluster = EdgeCluster.start(1, Map.of("MAX_CONNECTIONS_PER_ADDRESS", "5000"), StreamEdge.ROLE);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    cluster.close();
  }

  @Test
  @DisplayName("1 000 parallel wrong passwords for one user: at most the allowed attempts reach the hasher, the rest get 429 or 503 at once, none a 5xx of ours")
  void parallelGuesses() throws Exception {
    // Each guess from a browser of its own: its own CSRF token, so every one reaches the throttle.
    List<TestClient> browsers = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      TestClient browser = new TestClient(cluster.clients(), cluster.node(0).port());
      browser.get("/api/health");
      browsers.add(browser);
    }
    WebClient web = WebClient.create(cluster.clients());
    List<Future<HttpResponse<Buffer>>> guesses = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      TestClient browser = browsers.get(i);
      guesses.add(web.post(cluster.node(0).port(), "127.0.0.1", "/api/auth/login")
          .putHeader("Content-Type", "application/json")
          .putHeader("Cookie", browser.cookieHeader())
          .putHeader("X-XSRF-TOKEN", browser.cookie("XSRF-TOKEN"))
          .sendBuffer(Buffer.buffer(new JsonObject().put("username", "alice").put("password", "guess-" + i).encode())));
    }
    Future.join(guesses).await(120, TimeUnit.SECONDS);

    Map<String, Integer> answers = new TreeMap<>();
    for (Future<HttpResponse<Buffer>> guess : guesses) {
      HttpResponse<Buffer> response = guess.result();
      String code = response.bodyAsJsonObject().getJsonObject("error").getString("code");
      answers.merge(response.statusCode() + " " + code, 1, Integer::sum);
    }
    assertThat(answers.getOrDefault("401 INVALID_CREDENTIALS", 0)).as("passwords checked, of " + answers)
        .isPositive().isLessThanOrEqualTo(LoginThrottle.LOCK_AFTER);
    assertThat(answers.keySet()).as("answers").allMatch(a -> a.startsWith("401 INVALID_CREDENTIALS")
        || a.startsWith("429 TOO_MANY_ATTEMPTS") || a.startsWith("503 SIGN_IN_BUSY"));
  }
}
