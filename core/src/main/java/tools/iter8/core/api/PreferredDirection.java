package tools.iter8.core.api;

import java.util.Arrays;
import java.util.Optional;

/** {@code spec.criteria.rewards[].preferredDirection}. */
public enum PreferredDirection {
  HIGH("High"),
  LOW("Low");

  private final String wireName;

  PreferredDirection(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<PreferredDirection> parse(String s) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(s)).findFirst();
  }
}
