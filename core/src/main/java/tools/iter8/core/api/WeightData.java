package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A version's traffic weight in percent, keyed by version name (never by position). */
public record WeightData(
    String name,
    Integer value,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public WeightData {
    extra = Extras.of(extra);
  }

  public WeightData(String name, int value) {
    this(name, value, null);
  }
}
