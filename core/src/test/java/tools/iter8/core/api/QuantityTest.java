package tools.iter8.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "330681818182n, 330.681818182",
    "250m, 0.25",
    "0.01, 0.01",
    "50, 50",
    "1k, 1000",
    "1Ki, 1024",
    "2Mi, 2097152",
    "1.5G, 1500000000",
    "12e-2, 0.12",
    "1E3, 1000",
    "-5, -5",
    "+.5, 0.5",
    "3u, 0.000003",
  })
  void decimalValueFollowsTheKubernetesSuffixes(String text, String expected) {
    assertThat(Quantity.of(text).decimal()).hasValueSatisfying(d -> assertThat(d).isEqualByComparingTo(new BigDecimal(expected)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "1.2.3", "10 m", "1KiB", "", "m"})
  void malformedTextIsKeptButInvalid(String text) {
    Quantity q = Quantity.of(text);

    assertThat(q.isValid()).isFalse();
    assertThat(q.decimal()).isEmpty();
    assertThatThrownBy(q::value).isInstanceOf(IllegalStateException.class).hasMessageContaining(text);
  }

  @Test
  void computedValuesUsePlainDecimalText() {
    assertThat(Quantity.of(0.0123).text()).isEqualTo("0.0123");
    assertThat(Quantity.of(1e-9).text()).isEqualTo("0.000000001");
    assertThat(Quantity.of(12.0).text()).isEqualTo("12");
  }

  @Test
  void nonFiniteValuesAreNotQuantities() {
    assertThatThrownBy(() -> Quantity.of(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Quantity.of(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aYamlNumberPastTheRangeOfADoubleIsKeptAsInvalidTextAndWritesBackAsJson() {
    // Found by ExperimentFuzzTest (found-limit-past-the-range-of-a-double): writing it back threw.
    Objective o = ApiMapper.fromTree(
        ApiMapper.read("metric: iter8-system/mean-latency\nupperLimit: 2000E2000\n", com.fasterxml.jackson.databind.JsonNode.class),
        Objective.class);

    assertThat(o.upperLimit().isValid()).isFalse();
    assertThat(ApiMapper.toJson(o)).contains("\"upperLimit\":\"Infinity\"");
  }
}
