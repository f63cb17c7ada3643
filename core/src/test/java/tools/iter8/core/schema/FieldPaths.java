package tools.iter8.core.schema;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.iter8.core.api.ObjectMeta;
import tools.iter8.core.api.Quantity;

/**
 * Every JSON field path of a model class and of a CRD schema, each with the kind of value it holds, so
 * the two can be compared. Paths look like {@code spec.versionInfo.candidates[].weightObjRef.fieldPath};
 * {@code []} stands for any list item and {@code {}} for any map value.
 */
final class FieldPaths {
  /** The kinds of value both sides are reduced to. */
  static final String STRING = "string", INTEGER = "integer", NUMBER = "number", BOOLEAN = "boolean",
      DATE_TIME = "date-time", QUANTITY = "quantity", FREE_JSON = "free JSON", OBJECT = "object",
      ARRAY = "array", MAP = "map", OBJECT_META = "ObjectMeta";

  private FieldPaths() {}

  /** The field paths of a record class as Jackson writes it (the {@code extra} map is not a field). */
  static Map<String, String> ofModel(Class<?> root) {
    Map<String, String> paths = new TreeMap<>();
    recordFields(root, "", paths);
    return paths;
  }

  private static void recordFields(Class<?> record, String path, Map<String, String> paths) {
    for (RecordComponent c : record.getRecordComponents()) {
      if (c.getName().equals("extra")) {
        continue;
      }
      JsonProperty renamed = c.getAccessor().getAnnotation(JsonProperty.class);
      String name = renamed != null && !renamed.value().isEmpty() ? renamed.value() : c.getName();
      model(c.getGenericType(), join(path, name), paths);
    }
  }

  private static void model(Type type, String path, Map<String, String> paths) {
    if (type instanceof ParameterizedType p) {
      Class<?> raw = (Class<?>) p.getRawType();
      Type[] args = p.getActualTypeArguments();
      if (List.class.isAssignableFrom(raw)) {
        paths.put(path, ARRAY);
        model(args[0], path + "[]", paths);
      } else if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
        paths.put(path, MAP);
        model(args[1], path + "{}", paths);
      } else {
        throw new IllegalArgumentException("no JSON form known for " + type + " at " + path);
      }
      return;
    }
    Class<?> c = (Class<?>) type;
    String kind;
    if (c == String.class) {
      kind = STRING;
    } else if (c == Integer.class || c == Long.class || c == int.class || c == long.class) {
      kind = INTEGER;
    } else if (c == Double.class || c == double.class) {
      kind = NUMBER;
    } else if (c == Boolean.class || c == boolean.class) {
      kind = BOOLEAN;
    } else if (c == Instant.class) {
      kind = DATE_TIME;
    } else if (c == Quantity.class) {
      kind = QUANTITY;
    } else if (JsonNode.class.isAssignableFrom(c)) {
      kind = FREE_JSON;
    } else if (c == ObjectMeta.class) {
      kind = OBJECT_META; // validated by the API server as ObjectMeta, not by the CRD
    } else if (c.isRecord()) {
      paths.put(path, OBJECT);
      recordFields(c, path, paths);
      return;
    } else {
      throw new IllegalArgumentException("no JSON form known for " + c.getName() + " at " + path);
    }
    paths.put(path, kind);
  }

  /** The field paths of a CRD's openAPIV3Schema. */
  static Map<String, String> ofSchema(JsonNode openApiV3Schema) {
    Map<String, String> paths = new TreeMap<>();
    properties(openApiV3Schema, "", true, paths);
    return paths;
  }

  private static void properties(JsonNode objectSchema, String path, boolean resource, Map<String, String> paths) {
    objectSchema.path("properties").properties().forEach(p -> {
      String at = join(path, p.getKey());
      if (resource && p.getKey().equals("metadata")) {
        paths.put(at, OBJECT_META);
      } else {
        schema(p.getValue(), at, paths);
      }
    });
  }

  private static void schema(JsonNode s, String path, Map<String, String> paths) {
    String type = s.path("type").asText();
    if (s.path("x-kubernetes-int-or-string").asBoolean()) {
      paths.put(path, QUANTITY);
    } else if (s.path("x-kubernetes-preserve-unknown-fields").asBoolean() && !s.has("properties")) {
      paths.put(path, FREE_JSON);
    } else if (s.has("properties")) {
      paths.put(path, OBJECT);
      properties(s, path, s.path("x-kubernetes-embedded-resource").asBoolean(), paths);
    } else if (type.equals("object") && s.path("additionalProperties").isObject()) {
      paths.put(path, MAP);
      schema(s.get("additionalProperties"), path + "{}", paths);
    } else if (type.equals("array")) {
      paths.put(path, ARRAY);
      schema(s.path("items"), path + "[]", paths);
    } else if (type.equals("string") && "date-time".equals(s.path("format").asText())) {
      paths.put(path, DATE_TIME);
    } else if (List.of(STRING, INTEGER, NUMBER, BOOLEAN).contains(type)) {
      paths.put(path, type);
    } else {
      paths.put(path, "unknown schema " + s);
    }
  }

  /**
   * The schema field paths a JSON document fills: map keys become {@code {}} and list indexes {@code []};
   * free JSON is not descended into.
   */
  static Set<String> filledBy(JsonNode doc, JsonNode openApiV3Schema) {
    Set<String> paths = new TreeSet<>();
    filled(doc, openApiV3Schema, "", paths);
    return paths;
  }

  private static void filled(JsonNode node, JsonNode schema, String path, Set<String> paths) {
    if (!path.isEmpty()) {
      paths.add(path);
    }
    if (node.isObject() && schema.has("properties")) {
      node.properties().forEach(p -> {
        JsonNode child = schema.path("properties").get(p.getKey());
        if (child != null) {
          filled(p.getValue(), child, join(path, p.getKey()), paths);
        }
      });
    } else if (node.isObject() && schema.path("additionalProperties").isObject()) {
      node.properties().forEach(p -> filled(p.getValue(), schema.get("additionalProperties"), path + "{}", paths));
    } else if (node.isArray() && schema.has("items")) {
      node.forEach(item -> filled(item, schema.get("items"), path + "[]", paths));
    }
  }

  private static String join(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }
}
