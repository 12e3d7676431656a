package com.portfoliostream.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Iterator;
import java.util.function.Function;

/**
 * Runs an asynchronous step for each item, one after the other, stopping at the first failure.
 * Unlike a chain of {@code compose} calls built up front, a step that completes at once (an
 * already-known answer, nothing to correct) does not nest the next one inside it: a reconcile of a
 * thousand open orders that were all right overflowed the event loop's stack that way.
 */
public final class InOrder {

  private InOrder() {}

  public static <T> Future<Void> each(Iterable<T> items, Function<? super T, Future<?>> step) {
    Promise<Void> done = Promise.promise();
    next(items.iterator(), step, done);
    return done.future();
  }

  private static <T> void next(Iterator<T> items, Function<? super T, Future<?>> step, Promise<Void> done) {
    while (items.hasNext()) {
      Future<?> current;
      try {
        current = step.apply(items.next());
      } catch (RuntimeException e) {
        done.fail(e);
        return;
      }
      if (!current.isComplete()) {
        current.onComplete(result -> {
          if (result.failed()) {
            done.fail(result.cause());
          } else {
            next(items, step, done);
          }
        });
        return;
      }
      if (current.failed()) {
        done.fail(current.cause());
        return;
      }
    }
    done.complete();
  }
}
