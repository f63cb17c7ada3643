package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code data}: per version, one boolean per objective in spec order (true when met), as the original.
 * Ours: {@code details}, per version and objective, the verdict, its posterior probability and a reason.
 */
public record VersionAssessmentsAnalysis(
    String provenance,
    Instant timestamp,
    String message,
    Map<String, List<Boolean>> data,
    Map<String, List<ObjectiveAssessment>> details,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public VersionAssessmentsAnalysis {
    extra = Extras.of(extra);
  }
}
