package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code status.analysis}, in the original's shapes, plus the figures behind each verdict (ours) so
 * every decision is explainable from status alone.
 */
public record Analysis(
    BuiltinHistsAnalysis aggregatedBuiltinHists,
    AggregatedMetricsAnalysis aggregatedMetrics,
    VersionAssessmentsAnalysis versionAssessments,
    WinnerAssessmentAnalysis winnerAssessment,
    WeightsAnalysis weights,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Analysis {
    extra = Extras.of(extra);
  }
}
