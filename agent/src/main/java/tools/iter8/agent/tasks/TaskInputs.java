package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reading of a task's {@code with} inputs. Every problem names the field ({@code with.qps}) and what
 * was expected, and fails the task before it does anything. Numbers and booleans are also accepted as
 * text ({@code "8"}, {@code "true"}), because Helm and Kustomize users often quote them.
 */
final class TaskInputs {
  /** Go's {@code time.ParseDuration} syntax, which the original's {@code time} input used (fortio {@code -t}). */
  private static final Pattern GO_DURATION_PART = Pattern.compile("([0-9]*\\.?[0-9]+)(ns|us|µs|ms|s|m|h)");

  private final Map<String, JsonNode> with;

  TaskInputs(Map<String, JsonNode> with) {
    this.with = with == null ? Map.of() : with;
  }

  /** The input, absent when missing or JSON null. */
  Optional<JsonNode> node(String key) {
    JsonNode n = with.get(key);
    return n == null || n.isNull() || n.isMissingNode() ? Optional.empty() : Optional.of(n);
  }

  Optional<String> string(String key) {
    return node(key).map(n -> text(n, "with." + key));
  }

  String requiredString(String key) {
    return string(key)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> new TaskException("with." + key + " is required"));
  }

  boolean bool(String key, boolean otherwise) {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) {
      return otherwise;
    }
    JsonNode v = n.get();
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    throw new TaskException("with." + key + ": expected true or false, got " + v);
  }

  /** A number of at least {@code min}, or {@code otherwise} when absent. */
  double number(String key, double otherwise, double min) {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) {
      return otherwise;
    }
    double v = parseNumber(n.get(), "with." + key);
    if (v < min) {
      throw new TaskException("with." + key + ": expected a number ≥ " + format(min) + ", got " + format(v));
    }
    return v;
  }

  /** A whole number of at least {@code min}, or {@code otherwise} when absent. */
  long integer(String key, long otherwise, long min) {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) {
      return otherwise;
    }
    double v = parseNumber(n.get(), "with." + key);
    if (v != Math.rint(v) || v < min || v > Long.MAX_VALUE) {
      throw new TaskException("with." + key + ": expected a whole number ≥ " + min + ", got " + format(v));
    }
    return (long) v;
  }

  /**
   * A duration: Go syntax as the original ({@code 10s}, {@code 1m30s}, {@code 500ms}) or a plain number of
   * seconds.
   */
  Optional<Duration> duration(String key) {
    return node(key).map(n -> parseDuration(n, "with." + key));
  }

  /** A list input; absent is empty. */
  List<JsonNode> list(String key) {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) {
      return List.of();
    }
    if (!n.get().isArray()) {
      throw new TaskException("with." + key + ": expected a list, got " + kind(n.get()));
    }
    List<JsonNode> items = new ArrayList<>();
    n.get().forEach(items::add);
    return items;
  }

  /** A text field of an object inside the inputs, e.g. {@code with.objRefs[0].name}. */
  static Optional<String> field(JsonNode object, String key, String at) {
    JsonNode n = object.get(key);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(text(n, at + "." + key));
  }

  static String requiredField(JsonNode object, String key, String at) {
    return field(object, key, at)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> new TaskException(at + "." + key + " is required"));
  }

  /**
   * A string map in either form: {@code {name: value}} (the original collect task's headers) or
   * {@code [{name, value}]} (the original http task's headers).
   */
  static Map<String, String> stringMap(JsonNode node, String at) {
    Map<String, String> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isObject()) {
      node.properties().forEach(e -> out.put(e.getKey(), text(e.getValue(), at + "." + e.getKey())));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = node.get(i);
        String itemAt = at + "[" + i + "]";
        if (!item.isObject()) {
          throw new TaskException(itemAt + ": expected {name, value}, got " + kind(item));
        }
        out.put(requiredField(item, "name", itemAt), field(item, "value", itemAt).orElse(""));
      }
    } else {
      throw new TaskException(at + ": expected a map or a list of {name, value}, got " + kind(node));
    }
    return out;
  }

  private static String text(JsonNode n, String at) {
    if (n.isValueNode()) {
      return n.asText();
    }
    throw new TaskException(at + ": expected text, got " + kind(n));
  }

  private static double parseNumber(JsonNode n, String at) {
    if (n.isNumber()) {
      return n.doubleValue();
    }
    if (n.isTextual()) {
      try {
        return Double.parseDouble(n.asText().strip());
      } catch (NumberFormatException e) {
        // Reported below.
      }
    }
    throw new TaskException(at + ": expected a number, got " + n);
  }

  static Duration parseDuration(JsonNode n, String at) {
    if (n.isNumber()) {
      return Duration.ofMillis(Math.round(n.doubleValue() * 1000));
    }
    String text = n.isTextual() ? n.asText().strip() : "";
    Matcher m = GO_DURATION_PART.matcher(text);
    double nanos = 0;
    int at0 = 0;
    while (!text.isEmpty() && m.find(at0) && m.start() == at0) {
      nanos += Double.parseDouble(m.group(1)) * unitNanos(m.group(2));
      at0 = m.end();
    }
    if (text.isEmpty() || at0 != text.length()) {
      throw new TaskException(at + ": expected a duration such as 10s, 1m30s or 500ms, got " + n);
    }
    return Duration.ofNanos(Math.round(nanos));
  }

  private static double unitNanos(String unit) {
    return switch (unit) {
      case "ns" -> 1;
      case "us", "µs" -> 1e3;
      case "ms" -> 1e6;
      case "s" -> 1e9;
      case "m" -> 60e9;
      default -> 3600e9;
    };
  }

  private static String kind(JsonNode n) {
    return n.isObject() ? "an object" : n.isArray() ? "a list" : n.toString();
  }

  private static String format(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
  }
}
