package tools.iter8.core.api;

import java.util.Arrays;
import java.util.Optional;

/** {@code status.stage}. Ordered: an experiment's stage only moves forward. */
public enum Stage {
  WAITING("Waiting"),
  INITIALIZING("Initializing"),
  RUNNING("Running"),
  FINISHING("Finishing"),
  COMPLETED("Completed");

  private final String wireName;

  Stage(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Stage> parse(String s) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(s)).findFirst();
  }

  public boolean isAfter(Stage other) {
    return compareTo(other) > 0;
  }
}
