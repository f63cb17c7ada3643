package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code Experiment.status}: everything the agent needs to resume an experiment lives here, so that a
 * restarted or newly elected agent continues the same iteration with no double step. Original fields
 * first; ours: {@code decision} (the last decision with its reason), {@code completedActions} (actions run to
 * completion: {@code start}, {@code loop-1}, {@code finish}...), {@code consecutiveErrors} (metric
 * failures in a row, against {@code criteria.consecutiveErrorLimit}), {@code weightsAppliedIteration}
 * (the iteration whose weights were last written to the cluster) and {@code observedGeneration}.
 */
public record ExperimentStatus(
    List<Condition> conditions,
    Instant initTime,
    Instant startTime,
    Instant lastUpdateTime,
    String stage,
    Integer completedIterations,
    List<WeightData> currentWeightDistribution,
    Analysis analysis,
    String versionRecommendedForPromotion,
    String message,
    List<MetricInfo> metrics,
    Decision decision,
    List<String> completedActions,
    Integer consecutiveErrors,
    Integer weightsAppliedIteration,
    Long observedGeneration,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public ExperimentStatus {
    extra = Extras.of(extra);
  }
}
