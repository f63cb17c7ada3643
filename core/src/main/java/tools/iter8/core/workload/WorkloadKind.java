package tools.iter8.core.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Optional;

/**
 * The kinds of workload iter8 releases from a label (DESIGN §2.2), and where each keeps the part whose
 * change is a new version: the pod template of Deployments and Knative Services, the predictor of KServe
 * InferenceServices. The webhook and the agent both use this, so they agree on what a version is.
 */
public enum WorkloadKind {
  DEPLOYMENT("apps", "v1", "Deployment", "deployments", "/spec/template"),
  KNATIVE_SERVICE("serving.knative.dev", "v1", "Service", "services", "/spec/template"),
  INFERENCE_SERVICE("serving.kserve.io", "v1beta1", "InferenceService", "inferenceservices", "/spec/predictor");

  /**
   * Fields of the version part that are not part of the version: KServe's {@code canaryTrafficPercent}
   * is the traffic split iter8 itself sets, so setting or clearing it must not look like a new model.
   */
  static final String CANARY_TRAFFIC_PERCENT = "canaryTrafficPercent";

  private final String group;
  private final String version;
  private final String kind;
  private final String plural;
  private final String templatePointer;

  WorkloadKind(String group, String version, String kind, String plural, String templatePointer) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.plural = plural;
    this.templatePointer = templatePointer;
  }

  public String group() {
    return group;
  }

  public String version() {
    return version;
  }

  public String kind() {
    return kind;
  }

  /** The resource name in URLs and webhook rules, e.g. {@code inferenceservices}. */
  public String plural() {
    return plural;
  }

  /** {@code group/version}, e.g. {@code apps/v1}. */
  public String apiVersion() {
    return group + "/" + version;
  }

  /** JSON Pointer of the version part, e.g. {@code /spec/template}. */
  public String templatePointer() {
    return templatePointer;
  }

  /** The kind with this group, version and kind (Knative's {@code Service} is not core's). */
  public static Optional<WorkloadKind> of(String group, String version, String kind) {
    return Arrays.stream(values())
        .filter(k -> k.group.equals(group) && k.version.equals(version) && k.kind.equals(kind))
        .findFirst();
  }

  /** The kind of an object by its {@code apiVersion} and {@code kind}. */
  public static Optional<WorkloadKind> ofObject(JsonNode object) {
    String apiVersion = object.path("apiVersion").asText("");
    int slash = apiVersion.indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    return of(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), object.path("kind").asText(""));
  }

  /**
   * The version part of an object of this kind, without the fields that are not part of the version; a
   * missing node when the object has none.
   */
  public JsonNode template(JsonNode object) {
    JsonNode t = object == null ? MissingNode.getInstance() : object.at(templatePointer);
    if (this == INFERENCE_SERVICE && t.isObject() && t.has(CANARY_TRAFFIC_PERCENT)) {
      ObjectNode copy = ((ObjectNode) t).deepCopy();
      copy.remove(CANARY_TRAFFIC_PERCENT);
      return copy;
    }
    return t;
  }
}
