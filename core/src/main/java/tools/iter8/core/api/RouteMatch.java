package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** A request-routing rule: every header condition must hold. Cookies are matched as the cookie header. */
public record RouteMatch(
    List<HeaderMatch> headers,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public RouteMatch {
    extra = Extras.of(extra);
  }
}
