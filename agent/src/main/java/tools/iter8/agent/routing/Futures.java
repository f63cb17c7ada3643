package tools.iter8.agent.routing;

import io.vertx.core.Future;
import java.util.function.Supplier;

/** Small helpers for the Future chains of routers and workload handlers. */
public final class Futures {
  private Futures() {}

  /**
   * Runs the start of a chain so that an exception thrown before the first Future exists (a missing
   * field, a bad path) fails the returned Future instead of escaping to the caller: a port that returns
   * a Future reports every failure through it.
   */
  public static <T> Future<T> safely(Supplier<Future<T>> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
