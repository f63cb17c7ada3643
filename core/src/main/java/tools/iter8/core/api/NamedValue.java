package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A {@code {name, value}} pair: version variables, metric query params and header templates. Both are
 * strings in the original; values are templates where the original interpolates them.
 */
public record NamedValue(
    String name, String value, @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public NamedValue {
    extra = Extras.of(extra);
  }

  public NamedValue(String name, String value) {
    this(name, value, null);
  }
}
