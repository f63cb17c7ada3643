package tools.iter8.testkit.kube;

import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * One rule added to a {@link FaultInjector}; the handle lets a test check that its fault actually fired, which tells a
 * fault that was never exercised from a controller that survived it.
 *
 * <p>Matching and counting happen under the injector's lock; only {@link #injected()} is read from other threads.
 */
public final class FaultRule {

  static final int UNLIMITED = -1;

  private final String method;
  private final Pattern path;
  private final double probability;
  private final Random random;
  private final Fault fault;
  private final AtomicInteger injected = new AtomicInteger();
  private int remaining;

  FaultRule(String method, Pattern path, int times, double probability, Random random, Fault fault) {
    this.method = method;
    this.path = path;
    this.remaining = times;
    this.probability = probability;
    this.random = random;
    this.fault = fault;
  }

  /** How many requests this rule has failed or delayed so far. */
  public int injected() {
    return injected.get();
  }

  /** Whether the rule fires for this request; consumes one of its {@code times} when it does. */
  boolean fires(String requestMethod, String requestPath) {
    if (remaining == 0
        || !(method.equals("*") || method.equalsIgnoreCase(requestMethod))
        || !path.matcher(requestPath).matches()) {
      return false;
    }
    if (random != null && random.nextDouble() >= probability) {
      return false;
    }
    if (remaining > 0) {
      remaining--;
    }
    injected.incrementAndGet();
    return true;
  }

  Fault fault() {
    return fault;
  }

  @Override
  public String toString() {
    return method + " " + path.pattern() + " -> " + fault;
  }
}
