package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Session affinity for a user across iterations, as an Istio DestinationRule consistent hash: by a
 * header or by a cookie (generated when missing, with its {@code ttl}).
 */
public record StickySessions(
    String httpHeaderName,
    HttpCookie httpCookie,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public StickySessions {
    extra = Extras.of(extra);
  }
}
