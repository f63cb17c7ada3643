package tools.iter8.core.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.Samples;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;

class MetricValidatorTest {

  static Stream<Samples.Doc> sampleMetrics() {
    return Samples.ofKind("Metric").stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sampleMetrics")
  void everySampleMetricIsValid(Samples.Doc doc) {
    assertThat(MetricValidator.validate(ApiMapper.fromTree(doc.node(), Metric.class))).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "type: counter                        | spec.type         | must be Counter, Gauge or Histogram, got \"counter\"",
        "posterior: {model: Beta}             | spec.posterior.model | unknown model \"Beta\"; expected one of Rate, Normal, HistogramMean, HistogramQuantile",
        "posterior: {model: Rate}             | spec.sampleSize   | is required with posterior model Rate",
        "posterior: {model: HistogramQuantile, histogram: latency} | spec.posterior.quantile | is required",
        "posterior: {model: HistogramQuantile, histogram: latency, quantile: 95} | spec.posterior.quantile | must be between 0 and 1",
        "posterior: {model: HistogramMean}    | spec.posterior.histogram | is required",
        "posterior: {model: Normal, stddev: '-3'} | spec.posterior.stddev | expected a positive quantity",
        "method: PUT                          | spec.method       | must be GET or POST, got \"PUT\"",
        "jqExpression: '.data.result[0'       | spec.jqExpression | is not a valid jq expression",
        "jqExpression: ''                     | spec.jqExpression | is required",
        "urlTemplate: 'prometheus:9090/api'   | spec.urlTemplate  | expected an http:// or https:// URL",
        "authType: Token                      | spec.authType     | must be Basic, Bearer or APIKey, got \"Token\"",
        "authType: Bearer                     | spec.secret       | is required with authType Bearer",
        "sampleSize: 'A/B/C'                  | spec.sampleSize   | expected a metric reference",
        "secret: 'ns/name/extra'              | spec.secret       | expected a Secret 'name' or 'namespace/name'",
        "params: [{name: query}]              | spec.params[0].value | is required",
        "headerTemplates: [{value: x}]        | spec.headerTemplates[0].name | is required",
        "mock: [{name: v1, level: lots}]      | spec.mock[0].level | expected a quantity",
        "mock: [{name: v1, level: 1}, {name: v1, level: 2}] | spec.mock[1].name | mocked more than once",
        "mock: [null]                         | spec.mock[0]      | is required",
        "params: [null]                       | spec.params[0]    | is required",
      })
  void brokenMetricIsReportedAtTheField(String change, String path, String message) {
    String yaml =
        "apiVersion: iter8.tools/v2alpha2\nkind: Metric\nmetadata: {name: m, namespace: ns}\nspec:\n"
            + "  urlTemplate: http://prometheus:9090/api/v1/query\n"
            + "  jqExpression: '.data.result[0].value[1] | tonumber'\n"
            + "  params: [{name: query, value: 'sum(x)'}]\n";
    String key = change.substring(0, change.indexOf(':'));
    yaml = yaml.lines().filter(l -> !l.trim().startsWith(key + ":")).reduce("", (a, l) -> a + l + "\n");
    yaml += "  " + change + "\n";

    assertThat(MetricValidator.validate(ApiMapper.read(yaml, Metric.class)))
        .anySatisfy(
            p -> {
              assertThat(p.path()).isEqualTo(path);
              assertThat(p.message()).contains(message);
            });
  }
}
