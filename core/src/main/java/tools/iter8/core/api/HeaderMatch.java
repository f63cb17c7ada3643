package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** One header condition: exactly one of {@code exact}, {@code prefix} or {@code regex}. */
public record HeaderMatch(
    String name,
    String exact,
    String prefix,
    String regex,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public HeaderMatch {
    extra = Extras.of(extra);
  }
}
