package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.iter8.core.api.ApiMapper;

/** Small reads and writes on raw Kubernetes objects (Jackson trees) that every admission needs. */
final class KubeObjects {
  private KubeObjects() {}

  /** {@code metadata.annotations} as a map; empty when there are none. */
  static Map<String, String> annotations(JsonNode object) {
    return strings(object == null ? null : object.path("metadata").path("annotations"));
  }

  /** {@code metadata.labels} as a map; empty when there are none. */
  static Map<String, String> labels(JsonNode object) {
    return strings(object == null ? null : object.path("metadata").path("labels"));
  }

  static String annotation(JsonNode object, String key) {
    return annotations(object).get(key);
  }

  static void setAnnotation(ObjectNode object, String key, String value) {
    ObjectNode metadata = object.withObjectProperty("metadata");
    JsonNode a = metadata.get("annotations");
    ObjectNode annotations = a instanceof ObjectNode o ? o : metadata.putObject("annotations");
    annotations.put(key, value);
  }

  static void removeAnnotation(ObjectNode object, String key) {
    if (object.path("metadata").path("annotations") instanceof ObjectNode annotations) {
      annotations.remove(key);
    }
  }

  /** The object's {@code metadata.generation}, 0 when absent. */
  static long generation(JsonNode object) {
    return object == null ? 0 : object.path("metadata").path("generation").asLong(0);
  }

  static String uid(JsonNode object) {
    return object == null ? "" : object.path("metadata").path("uid").asText("");
  }

  static String name(JsonNode object) {
    return object == null ? "" : object.path("metadata").path("name").asText("");
  }

  /** Compact JSON of a node, {@code null} for a missing one. */
  static String compactJson(JsonNode node) {
    return node == null || node.isMissingNode() ? "null" : ApiMapper.toJson(node);
  }

  private static Map<String, String> strings(JsonNode map) {
    Map<String, String> result = new LinkedHashMap<>();
    if (map != null && map.isObject()) {
      map.properties().forEach(e -> result.put(e.getKey(), e.getValue().isTextual()
          ? e.getValue().textValue()
          : e.getValue().toString()));
    }
    return result;
  }
}
