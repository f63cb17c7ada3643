package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.strategy}: the testing pattern (how a winner is chosen), the deployment pattern (how
 * traffic moves), the actions run at start, after each loop and at the end, and the weight limits.
 * Patterns are kept as text so that an unknown value is reported by validation with its name.
 */
public record Strategy(
    String testingPattern,
    String deploymentPattern,
    Map<String, List<TaskSpec>> actions,
    Weights weights,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Strategy {
    extra = Extras.of(extra);
  }
}
