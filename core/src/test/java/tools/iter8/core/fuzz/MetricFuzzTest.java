package tools.iter8.core.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import tools.iter8.core.api.Metric;
import tools.iter8.core.defaults.MetricDefaults;
import tools.iter8.core.validation.MetricValidator;

/**
 * Coverage-guided fuzzing of the Metric parser, defaults, validator (its jq expression compiled with the
 * agent's jq, its templates parsed) and CRD schema check ({@link ApiFuzzing} lists the properties).
 * Regression mode over {@code MetricFuzzTestInputs/} in every build; real fuzzing with {@code JAZZER_FUZZ=1}.
 */
class MetricFuzzTest {
  private static final ApiFuzzing<Metric> FUZZING =
      new ApiFuzzing<>(Metric.class, MetricDefaults::apply, MetricValidator::validate);
  private static final FuzzStats STATS = new FuzzStats("MetricFuzzTest#parsingDefaultingAndValidationAreTotal");

  @AfterAll
  static void report() {
    STATS.report();
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryEntries({
    "apiVersion: iter8.tools/v2alpha2", "kind: Metric", "metadata:", "spec:", "description:", "units:",
    "type:", "Counter", "Gauge", "sampleSize:", "params:", "name:", "value:", "body:", "method:", "GET", "POST",
    "authType:", "Basic", "Bearer", "APIKey", "secret:", "headerTemplates:", "urlTemplate:", "jqExpression:",
    "provider:", "iter8", "mock:", "approximateValue:", "posterior:", "model:", "Normal", "Beta", "stddev:",
    "histogram:", "$name", "$namespace", "$elapsedTime", "${token}", ".data.result[0].value[1] | tonumber",
    "| ", "tonumber", "select(", "reduce ", "def f: ", "..", "$__loc__", "@base64d", "{{", "}}", "\"", "'",
    "[", "]", "{", "}", "~", "&a", "*a"
  })
  void parsingDefaultingAndValidationAreTotal(byte[] input) {
    STATS.count();
    FUZZING.check(input);
  }
}
