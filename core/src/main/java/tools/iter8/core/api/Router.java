package tools.iter8.core.api;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code spec.routing.router}: which object the agent patches to move traffic (DESIGN §2.7). */
public enum Router {
  /** Plain Deployments behind one Service: traffic follows the ratio of ready replicas. */
  REPLICAS("Replicas", false, false, false),
  /** An Istio VirtualService: weights, mirroring, header matches; DestinationRule for stickiness. */
  ISTIO("Istio", true, true, true),
  /** A Gateway API HTTPRoute: backendRefs weights, RequestMirror filter, header matches. */
  GATEWAY_API("GatewayAPI", true, true, true),
  /** A Knative Service's spec.traffic. */
  KNATIVE("Knative", false, false, false),
  /** A KServe InferenceService's spec.predictor.canaryTrafficPercent. */
  KSERVE("KServe", false, false, false),
  /** The original's generic patch of each version's weightObjRef.fieldPath. */
  FIELD_PATH("FieldPath", false, false, false);

  private final String wireName;
  private final boolean needsObjRef;
  private final boolean canMirror;
  private final boolean canMatch;

  Router(String wireName, boolean needsObjRef, boolean canMirror, boolean canMatch) {
    this.wireName = wireName;
    this.needsObjRef = needsObjRef;
    this.canMirror = canMirror;
    this.canMatch = canMatch;
  }

  public String wireName() {
    return wireName;
  }

  public boolean needsObjRef() {
    return needsObjRef;
  }

  public boolean canMirror() {
    return canMirror;
  }

  public boolean canMatch() {
    return canMatch;
  }

  public static Optional<Router> parse(String s) {
    return Arrays.stream(values()).filter(r -> r.wireName.equals(s)).findFirst();
  }

  public static String allowed() {
    return Arrays.stream(values()).map(Router::wireName).collect(Collectors.joining(", "));
  }
}
