package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.criteria}: metrics that judge versions. Objectives decide feasibility, rewards rank
 * feasible versions, indicators are only reported. {@code strength} (unused by the original) is the
 * posterior probability a verdict needs. Ours: {@code minSampleSize}, the requests a version must have
 * served before any verdict other than undecided, and {@code consecutiveErrorLimit}, the number of
 * iterations in a row whose metric queries fail before the experiment fails and rolls back.
 */
public record Criteria(
    String requestCount,
    List<Reward> rewards,
    List<String> indicators,
    List<Objective> objectives,
    Double strength,
    Long minSampleSize,
    Integer consecutiveErrorLimit,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Criteria {
    extra = Extras.of(extra);
  }
}
