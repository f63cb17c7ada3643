package tools.iter8.agent.controller;

import java.time.Duration;
import java.util.Optional;

/**
 * How a reconcile pass ended: done (wait for the next event) or come back after a delay (the next
 * iteration, a running action, a target held by another experiment). Failures are not results: they
 * fail the future and the work queue retries them with backoff.
 */
public record ReconcileResult(Optional<Duration> requeueAfter, String why) {

  public static ReconcileResult done(String why) {
    return new ReconcileResult(Optional.empty(), why);
  }

  public static ReconcileResult requeueAfter(Duration delay, String why) {
    return new ReconcileResult(Optional.of(delay.isNegative() ? Duration.ZERO : delay), why);
  }
}
