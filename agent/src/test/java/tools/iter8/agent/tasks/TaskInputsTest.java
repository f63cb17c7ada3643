package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;

/** Reading {@code with}: the original's Go durations, quoted numbers and booleans, and named errors. */
class TaskInputsTest {

  private static TaskInputs with(String yaml) {
    return new TaskInputs(ApiMapper.json().convertValue(ApiMapper.read(yaml, JsonNode.class), new TypeReference<Map<String, JsonNode>>() {}));
  }

  @Test
  void durationsAreGoDurationsOrSeconds() {
    assertThat(with("{t: 1m30s}").duration("t")).contains(Duration.ofSeconds(90));
    assertThat(with("{t: 500ms}").duration("t")).contains(Duration.ofMillis(500));
    assertThat(with("{t: 1.5h}").duration("t")).contains(Duration.ofMinutes(90));
    assertThat(with("{t: 2}").duration("t")).contains(Duration.ofSeconds(2));
    assertThat(with("{}").duration("t")).isEmpty();
    assertThatThrownBy(() -> with("{t: 10 s}").duration("t")).hasMessageStartingWith("with.t: expected a duration");
  }

  @Test
  void quotedNumbersAndBooleansAreAccepted() {
    assertThat(with("{n: '8'}").number("n", 1, 0)).isEqualTo(8);
    assertThat(with("{b: 'true'}").bool("b", false)).isTrue();
    assertThat(with("{}").integer("n", 4, 1)).isEqualTo(4);
  }

  @Test
  void badValuesNameTheFieldAndWhatWasExpected() {
    assertThatThrownBy(() -> with("{n: 2.5}").integer("n", 1, 1)).hasMessage("with.n: expected a whole number ≥ 1, got 2.5");
    assertThatThrownBy(() -> with("{n: -1}").number("n", 1, 0)).hasMessage("with.n: expected a number ≥ 0, got -1");
    assertThatThrownBy(() -> with("{b: maybe}").bool("b", false)).hasMessage("with.b: expected true or false, got \"maybe\"");
    assertThatThrownBy(() -> TaskInputs.stringMap(ApiMapper.read("[{value: x}]", JsonNode.class), "with.headers"))
        .hasMessage("with.headers[0].name is required");
  }

  @Test
  void headersMayBeAMapOrAListOfNamesAndValues() {
    assertThat(TaskInputs.stringMap(ApiMapper.read("{A: '1'}", JsonNode.class), "h")).containsExactly(Map.entry("A", "1"));
    assertThat(TaskInputs.stringMap(ApiMapper.read("[{name: A, value: '1'}]", JsonNode.class), "h")).containsExactly(Map.entry("A", "1"));
  }
}
