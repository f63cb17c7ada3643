package tools.iter8.install.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** One rendered object, as the YAML said it (Jackson tree), with its identity. */
public record K8sObject(JsonNode node) {
  public String apiVersion() {
    return node.path("apiVersion").asText();
  }

  public String kind() {
    return node.path("kind").asText();
  }

  public String name() {
    return node.at("/metadata/name").asText();
  }

  /** The namespace, or "" for cluster-scoped objects. */
  public String namespace() {
    return node.at("/metadata/namespace").asText("");
  }

  public Map<String, String> labels() {
    Map<String, String> labels = new LinkedHashMap<>();
    node.at("/metadata/labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
    return labels;
  }

  /** {@code Kind namespace/name} (or {@code Kind name}): unique within one rendering. */
  public String id() {
    return kind() + " " + (namespace().isEmpty() ? "" : namespace() + "/") + name();
  }

  public JsonNode at(String pointer) {
    return node.at(pointer);
  }

  @Override
  public String toString() {
    return id();
  }
}
