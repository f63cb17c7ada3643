package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.core.api.Quantity;

class NumbersTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "330.681818182, 330.682",
      "330681818182n, 330.682",
      "0, 0.000",
      "50, 50.000",
      "1k, 1000.000",
      "10m, 0.010",
      "0.0001, 0.001",
      "-1.2345, -1.234",
      "2.5e3, 2500.000",
      "1Ki, 1024.000"})
  void formatsQuantitiesToThreeDecimalsRoundingUp(String quantity, String shown) {
    assertThat(Numbers.format(Quantity.of(quantity))).isEqualTo(shown);
  }

  @Test
  void missingOrUnparsableValueIsUnavailable() {
    assertThat(Numbers.format((Quantity) null)).isEqualTo("unavailable");
    assertThat(Numbers.format(Quantity.of("lots"))).isEqualTo("unavailable");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"0.973, 0.973", "0.9996, >0.999", "1, 1.000", "0.0004, <0.001", "0, 0.000", "0.05, 0.050"})
  void probabilitiesNeverRoundToACertaintyTheyAreNot(double p, String shown) {
    assertThat(Numbers.probability(p)).isEqualTo(shown);
  }

  @Test
  void durationsReadAsKubectlWritesThem() {
    assertThat(Numbers.duration(Duration.ofSeconds(297))).isEqualTo("4m57s");
    assertThat(Numbers.duration(Duration.ofSeconds(3603))).isEqualTo("1h0m3s");
    assertThat(Numbers.duration(Duration.ofMillis(900))).isEqualTo("0s");
    assertThat(Numbers.duration(Duration.ofSeconds(45))).isEqualTo("45s");
  }
}
