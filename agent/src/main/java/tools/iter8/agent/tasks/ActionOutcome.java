package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What an action left behind when it ran to its end (tasks that failed with {@code ignoreFailure} count
 * as run).
 *
 * @param builtinHistograms the whole new {@code status.analysis.aggregatedBuiltinHists.data} when a
 *     {@code metrics/collect} task ran (write it with {@link BuiltinHistograms#withData}); null when no
 *     task changed it
 * @param messages one line per task in order, skipped ones included, e.g.
 *     {@code [1] notification/slack: skipped: if CandidateWon() is false}
 */
public record ActionOutcome(JsonNode builtinHistograms, List<String> messages) {

  public ActionOutcome {
    messages = List.copyOf(messages);
  }
}
