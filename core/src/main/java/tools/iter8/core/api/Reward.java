package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A reward metric and whether higher or lower values are better. */
public record Reward(
    String metric,
    String preferredDirection,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Reward {
    extra = Extras.of(extra);
  }
}
