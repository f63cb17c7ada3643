package tools.iter8.core.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code spec.strategy.testingPattern}. The first four are the original's; {@code Pareto} is ours: the
 * winners are the feasible versions not dominated on any reward.
 */
public enum TestingPattern {
  CANARY("Canary"),
  AB("A/B"),
  ABN("A/B/N"),
  CONFORMANCE("Conformance"),
  PARETO("Pareto");

  private final String wireName;

  TestingPattern(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<TestingPattern> parse(String s) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(s)).findFirst();
  }

  public static String allowed() {
    return Arrays.stream(values()).map(TestingPattern::wireName).collect(Collectors.joining(", "));
  }

  /** Whether the pattern compares versions on rewards rather than only on objectives. */
  public boolean usesRewards() {
    return this == AB || this == ABN || this == PARETO;
  }
}
