package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * {@code status.decision} (ours): what the last iteration decided ({@code Continue}, {@code Hold},
 * {@code Promote}, {@code Rollback} or {@code Fail}), for which version, why, and with what posterior
 * probability. The same reason goes to an Event and to iter8ctl.
 */
public record Decision(
    String action,
    String version,
    Double probability,
    String reason,
    Integer iteration,
    Instant time,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Decision {
    extra = Extras.of(extra);
  }
}
