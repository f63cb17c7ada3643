package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One task of an action: exactly one of {@code task} (a built-in task name) or {@code run} (a script),
 * an optional {@code if} condition over {@code WinnerFound()}, {@code CandidateWon()} and {@code not},
 * and free-form inputs in {@code with}.
 */
public record TaskSpec(
    String task,
    String run,
    @JsonProperty("if") String condition,
    Map<String, JsonNode> with,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public TaskSpec {
    extra = Extras.of(extra);
  }
}
