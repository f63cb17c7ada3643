package tools.iter8.core.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code spec.strategy.deploymentPattern}: how traffic moves during the experiment. {@code DarkLaunch}
 * is ours: live traffic stays on the baseline and the candidate receives a mirrored copy.
 */
public enum DeploymentPattern {
  PROGRESSIVE("Progressive"),
  FIXED_SPLIT("FixedSplit"),
  BLUE_GREEN("BlueGreen"),
  DARK_LAUNCH("DarkLaunch");

  private final String wireName;

  DeploymentPattern(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<DeploymentPattern> parse(String s) {
    return Arrays.stream(values()).filter(p -> p.wireName.equals(s)).findFirst();
  }

  public static String allowed() {
    return Arrays.stream(values()).map(DeploymentPattern::wireName).collect(Collectors.joining(", "));
  }
}
