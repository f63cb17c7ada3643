package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A mocked metric level for one version: no query is made when a Metric has mocks. */
public record MockValue(
    String name,
    Quantity level,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public MockValue {
    extra = Extras.of(extra);
  }
}
