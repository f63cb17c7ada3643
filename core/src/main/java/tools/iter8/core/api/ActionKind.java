package tools.iter8.core.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Keys of {@code spec.strategy.actions}. The original runs {@code start}, {@code loop} and {@code finish}
 * (a rollback ran {@code finish} too, and a failure ran nothing, etc3#201). Ours: {@code rollback} runs
 * instead of {@code finish} when the candidate is rolled back, and {@code failure} runs when the
 * experiment fails, so cleanup always has a place.
 */
public enum ActionKind {
  START("start"),
  LOOP("loop"),
  FINISH("finish"),
  ROLLBACK("rollback"),
  FAILURE("failure");

  private final String key;

  ActionKind(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  public static Optional<ActionKind> parse(String s) {
    return Arrays.stream(values()).filter(p -> p.key.equals(s)).findFirst();
  }

  public static String allowed() {
    return Arrays.stream(values()).map(ActionKind::key).collect(Collectors.joining(", "));
  }
}
