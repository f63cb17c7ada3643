package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** A cookie used for consistent-hash affinity. */
public record HttpCookie(
    String name,
    String path,
    String ttl,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public HttpCookie {
    extra = Extras.of(extra);
  }
}
