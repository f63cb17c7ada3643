package tools.iter8.install.support;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.util.ModelMapper;
import java.io.IOException;
import java.util.Optional;
import tools.iter8.core.api.ApiMapper;

/**
 * client-java's typed model of a built-in kind: parsing a rendered object into it (the generated models
 * refuse unknown fields) and writing it back must give the same object, so a misspelt or misplaced field
 * cannot hide in the manifests.
 */
public final class TypedModels {
  private TypedModels() {}

  /** The model class of a built-in kind, empty for custom resources (iter8's, cert-manager's). */
  public static Optional<Class<?>> classOf(K8sObject o) {
    String apiVersion = o.apiVersion();
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    String version = apiVersion.substring(slash + 1);
    return Optional.ofNullable(ModelMapper.getApiTypeClass(group, version, o.kind()));
  }

  /** The typed object; fails naming the object when it does not parse or does not round-trip. */
  public static <T> T parse(K8sObject o, Class<T> type) {
    String json = ApiMapper.toJson(o.node());
    T typed;
    try {
      typed = JSON.deserialize(json, type);
    } catch (RuntimeException e) {
      throw new AssertionError(o + " does not parse as client-java's " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    JsonNode back;
    try {
      back = ApiMapper.json().readTree(JSON.serialize(typed));
    } catch (IOException e) {
      throw new AssertionError(o + ": cannot read back " + type.getSimpleName(), e);
    }
    back = withoutModelDefaults(back, o.node());
    if (!back.equals(o.node())) {
      throw new AssertionError(o + " changes when read as client-java's " + type.getSimpleName()
          + " (a field the model does not know, or a value it normalises):\nrendered:  " + o.node() + "\nas model: " + back);
    }
    return typed;
  }

  /**
   * The models write empty lists and maps for fields the rendering left out (finalizers: [], annotations: {});
   * those are not differences. Empty containers the rendering has (emptyDir: {}) stay and must match.
   */
  private static JsonNode withoutModelDefaults(JsonNode model, JsonNode rendered) {
    if (model.isObject()) {
      com.fasterxml.jackson.databind.node.ObjectNode out = ApiMapper.json().createObjectNode();
      model.properties().forEach(e -> {
        JsonNode r = rendered == null ? null : rendered.get(e.getKey());
        JsonNode v = e.getValue();
        if (r == null && (v.isContainerNode() && v.isEmpty() || v.isNull())) {
          return;
        }
        out.set(e.getKey(), withoutModelDefaults(v, r));
      });
      return out;
    }
    if (model.isArray()) {
      com.fasterxml.jackson.databind.node.ArrayNode out = ApiMapper.json().createArrayNode();
      for (int i = 0; i < model.size(); i++) {
        out.add(withoutModelDefaults(model.get(i), rendered != null && rendered.isArray() && i < rendered.size() ? rendered.get(i) : null));
      }
      return out;
    }
    if (model.isNumber() && rendered != null && rendered.isNumber()
        && model.decimalValue().compareTo(rendered.decimalValue()) == 0) {
      return rendered; // the models read every OpenAPI number (minimum: 0) as a double
    }
    return model;
  }
}
