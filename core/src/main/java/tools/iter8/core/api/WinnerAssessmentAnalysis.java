package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/** The winner, if any. */
public record WinnerAssessmentAnalysis(
    String provenance,
    Instant timestamp,
    String message,
    WinnerAssessmentData data,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public WinnerAssessmentAnalysis {
    extra = Extras.of(extra);
  }
}
