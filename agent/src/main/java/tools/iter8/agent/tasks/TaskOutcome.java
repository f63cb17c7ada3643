package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a task leaves behind for status. Only {@code metrics/collect} produces data: histograms and
 * return codes per version, merged into {@code status.analysis.aggregatedBuiltinHists} as the original.
 */
public record TaskOutcome(JsonNode builtinHistograms, String message) {

  public static TaskOutcome done(String message) {
    return new TaskOutcome(null, message);
  }
}
