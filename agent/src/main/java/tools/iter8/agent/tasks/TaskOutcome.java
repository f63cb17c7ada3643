package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a task leaves behind: a message for status and Events, and, from {@code metrics/collect} only,
 * the histograms and return codes per version — the whole of
 * {@code status.analysis.aggregatedBuiltinHists.data} after merging the new results into what the
 * experiment held, as the original (see {@link BuiltinHistograms}). Null histograms mean "unchanged".
 */
public record TaskOutcome(JsonNode builtinHistograms, String message) {

  public static TaskOutcome done(String message) {
    return new TaskOutcome(null, message);
  }
}
