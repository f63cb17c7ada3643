package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * A {@code corev1.ObjectReference}, as in {@code versionInfo.*.weightObjRef}. {@code fieldPath} starts
 * with {@code .} (e.g. {@code .spec.http[0].route[1].weight}); the namespace defaults to the
 * experiment's.
 */
public record ObjectReference(
    String apiVersion,
    String kind,
    String namespace,
    String name,
    String fieldPath,
    String uid,
    String resourceVersion,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public ObjectReference {
    extra = Extras.of(extra);
  }

  public static ObjectReference to(String apiVersion, String kind, String namespace, String name) {
    return new ObjectReference(apiVersion, kind, namespace, name, null, null, null, null);
  }

  public ObjectReference withFieldPath(String path) {
    return new ObjectReference(apiVersion, kind, namespace, name, path, uid, resourceVersion, extra);
  }
}
