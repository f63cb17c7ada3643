package tools.iter8.testkit.kube;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * Makes the emulated API server misbehave on purpose, so reliability tests can show that a controller retries,
 * re-reads after a conflict, or tolerates a slow server.
 *
 * <p>A rule matches an HTTP method and a regular expression over the request path, and either answers with an error
 * status (with a {@code metav1.Status} body, as the real server would) or delays the request before serving it. The
 * rule fires for every matching request, for the next {@link RuleBuilder#times(int) n} of them, or with a
 * {@link RuleBuilder#withProbability(double, long) probability} drawn from a seeded {@link Random} so a failing run
 * can be replayed:
 *
 * <pre>{@code
 * emulation.faults().when("PUT", "/apis/iter8.tools/v2alpha2/namespaces/[^/]+/experiments/[^/]+/status")
 *     .times(2).respondWith(409);
 * emulation.faults().when("GET", "/apis/apps/v1/.*").withProbability(0.2, 42).delayBy(Duration.ofMillis(300));
 * }</pre>
 *
 * <p>Rules are checked in the order they were added, before the request reaches the API; the first that fires decides.
 * They apply to watches too (the watch is refused, or starts late). Thread-safe.
 */
public final class FaultInjector {

  private final List<FaultRule> rules = new ArrayList<>();

  FaultInjector() {
  }

  /**
   * Starts a rule for requests with this method whose path (without query string) matches {@code pathRegex}
   * entirely.
   *
   * @param method    an HTTP method such as {@code GET} or {@code PATCH}, or {@code *} for any
   * @param pathRegex a {@link Pattern} over the whole path, for example {@code /api/v1/namespaces/ns/configmaps/.*}
   */
  public RuleBuilder when(String method, String pathRegex) {
    return new RuleBuilder(Objects.requireNonNull(method, "method"), Pattern.compile(pathRegex));
  }

  /** Removes every rule; requests are served normally from now on. */
  public synchronized void reset() {
    rules.clear();
  }

  synchronized Optional<Fault> decide(String method, String path) {
    for (FaultRule rule : rules) {
      if (rule.fires(method, path)) {
        return Optional.of(rule.fault());
      }
    }
    return Optional.empty();
  }

  private synchronized FaultRule add(FaultRule rule) {
    rules.add(rule);
    return rule;
  }

  /** Describes when a rule fires; finished by {@link #respondWith(int)} or {@link #delayBy(Duration)}. */
  public final class RuleBuilder {

    private final String method;
    private final Pattern path;
    private int times = FaultRule.UNLIMITED;
    private double probability = 1.0;
    private Random random;

    private RuleBuilder(String method, Pattern path) {
      this.method = method;
      this.path = path;
    }

    /** Fires for the next {@code n} matching requests only (with a probability: the next {@code n} it picks). */
    public RuleBuilder times(int n) {
      if (n <= 0) {
        throw new IllegalArgumentException("times must be positive: " + n);
      }
      this.times = n;
      return this;
    }

    /** Fires for each matching request with probability {@code p}, drawn from {@code new Random(seed)}. */
    public RuleBuilder withProbability(double p, long seed) {
      if (p < 0 || p > 1) {
        throw new IllegalArgumentException("probability must be within [0, 1]: " + p);
      }
      this.probability = p;
      this.random = new Random(seed);
      return this;
    }

    /** Answers matching requests with {@code status} (for example 409, 500, 503) and a Status body. */
    public FaultRule respondWith(int status) {
      if (status < 400 || status > 599) {
        throw new IllegalArgumentException("a fault status must be 4xx or 5xx: " + status);
      }
      String message = "fault injected by the Kubernetes API emulation for " + method + " " + path.pattern();
      return add(new FaultRule(method, path, times, probability, random, new Fault.Respond(status, message)));
    }

    /** Serves matching requests normally, but only after {@code delay}. */
    public FaultRule delayBy(Duration delay) {
      if (delay.isNegative() || delay.isZero()) {
        throw new IllegalArgumentException("delay must be positive: " + delay);
      }
      return add(new FaultRule(method, path, times, probability, random, new Fault.Delay(delay)));
    }
  }
}
