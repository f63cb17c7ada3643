package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationsTest {

  @Test
  void readsDurationsAsKubectlTakesThem() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void readsBareSecondsAndIso8601() {
    assertThat(Durations.parse("45")).isEqualTo(Duration.ofSeconds(45));
    assertThat(Durations.parse("PT2M")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void rejectsAnythingElseWithTheFormsItTakes() {
    assertThatThrownBy(() -> Durations.parse("soon"))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage("'soon' is not a duration; use e.g. 30s, 5m, 1h30m, 500ms or a number of seconds");
  }
}
