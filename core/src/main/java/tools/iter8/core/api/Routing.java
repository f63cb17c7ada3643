package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.routing} (ours): how the agent sends traffic to the versions. {@code router} is one of
 * {@code Replicas}, {@code Istio}, {@code GatewayAPI}, {@code Knative}, {@code KServe} or
 * {@code FieldPath} (the original's {@code weightObjRef} patches; the default when versions carry
 * refs). {@code objRef} names the VirtualService or HTTPRoute. {@code match} sends only matching
 * requests to the candidate (request routing), {@code sticky} keeps a user on one version
 * (consistent hash), and {@code mirrorPercent} is the share of baseline traffic copied to the candidate
 * in a DarkLaunch.
 */
public record Routing(
    String router,
    ObjectReference objRef,
    List<RouteMatch> match,
    StickySessions sticky,
    Integer mirrorPercent,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public Routing {
    extra = Extras.of(extra);
  }
}
