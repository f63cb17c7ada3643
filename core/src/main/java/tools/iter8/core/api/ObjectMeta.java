package tools.iter8.core.api;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Map;

/**
 * The part of Kubernetes object metadata that iter8 reads; every other field (owner references,
 * finalizers, managed fields, ...) is kept in {@link #extra()} and written back unchanged.
 */
public record ObjectMeta(
    String name,
    String generateName,
    String namespace,
    String uid,
    String resourceVersion,
    Long generation,
    Instant creationTimestamp,
    Instant deletionTimestamp,
    Map<String, String> labels,
    Map<String, String> annotations,
    @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

  public ObjectMeta {
    extra = Extras.of(extra);
  }

  public static ObjectMeta named(String namespace, String name) {
    return new ObjectMeta(name, null, namespace, null, null, null, null, null, null, null, null);
  }

  /** {@code namespace/name}, the key iter8 uses for targets, metrics and log lines. */
  public String key() {
    return (namespace == null ? "" : namespace + "/") + name;
  }
}
