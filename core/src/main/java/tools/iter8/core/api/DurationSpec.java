package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * {@code spec.duration}: iterations every {@code intervalSeconds}, {@code iterationsPerLoop} per loop,
 * {@code maxLoops} loops; the loop action runs after each loop.
 */
public record DurationSpec(
    Integer intervalSeconds,
    Integer iterationsPerLoop,
    Integer maxLoops,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public DurationSpec {
    extra = Extras.of(extra);
  }

  /** The number of iterations after which the experiment finishes if no decision ends it earlier. */
  public int totalIterations() {
    return (iterationsPerLoop == null ? 1 : iterationsPerLoop) * (maxLoops == null ? 1 : maxLoops);
  }
}
