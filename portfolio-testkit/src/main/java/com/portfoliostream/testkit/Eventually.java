package com.portfoliostream.testkit;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** The one polling helper of the tests: asks again until a condition holds or time is up. */
public final class Eventually {

  private static final long POLL_MS = 50;

  /** One question; it may assert on the answer's shape. */
  @FunctionalInterface
  public interface Ask<T> {
    T get() throws Exception;
  }

  private Eventually() {}

  /** Fails with {@code what} when {@code condition} is not true within {@code within}. */
  public static void eventually(Duration within, String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within.toMillis() + " ms: " + what);
      }
      Thread.sleep(POLL_MS);
    }
  }

  /** Asks until the answer satisfies {@code condition} or time is up; returns the last answer. */
  public static <T> T until(Ask<T> ask, Predicate<T> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T answer = ask.get();
    while (!condition.test(answer) && System.nanoTime() < deadline) {
      Thread.sleep(POLL_MS);
      answer = ask.get();
    }
    return answer;
  }
}
