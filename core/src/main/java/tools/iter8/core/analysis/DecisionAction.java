package tools.iter8.core.analysis;

import java.util.Arrays;
import java.util.Optional;

/**
 * What an iteration decided ({@code status.decision.action}). {@link #PROMOTE}, {@link #ROLLBACK} and
 * {@link #FAIL} end the experiment; {@link #CONTINUE} and {@link #HOLD} run another iteration.
 */
public enum DecisionAction {
  /** Evidence is still accumulating; weights follow the bandit. */
  CONTINUE("Continue"),
  /** Data is missing or a metric errored: weights are held and nothing is promoted. */
  HOLD("Hold"),
  /** A winner was found with enough samples: it gets all traffic. */
  PROMOTE("Promote"),
  /** A version under test violates an objective (or none won in time): the baseline gets all traffic. */
  ROLLBACK("Rollback"),
  /** Metric queries failed {@code consecutiveErrorLimit} iterations in a row: fail and roll back. */
  FAIL("Fail");

  private final String wireName;

  DecisionAction(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether the experiment ends with this decision. */
  public boolean terminal() {
    return this == PROMOTE || this == ROLLBACK || this == FAIL;
  }

  public static Optional<DecisionAction> parse(String s) {
    return Arrays.stream(values()).filter(a -> a.wireName.equals(s)).findFirst();
  }
}
