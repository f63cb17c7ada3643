package tools.iter8.agent.metrics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * Turns a backend's JSON response into an {@link Observation} with the metric's jq expression, through
 * jackson-jq (jq 1.6 semantics; the implementation core validates expressions with). As the original,
 * the <em>first</em> output of the expression is the value. The rules that keep the three outcomes apart:
 *
 * <ul>
 *   <li><b>No data</b>: the expression outputs nothing or {@code null}; a value that is not a number; NaN or
 *       ±Inf ({@code 0/0}, {@code x/0}); a Histogram metric's empty bucket list or buckets holding no
 *       observation. Also when the expression <em>fails</em> on a Prometheus response whose result is empty
 *       (no series matched) or holds only NaN/±Inf: the original's {@code .data.result[0].value[1] |
 *       tonumber} fails exactly there, and that is missing traffic, not a broken query.
 *   <li><b>Error</b>: a body that is not JSON; a Prometheus {@code status: error}; an expression that does
 *       not compile or fails on a response that has data (naming the expression and jq's message); a
 *       Histogram metric whose expression does not yield {@code [{le, count}]}.
 * </ul>
 *
 * <p>Compiled expressions are cached. Thread-safe.
 */
final class ResponseEvaluator {
  private static final int CACHE_SIZE = 512;
  private static final int EXCERPT = 300;

  private final ObjectMapper json;
  private final Scope builtins;
  private final Map<String, JsonQuery> compiled =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, JsonQuery> eldest) {
              return size() > CACHE_SIZE;
            }
          });

  ResponseEvaluator(ObjectMapper json) {
    this.json = json;
    this.builtins = Scope.newEmptyScope();
    BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, builtins);
  }

  /** Whether a Metric {@code type} says the expression yields buckets. */
  static boolean isHistogram(String type) {
    return "Histogram".equals(type);
  }

  /**
   * The observation a response body gives.
   *
   * @param errorPrefix the start of every error reason, e.g. {@code metric ns/m (version v2): }
   */
  Observation evaluate(String body, String jqExpression, boolean histogram, String errorPrefix) {
    JsonNode response;
    try {
      response = json.readTree(body);
    } catch (JsonProcessingException e) {
      return new Observation.Error(errorPrefix + "the response is not JSON: " + excerpt(body));
    }
    if (response == null || response.isMissingNode()) {
      return new Observation.Error(errorPrefix + "the response is empty, not JSON");
    }
    if ("error".equals(response.path("status").asText(null))) {
      return new Observation.Error(
          errorPrefix + "the backend reported an error: "
              + excerpt(response.path("errorType").asText("") + " " + response.path("error").asText("")).strip());
    }
    JsonQuery query;
    try {
      query = compile(jqExpression);
    } catch (JsonQueryException e) {
      return new Observation.Error(
          errorPrefix + "jq expression '" + jqExpression + "' does not compile: " + jqMessage(e));
    }
    List<JsonNode> outputs = new ArrayList<>(1);
    try {
      query.apply(Scope.newChildScope(builtins), response, out -> {
        if (outputs.isEmpty()) {
          outputs.add(out);
        }
      });
    } catch (JsonQueryException | RuntimeException e) {
      if (outputs.isEmpty()) {
        String noData = prometheusWithoutData(response);
        if (noData != null) {
          return new Observation.NoData(noData);
        }
        return new Observation.Error(
            errorPrefix + "jq expression '" + jqExpression + "' failed: " + jqMessage(e));
      }
      // The original takes the first output; a failure after it does not matter.
    }
    if (outputs.isEmpty()) {
      return new Observation.NoData("jq expression '" + jqExpression + "' produced no output");
    }
    JsonNode first = outputs.get(0);
    return histogram ? buckets(first, jqExpression, errorPrefix) : value(first, jqExpression);
  }

  private JsonQuery compile(String expression) throws JsonQueryException {
    JsonQuery q = compiled.get(expression);
    if (q == null) {
      q = JsonQuery.compile(expression, Versions.JQ_1_6);
      compiled.put(expression, q);
    }
    return q;
  }

  private static Observation value(JsonNode v, String jqExpression) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return new Observation.NoData("jq expression '" + jqExpression + "' produced null");
    }
    if (!v.isNumber()) {
      return new Observation.NoData(
          "jq expression '" + jqExpression + "' produced " + kind(v) + " " + excerpt(v.toString())
              + ", not a number" + (v.isTextual() ? " (add '| tonumber'?)" : ""));
    }
    double d = v.asDouble();
    if (Double.isNaN(d)) {
      return new Observation.NoData("the value is NaN (e.g. 0/0: no traffic)");
    }
    if (Double.isInfinite(d)) {
      return new Observation.NoData("the value is " + (d > 0 ? "+Inf" : "-Inf") + " (e.g. a division by zero)");
    }
    return new Observation.Value(d);
  }

  private static Observation buckets(JsonNode v, String jqExpression, String errorPrefix) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return new Observation.NoData("jq expression '" + jqExpression + "' produced null");
    }
    String expected = "jq expression '" + jqExpression
        + "' must yield the cumulative buckets [{le, count}] of a Histogram metric, ";
    if (!v.isArray()) {
      return new Observation.Error(errorPrefix + expected + "got " + kind(v) + " " + excerpt(v.toString()));
    }
    if (v.isEmpty()) {
      return new Observation.NoData("no buckets: no series matched the query");
    }
    List<Histogram.Bucket> buckets = new ArrayList<>(v.size());
    for (JsonNode b : v) {
      Double le = number(b.path("le"));
      Double count = number(b.path("count"));
      if (le == null || count == null) {
        return new Observation.Error(errorPrefix + expected + "got the element " + excerpt(b.toString()));
      }
      if (Double.isNaN(count) || Double.isNaN(le)) {
        return new Observation.NoData("a bucket is NaN: " + excerpt(b.toString()));
      }
      buckets.add(new Histogram.Bucket(le, count));
    }
    Histogram h;
    try {
      h = new Histogram(buckets);
    } catch (IllegalArgumentException e) {
      return new Observation.Error(errorPrefix + expected + e.getMessage());
    }
    if (!(h.total() > 0)) {
      return new Observation.NoData("the histogram holds no observations (no traffic)");
    }
    return new Observation.Buckets(h);
  }

  /** A bucket bound or count: a number, or a numeric string; {@code +Inf}/{@code Inf} are infinite. */
  private static Double number(JsonNode n) {
    if (n.isNumber()) {
      return n.asDouble();
    }
    if (!n.isTextual()) {
      return null;
    }
    String s = n.asText().strip();
    switch (s) {
      case "+Inf", "Inf", "inf", "+inf", "Infinity", "+Infinity" -> {
        return Double.POSITIVE_INFINITY;
      }
      case "-Inf", "-inf", "-Infinity" -> {
        return Double.NEGATIVE_INFINITY;
      }
      case "NaN", "nan" -> {
        return Double.NaN;
      }
      default -> {
        try {
          return Double.parseDouble(s);
        } catch (NumberFormatException e) {
          return null;
        }
      }
    }
  }

  /**
   * Why a Prometheus query response has nothing to judge, or {@code null} when it is not a successful
   * Prometheus response or holds a finite value.
   */
  static String prometheusWithoutData(JsonNode response) {
    if (!"success".equals(response.path("status").asText(null))) {
      return null;
    }
    JsonNode data = response.path("data");
    JsonNode result = data.path("result");
    if (!result.isArray()) {
      return null;
    }
    String type = data.path("resultType").asText("");
    if (type.equals("scalar") || type.equals("string")) {
      String v = result.path(1).asText("");
      return nonFinite(v) ? "the query's value is " + v + " (e.g. 0/0: no traffic)" : null;
    }
    if (result.isEmpty()) {
      return "no series matched the query (empty result)";
    }
    String seen = null;
    for (JsonNode series : result) {
      JsonNode value = series.has("value") ? series.path("value") : lastOf(series.path("values"));
      String v = value.path(1).asText("");
      if (!nonFinite(v)) {
        return null;
      }
      seen = v;
    }
    return "the query's value is " + seen + " (e.g. 0/0: no traffic)";
  }

  private static JsonNode lastOf(JsonNode values) {
    return values.isArray() && !values.isEmpty() ? values.get(values.size() - 1) : values;
  }

  private static boolean nonFinite(String v) {
    return v.equals("NaN") || v.equals("+Inf") || v.equals("-Inf") || v.equals("Inf");
  }

  private static String kind(JsonNode v) {
    return switch (v.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "the string";
      case BOOLEAN -> "the boolean";
      default -> "a " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    };
  }

  static String jqMessage(Throwable e) {
    String msg = e.getMessage();
    Throwable cause = e.getCause();
    if (cause != null && cause.getMessage() != null) {
      String c = cause.getMessage();
      msg = msg == null || msg.equals("N/A") ? c : msg.contains(c) ? msg : msg + ": " + c;
    }
    if (msg == null) {
      msg = e.getClass().getSimpleName();
    }
    return excerpt(msg.replaceAll("\\s+", " "));
  }

  static String excerpt(String s) {
    if (s == null) {
      return "";
    }
    String oneLine = s.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "…";
  }
}
