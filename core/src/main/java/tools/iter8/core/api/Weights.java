package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code spec.strategy.weights}: per-candidate limits on the traffic a candidate may get
 * ({@code maxCandidateWeight}) and gain in one iteration ({@code maxCandidateWeightIncrement}). Ours:
 * {@code explorationFloor}, the percent of traffic every version still eligible keeps while no decision
 * is reached, so the bandit keeps learning about versions it currently ranks low.
 */
public record Weights(
    Integer maxCandidateWeight,
    Integer maxCandidateWeightIncrement,
    Integer explorationFloor,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Weights {
    extra = Extras.of(extra);
  }
}
