package tools.iter8.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.ExperimentStatus;

/**
 * The statuses an experiment goes through on its way to a final status taken from a fixture: Initializing with no
 * iteration, then Running with one more iteration each step (weights shifting to the candidate, no winner yet, the
 * decision Continue), then the final status itself.
 */
final class Progression {
  private Progression() {}

  /** The status after {@code iteration} iterations; the final status once {@code iteration} reaches its count. */
  static ExperimentStatus at(ExperimentStatus last, int iteration) {
    int total = last.completedIterations();
    if (iteration >= total) {
      return last;
    }
    ObjectNode s = (ObjectNode) ApiMapper.toTree(last).deepCopy();
    s.put("stage", iteration == 0 ? "Initializing" : "Running");
    s.put("completedIterations", iteration);
    s.put("message", "IterationUpdate: Completed Iteration " + iteration);
    for (var c : s.withArray("conditions")) {
      if ("Completed".equals(c.path("type").asText()) || "Failed".equals(c.path("type").asText())) {
        ((ObjectNode) c).put("status", "False");
        ((ObjectNode) c).put("reason", "IterationUpdate");
        ((ObjectNode) c).put("message", "Completed Iteration " + iteration);
      }
    }
    s.put("versionRecommendedForPromotion", "current");
    ArrayNode weights = s.putArray("currentWeightDistribution");
    weights.addObject().put("name", "current").put("value", 100 - 10 * iteration);
    weights.addObject().put("name", "candidate").put("value", 10 * iteration);
    ArrayNode next = ((ObjectNode) s.path("analysis").path("weights")).putArray("data");
    next.addObject().put("name", "current").put("value", Math.max(0, 90 - 10 * iteration));
    next.addObject().put("name", "candidate").put("value", Math.min(100, 10 + 10 * iteration));
    ObjectNode winner = (ObjectNode) s.path("analysis").path("winnerAssessment").path("data");
    winner.put("winnerFound", false);
    winner.remove("winner");
    winner.put("reason", "no winner yet: candidate candidate is undecided");
    ObjectNode decision = s.putObject("decision");
    decision.put("action", "Continue");
    decision.put("version", "candidate");
    decision.put("iteration", iteration);
    decision.put("reason", "no winner yet: candidate candidate is undecided");
    if (iteration == 0) {
      s.remove("analysis");
      s.remove("decision");
      s.remove("startTime");
    }
    return ApiMapper.fromTree(s, ExperimentStatus.class);
  }
}
