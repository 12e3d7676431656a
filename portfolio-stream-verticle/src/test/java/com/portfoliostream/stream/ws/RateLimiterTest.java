package com.portfoliostream.stream.ws;

import static com.portfoliostream.stream.ws.RateLimiter.Decision.ACCEPT;
import static com.portfoliostream.stream.ws.RateLimiter.Decision.CLOSE;
import static com.portfoliostream.stream.ws.RateLimiter.Decision.DROP;
import static com.portfoliostream.stream.ws.RateLimiter.Decision.DROP_AND_WARN;
import static org.assertj.core.api.Assertions.assertThat;

import com.portfoliostream.stream.ws.RateLimiter.Decision;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The limiter takes the time of each message as an argument: the tests choose it. */
@DisplayName("The per-socket rate limit of client messages (time under test control)")
class RateLimiterTest {

  private static final int LIMIT = 3;
  private static final long START = 1_000_000L;

  /** A fresh limiter per test (JUnit makes a new instance for each method). */
  private final RateLimiter limiter = new RateLimiter(LIMIT);

  @Test
  @DisplayName("up to the limit in one window, every message is accepted")
  void acceptsUpToLimit() {
    assertThat(burst(START, LIMIT)).containsOnly(ACCEPT).hasSize(LIMIT);
  }

  @Test
  @DisplayName("the first message over the limit is dropped with a warning, the next ones in that window dropped silently")
  void overLimitWarnsOnce() {
    burst(START, LIMIT);

    assertThat(burst(START + 10, 3)).containsExactly(DROP_AND_WARN, DROP, DROP);
  }

  @Test
  @DisplayName("a new window starts a second after the first message of the last one, with the count back to zero")
  void windowResets() {
    burst(START, LIMIT + 1);

    assertThat(limiter.onMessage(START + 999)).as("same window").isEqualTo(DROP);
    assertThat(burst(START + 1_000, LIMIT)).containsOnly(ACCEPT);
  }

  @Test
  @DisplayName("over the limit in three windows in a row: the third time is a close")
  void threeStrikesClose() {
    assertThat(overrun(START)).isEqualTo(DROP_AND_WARN);
    assertThat(overrun(START + 1_000)).isEqualTo(DROP_AND_WARN);
    assertThat(overrun(START + 2_000)).isEqualTo(CLOSE);
    assertThat(RateLimiter.STRIKES_TO_CLOSE).isEqualTo(3);
  }

  @Test
  @DisplayName("a window within the limit between two overruns resets the strikes")
  void calmWindowResetsStrikes() {
    overrun(START);
    overrun(START + 1_000);
    burst(START + 2_000, LIMIT);

    assertThat(overrun(START + 3_000)).isEqualTo(DROP_AND_WARN);
    assertThat(overrun(START + 4_000)).isEqualTo(DROP_AND_WARN);
  }

  @Test
  @DisplayName("a silent gap of a whole window between two overruns resets the strikes")
  void silentGapResetsStrikes() {
    overrun(START);
    overrun(START + 1_000);

    assertThat(overrun(START + 3_000)).isEqualTo(DROP_AND_WARN);
    assertThat(overrun(START + 4_000)).isEqualTo(DROP_AND_WARN);
  }

  @Test
  @DisplayName("more than five times the limit in one window is a close at once")
  void fiveTimesLimitCloses() {
    List<Decision> decisions = burst(START, 5 * LIMIT + 1);

    assertThat(decisions.subList(0, 5 * LIMIT)).doesNotContain(CLOSE);
    assertThat(decisions.get(5 * LIMIT)).isEqualTo(CLOSE);
  }

  @Test
  @DisplayName("the limit it was made with is the one it reports")
  void reportsLimit() {
    assertThat(new RateLimiter(7).limit()).isEqualTo(7);
  }

  /** One window over the limit by one message; the decision on that message. */
  private Decision overrun(long at) {
    List<Decision> decisions = burst(at, LIMIT + 1);
    assertThat(decisions.subList(0, LIMIT)).containsOnly(ACCEPT);
    return decisions.get(LIMIT);
  }

  private List<Decision> burst(long at, int messages) {
    List<Decision> decisions = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      decisions.add(limiter.onMessage(at));
    }
    return decisions;
  }
}
