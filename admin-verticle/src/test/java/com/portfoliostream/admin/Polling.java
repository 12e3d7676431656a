package com.portfoliostream.admin;

import java.time.Duration;
import java.util.function.Predicate;

/** Asks again until the answer satisfies a condition or time is up; returns the last answer. */
final class Polling {

  /** One question; it may assert on the answer's shape. */
  interface Ask<T> {
    T get() throws Exception;
  }

  private Polling() {}

  static <T> T until(Ask<T> ask, Predicate<T> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    T answer = ask.get();
    while (!condition.test(answer) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      answer = ask.get();
    }
    return answer;
  }
}
