package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code winnerFound}, {@code winner} and {@code bestVersions} as the original analytics computed them
 * (the original controller dropped {@code bestVersions}; we keep it). Ours: {@code probability}, the
 * posterior probability that the winner is the best feasible version, per version in
 * {@code probabilities}, and a {@code reason}.
 */
public record WinnerAssessmentData(
    Boolean winnerFound,
    String winner,
    List<String> bestVersions,
    Double probability,
    Map<String, Double> probabilities,
    String reason,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public WinnerAssessmentData {
    extra = Extras.of(extra);
  }
}
