package tools.iter8.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the OpenAPI v3 subset of a CRD's structural schema into a JSON Schema (draft 4) that a generic
 * validator checks the way kube-apiserver does with {@code fieldValidation=Strict}.
 *
 * <ul>
 *   <li>Objects with {@code properties} (or with neither properties nor additionalProperties) get
 *       {@code additionalProperties: false} unless they carry {@code x-kubernetes-preserve-unknown-fields}:
 *       the API server prunes such fields, and Strict reports them as unknown.
 *   <li>{@code x-kubernetes-int-or-string} becomes {@code type: [integer, string]} (its {@code anyOf} only
 *       restates that), so a wrong value gets one message rather than one per branch.
 *   <li>A resource, and an {@code x-kubernetes-embedded-resource}, always has {@code apiVersion},
 *       {@code kind} and an open {@code metadata}: the API server validates metadata as ObjectMeta, not by
 *       the CRD. An embedded resource needs apiVersion and kind.
 *   <li>{@code nullable: true} admits {@code null}; other nulls never reach validation (see
 *       {@link #pruneNulls}).
 *   <li>Keywords without a validation meaning here (description, default, x-kubernetes-*, formats of
 *       numbers) are dropped.
 * </ul>
 */
final class OpenApiConversion {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Keywords whose meaning is the same in OpenAPI v3.0 schemas and JSON Schema draft 4. */
  private static final List<String> SAME_IN_BOTH =
      List.of(
          "type", "enum", "required", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
          "minLength", "maxLength", "pattern", "minItems", "maxItems", "uniqueItems", "multipleOf",
          "minProperties", "maxProperties");

  private OpenApiConversion() {}

  static ObjectNode toJsonSchema(JsonNode openApiV3Schema) {
    ObjectNode schema = convert(openApiV3Schema, true);
    schema.put("$schema", "http://json-schema.org/draft-04/schema#");
    return schema;
  }

  private static ObjectNode convert(JsonNode s, boolean resourceRoot) {
    ObjectNode out = NODES.objectNode();
    for (String keyword : SAME_IN_BOTH) {
      if (s.has(keyword)) {
        out.set(keyword, s.get(keyword).deepCopy());
      }
    }
    if (s.has("format") && "string".equals(s.path("type").asText())) {
      out.set("format", s.get("format").deepCopy()); // Kubernetes checks formats of strings only.
    }
    if (flag(s, "x-kubernetes-int-or-string")) {
      out.set("type", NODES.arrayNode().add("integer").add("string"));
    } else {
      for (String junctor : List.of("allOf", "anyOf", "oneOf")) {
        if (s.has(junctor)) {
          ArrayNode branches = out.putArray(junctor);
          s.get(junctor).forEach(branch -> branches.add(convert(branch, false)));
        }
      }
    }
    if (s.has("not")) {
      out.set("not", convert(s.get("not"), false));
    }
    if (s.has("items")) {
      out.set("items", convert(s.get("items"), false));
    }

    boolean resource = resourceRoot || flag(s, "x-kubernetes-embedded-resource");
    if (s.has("properties") || resource) {
      ObjectNode properties = out.putObject("properties");
      if (resource) {
        // Every resource has these, declared or not.
        properties.set("apiVersion", NODES.objectNode().put("type", "string"));
        properties.set("kind", NODES.objectNode().put("type", "string"));
        properties.set("metadata", NODES.objectNode().put("type", "object"));
      }
      for (Map.Entry<String, JsonNode> p : s.path("properties").properties()) {
        if (!(resource && "metadata".equals(p.getKey()))) {
          properties.set(p.getKey(), convert(p.getValue(), false));
        }
      }
    }
    if (s.has("additionalProperties")) {
      JsonNode additional = s.get("additionalProperties");
      out.set("additionalProperties", additional.isBoolean() ? additional : convert(additional, false));
    } else if (isObject(s) && !flag(s, "x-kubernetes-preserve-unknown-fields")) {
      out.put("additionalProperties", false);
    }
    if (resource && !resourceRoot) {
      ArrayNode required = out.has("required") ? (ArrayNode) out.get("required") : out.putArray("required");
      for (String field : List.of("apiVersion", "kind")) {
        if (!contains(required, field)) {
          required.add(field);
        }
      }
    }
    if (flag(s, "nullable")) {
      admitNull(out);
    }
    return out;
  }

  /**
   * A copy of {@code value} without the {@code null} fields the schema does not declare nullable, as the
   * API server prunes them before validating (so {@code candidates:} with nothing after it is fine).
   */
  static JsonNode pruneNulls(JsonNode value, JsonNode openApiV3Schema) {
    JsonNode copy = value.deepCopy();
    prune(copy, openApiV3Schema);
    return copy;
  }

  private static void prune(JsonNode value, JsonNode schema) {
    if (value.isObject()) {
      List<String> nulls = new ArrayList<>();
      for (Map.Entry<String, JsonNode> field : value.properties()) {
        JsonNode fieldSchema = fieldSchema(schema, field.getKey());
        if (fieldSchema == null) {
          continue; // unknown (reported by validation) or free JSON
        }
        if (field.getValue().isNull() && !flag(fieldSchema, "nullable")) {
          nulls.add(field.getKey());
        } else {
          prune(field.getValue(), fieldSchema);
        }
      }
      ((ObjectNode) value).remove(nulls);
    } else if (value.isArray() && schema.has("items")) {
      value.forEach(item -> prune(item, schema.get("items")));
    }
  }

  /** The schema of a field of an object, from properties or additionalProperties; null if none. */
  static JsonNode fieldSchema(JsonNode objectSchema, String field) {
    JsonNode property = objectSchema.path("properties").get(field);
    if (property != null) {
      return property;
    }
    JsonNode additional = objectSchema.get("additionalProperties");
    return additional != null && additional.isObject() ? additional : null;
  }

  static boolean isObject(JsonNode s) {
    return "object".equals(s.path("type").asText()) || s.has("properties");
  }

  static boolean flag(JsonNode s, String name) {
    return s.path(name).asBoolean(false);
  }

  private static void admitNull(ObjectNode out) {
    JsonNode type = out.get("type");
    if (type != null && type.isTextual()) {
      out.set("type", NODES.arrayNode().add(type.asText()).add("null"));
    } else if (type != null && type.isArray()) {
      ((ArrayNode) type).add("null");
    }
    if (out.has("enum")) {
      ((ArrayNode) out.get("enum")).addNull();
    }
  }

  private static boolean contains(ArrayNode array, String text) {
    for (JsonNode item : array) {
      if (text.equals(item.asText())) {
        return true;
      }
    }
    return false;
  }
}
