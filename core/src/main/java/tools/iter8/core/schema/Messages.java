package tools.iter8.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import tools.iter8.core.validation.Problem;

/**
 * Words a validator message as a {@link Problem}: the path of the offending field in the resource and
 * what was expected there, taken from the CRD's own schema so that enums, limits and fields are named.
 */
final class Messages {
  /** The path of a problem with the resource as a whole. */
  static final String ROOT = "(root)";

  /** The pattern controller-gen emits for {@code resource.Quantity}. */
  static final String QUANTITY_PATTERN =
      "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final int MAX_VALUE_CHARS = 80;

  private Messages() {}

  static Problem notAnObject() {
    return new Problem(ROOT, "a resource must be an object with apiVersion, kind, metadata and spec");
  }

  static Problem problem(ValidationMessage m, JsonNode openApiV3Schema) {
    List<Object> location = elements(m.getInstanceLocation());
    JsonNode schema = schemaAt(openApiV3Schema, location);
    JsonNode value = m.getInstanceNode();
    String got = "; got " + show(value);
    return switch (m.getType()) {
      case "required" -> new Problem(path(location, m.getProperty()), "is required");
      case "additionalProperties" -> new Problem(path(location, m.getProperty()), unknownField(schema));
      case "type", "unionType" -> new Problem(path(location), "must be " + expectedType(schema) + got);
      case "enum" -> new Problem(path(location), "must be one of " + join(schema.path("enum")) + got);
      case "minimum", "exclusiveMinimum" ->
          new Problem(path(location), "must be " + bound(schema, "minimum", "greater than") + got);
      case "maximum", "exclusiveMaximum" ->
          new Problem(path(location), "must be " + bound(schema, "maximum", "less than") + got);
      case "minLength" ->
          new Problem(
              path(location),
              (schema.path("minLength").asInt() == 1
                      ? "must not be empty"
                      : "must be at least " + schema.path("minLength").asInt() + " characters long")
                  + got);
      case "pattern" -> new Problem(path(location), patternMismatch(schema) + got);
      case "format" -> new Problem(path(location), formatMismatch(schema.path("format").asText()) + got);
      default -> new Problem(path(location), withoutLocation(m));
    };
  }

  private static String unknownField(JsonNode objectSchema) {
    List<String> known = new ArrayList<>();
    objectSchema.path("properties").fieldNames().forEachRemaining(known::add);
    return known.isEmpty()
        ? "unknown field; this object has no fields"
        : "unknown field; expected one of " + String.join(", ", known.stream().sorted().toList());
  }

  private static String expectedType(JsonNode schema) {
    if (OpenApiConversion.flag(schema, "x-kubernetes-int-or-string")) {
      return "an integer or a string";
    }
    String type = schema.path("type").asText();
    return switch (type) {
      case "integer", "object", "array" -> "an " + type;
      case "" -> "a value of another type";
      default -> "a " + type;
    };
  }

  private static String bound(JsonNode schema, String keyword, String comparison) {
    String exclusive = "exclusive" + Character.toUpperCase(keyword.charAt(0)) + keyword.substring(1);
    boolean strict = schema.path(exclusive).asBoolean(false);
    return comparison + (strict ? " " : " or equal to ") + schema.path(keyword).asText();
  }

  private static String patternMismatch(JsonNode schema) {
    String pattern = schema.path("pattern").asText();
    if (QUANTITY_PATTERN.equals(pattern)) {
      return "must be a quantity: an integer or a string such as \"0.01\", \"250m\" or \"1Ki\"";
    }
    return "must match the pattern " + pattern;
  }

  private static String formatMismatch(String format) {
    return switch (format) {
      case "date-time" -> "must be a date-time such as \"2021-04-01T12:00:00Z\" (RFC 3339)";
      default -> "must be a valid " + format;
    };
  }

  /** The validator's own message without the location it starts with. */
  private static String withoutLocation(ValidationMessage m) {
    String text = m.getMessage();
    String location = m.getInstanceLocation().toString();
    return text.startsWith(location + ": ") ? text.substring(location.length() + 2) : text;
  }

  /** Walks the CRD schema along an instance path; a missing node when the path leaves the schema. */
  static JsonNode schemaAt(JsonNode schema, List<Object> location) {
    JsonNode current = schema;
    for (Object element : location) {
      JsonNode next;
      if (element instanceof Integer) {
        next = current.get("items");
      } else {
        next = OpenApiConversion.fieldSchema(current, (String) element);
      }
      if (next == null) {
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
      }
      current = next;
    }
    return current;
  }

  static List<Object> elements(JsonNodePath path) {
    List<Object> elements = new ArrayList<>(path.getNameCount());
    for (int i = 0; i < path.getNameCount(); i++) {
      elements.add(path.getElement(i));
    }
    return elements;
  }

  private static String path(List<Object> location, String field) {
    List<Object> full = new ArrayList<>(location);
    if (field != null) {
      full.add(field);
    }
    return path(full);
  }

  /** {@code spec.versionInfo.candidates[0].name}; map keys that are not identifiers in brackets. */
  static String path(List<Object> location) {
    StringBuilder out = new StringBuilder();
    for (Object element : location) {
      if (element instanceof Integer index) {
        out.append('[').append(index).append(']');
      } else if (IDENTIFIER.matcher((String) element).matches()) {
        out.append(out.length() == 0 ? "" : ".").append(element);
      } else {
        out.append('[').append(element).append(']');
      }
    }
    return out.length() == 0 ? ROOT : out.toString();
  }

  private static String join(JsonNode values) {
    return String.join(
        ", ", StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).toList());
  }

  private static String show(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    String text = value.toString();
    return text.length() <= MAX_VALUE_CHARS ? text : text.substring(0, MAX_VALUE_CHARS) + "…";
  }
}
