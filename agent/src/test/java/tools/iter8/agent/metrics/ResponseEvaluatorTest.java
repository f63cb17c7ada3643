package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/** How a response becomes a value, no data or an error: the rules of DESIGN §2.5, one case each. */
class ResponseEvaluatorTest {
  private static final String PROMETHEUS_JQ = ".data.result[0].value[1] | tonumber";
  private static final String BUCKETS_JQ = "[.data.result[] | {le: .metric.le, count: (.value[1] | tonumber)}]";
  private static final String PREFIX = "metric ns/m (version v1): ";

  private final ResponseEvaluator evaluator = new ResponseEvaluator(ApiMapper.json());

  private static String vector(String... values) {
    StringBuilder sb = new StringBuilder("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[");
    for (int i = 0; i < values.length; i++) {
      sb.append(i == 0 ? "" : ",").append("{\"metric\":{},\"value\":[1700000000.1,\"").append(values[i]).append("\"]}");
    }
    return sb.append("]}}").toString();
  }

  private Observation scalar(String body, String jq) {
    return evaluator.evaluate(body, jq, false, PREFIX);
  }

  @Test
  void aPrometheusNumberIsAValue() {
    assertThat(scalar(vector("12.5"), PROMETHEUS_JQ)).isEqualTo(new Observation.Value(12.5));
  }

  @Test
  void theFirstOutputIsTheValueAsInTheOriginal() {
    assertThat(scalar(vector("1", "2"), ".data.result[].value[1] | tonumber")).isEqualTo(new Observation.Value(1));
    assertThat(scalar("{\"a\":[3,\"x\"]}", ".a[] | tonumber")).isEqualTo(new Observation.Value(3));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " ~ ",
      quoteCharacter = '`',
      value = {
        "empty Prometheus result, tonumber fails ~ {\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}} ~ "
            + PROMETHEUS_JQ + " ~ no series matched the query (empty result)",
        "NaN (0/0), tonumber gives NaN ~ {\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}} ~ "
            + PROMETHEUS_JQ + " ~ the value is NaN (e.g. 0/0: no traffic)",
        "+Inf (x/0), tonumber fails ~ {\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"+Inf\"]}]}} ~ "
            + PROMETHEUS_JQ + " ~ the query's value is +Inf (e.g. 0/0: no traffic)",
        "NaN scalar ~ {\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1,\"NaN\"]}} ~ .data.result[1] | tonumber"
            + " ~ the value is NaN (e.g. 0/0: no traffic)",
        "null ~ {\"data\":{\"result\":[]}} ~ .data.result[0].value[1] ~ jq expression '.data.result[0].value[1]' produced null",
        "no output ~ {\"a\":[]} ~ .a[] ~ jq expression '.a[]' produced no output",
        "a string ~ {\"a\":\"12\"} ~ .a ~ jq expression '.a' produced the string \"12\", not a number (add '| tonumber'?)",
        "an object ~ {\"a\":{\"b\":1}} ~ .a ~ jq expression '.a' produced an object {\"b\":1}, not a number",
        "a huge number ~ {\"a\":\"1e400\"} ~ .a | tonumber ~ the value is +Inf (e.g. a division by zero)",
      })
  void nothingToJudgeIsNoData(String name, String body, String jq, String reason) {
    assertThat(scalar(body, jq)).isEqualTo(new Observation.NoData(reason));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = " ~ ",
      quoteCharacter = '`',
      value = {
        "not JSON ~ <html>oops</html> ~ .a ~ the response is not JSON: <html>oops</html>",
        "empty body ~ `` ~ .a ~ the response is empty, not JSON",
        "Prometheus error ~ {\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error\"} ~ .a"
            + " ~ the backend reported an error: bad_data parse error",
        "jq runtime error on data ~ {\"data\":{\"result\":[{\"value\":[1,\"5\"]}]}} ~ .data.result[0].value[1].count"
            + " ~ jq expression '.data.result[0].value[1].count' failed: Cannot index string with string \"count\"",
        "tonumber on a word ~ {\"a\":\"abc\"} ~ .a | tonumber ~ jq expression '.a | tonumber' failed: For input string: \"abc\"",
        "jq error() ~ {} ~ error(\"boom\") ~ jq expression 'error(\"boom\")' failed: boom",
      })
  void brokenAnswersAndQueriesAreErrors(String name, String body, String jq, String reason) {
    assertThat(scalar(body, jq)).isEqualTo(new Observation.Error(PREFIX + reason));
  }

  @Test
  void aJqExpressionThatDoesNotCompileIsAnErrorNamingIt() {
    Observation o = scalar("{}", ".data.result[0");
    assertThat(o).isInstanceOf(Observation.Error.class);
    assertThat(((Observation.Error) o).reason()).startsWith(PREFIX + "jq expression '.data.result[0' does not compile: ");
  }

  @Test
  void histogramBucketsBecomeAHistogramWithInfinity() {
    String body = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
        + "{\"metric\":{\"le\":\"+Inf\"},\"value\":[1,\"10\"]},"
        + "{\"metric\":{\"le\":\"100\"},\"value\":[1,\"9\"]},"
        + "{\"metric\":{\"le\":\"50\"},\"value\":[1,\"4\"]}]}}";
    assertThat(evaluator.evaluate(body, BUCKETS_JQ, true, PREFIX))
        .isEqualTo(new Observation.Buckets(new Histogram(List.of(
            new Histogram.Bucket(50, 4), new Histogram.Bucket(100, 9), new Histogram.Bucket(Double.POSITIVE_INFINITY, 10)))));
  }

  @Test
  void anEmptyOrTrafficlessHistogramIsNoData() {
    assertThat(evaluator.evaluate(vector(), BUCKETS_JQ, true, PREFIX))
        .isEqualTo(new Observation.NoData("no buckets: no series matched the query"));
    String zeros = "{\"status\":\"success\",\"data\":{\"result\":["
        + "{\"metric\":{\"le\":\"+Inf\"},\"value\":[1,\"0\"]},{\"metric\":{\"le\":\"5\"},\"value\":[1,\"0\"]}]}}";
    assertThat(evaluator.evaluate(zeros, BUCKETS_JQ, true, PREFIX))
        .isEqualTo(new Observation.NoData("the histogram holds no observations (no traffic)"));
  }

  @Test
  void aHistogramExpressionThatYieldsNoBucketsIsAnError() {
    Observation o = evaluator.evaluate(vector("3"), PROMETHEUS_JQ, true, PREFIX);
    assertThat(((Observation.Error) o).reason())
        .isEqualTo(PREFIX + "jq expression '" + PROMETHEUS_JQ
            + "' must yield the cumulative buckets [{le, count}] of a Histogram metric, got a number 3");
    Observation wrongShape = evaluator.evaluate("{\"b\":[{\"bound\":1}]}", ".b", true, PREFIX);
    assertThat(((Observation.Error) wrongShape).reason()).endsWith("got the element {\"bound\":1}");
  }
}
