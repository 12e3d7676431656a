package com.portfoliostream.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Steps run in order, one after another")
class InOrderTest {

  private static final List<Integer> MANY = IntStream.range(0, 200_000).boxed().toList();

  @Test
  @DisplayName("200 000 steps that complete at once run in order without overflowing the stack (a compose chain does)")
  void immediateSteps() {
    List<Integer> seen = new ArrayList<>();
    Future<Void> done = InOrder.each(MANY, i -> {
      seen.add(i);
      return Future.succeededFuture();
    });
    assertThat(done.succeeded()).isTrue();
    assertThat(seen).isEqualTo(MANY);

    io.vertx.core.Promise<Void> start = io.vertx.core.Promise.promise();
    Future<Void> chain = start.future();
    for (int i = 0; i < MANY.size(); i++) {
      chain = chain.compose(v -> Future.succeededFuture());
    }
    Throwable overflow = null;
    try {
      start.complete();
    } catch (StackOverflowError e) {
      overflow = e;
    }
    assertThat(overflow != null || !chain.succeeded()).as("the compose chain this replaces overflows").isTrue();
  }

  @Test
  @DisplayName("asynchronous steps run one at a time, in order; the first failure stops the rest")
  void asynchronousSteps() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      List<Integer> seen = new ArrayList<>();
      InOrder.each(List.of(1, 2, 3), i -> vertx.timer(5).onSuccess(v -> seen.add(i)))
          .await(10, TimeUnit.SECONDS);
      assertThat(seen).containsExactly(1, 2, 3);

      List<Integer> reached = new ArrayList<>();
      Future<Void> failed = InOrder.each(List.of(1, 2, 3), i -> {
        reached.add(i);
        return i == 2 ? Future.failedFuture("two") : vertx.timer(5);
      });
      assertThat(failed.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(10, TimeUnit.SECONDS))
          .hasMessage("two");
      assertThat(reached).containsExactly(1, 2);
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }
}
