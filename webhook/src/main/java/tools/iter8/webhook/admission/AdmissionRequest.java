package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * The {@code request} of an {@code admission.k8s.io/v1} AdmissionReview, as far as iter8 reads it. The
 * objects are the raw JSON trees the API server sent, never re-serialised through a model, so a patch
 * computed against them never drops a field iter8 does not know.
 *
 * @param object the object being written; null for DELETE
 * @param oldObject the stored object; null for CREATE
 * @param userInfo who writes, as the API server authenticated them
 * @param options the {@code CreateOptions}, {@code UpdateOptions}, {@code PatchOptions} or {@code
 *     DeleteOptions} of the write; may be null
 */
public record AdmissionRequest(
    String uid,
    Gvk kind,
    Gvr resource,
    String subResource,
    String name,
    String namespace,
    Operation operation,
    JsonNode userInfo,
    JsonNode object,
    JsonNode oldObject,
    boolean dryRun,
    JsonNode options) {

  public AdmissionRequest {
    Objects.requireNonNull(uid, "uid");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(operation, "operation");
  }

  /** The operations of admission; a PATCH is an UPDATE by the time admission sees it. */
  public enum Operation {
    CREATE,
    UPDATE,
    DELETE,
    CONNECT
  }

  /** A group, version and kind; the group is empty for the core group. */
  public record Gvk(String group, String version, String kind) {
    public String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }

    @Override
    public String toString() {
      return kind + " (" + apiVersion() + ")";
    }
  }

  /** A group, version and resource (plural). */
  public record Gvr(String group, String version, String resource) {}

  /** {@code namespace/name} for messages and logs. */
  public String objectKey() {
    String n = name;
    if (n == null || n.isEmpty()) {
      JsonNode o = object != null ? object : oldObject;
      n = o == null ? "" : o.path("metadata").path("name").asText(o.path("metadata").path("generateName").asText(""));
    }
    return (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + n;
  }
}
