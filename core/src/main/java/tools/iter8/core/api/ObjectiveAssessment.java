package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The verdict on one objective for one version: {@code met}, {@code violated} or {@code undecided},
 * the posterior probability that the objective is met, and a human-readable reason.
 */
public record ObjectiveAssessment(
    String metric,
    String verdict,
    Double probability,
    String reason,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public ObjectiveAssessment {
    extra = Extras.of(extra);
  }
}
