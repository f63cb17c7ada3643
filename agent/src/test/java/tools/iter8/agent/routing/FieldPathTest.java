package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FieldPathTest {

  @ParameterizedTest
  @CsvSource({
    ".spec.http[0].route[1].weight, /spec/http/0/route/1/weight",
    ".spec.traffic[1].percent, /spec/traffic/1/percent",
    ".spec.canaryTrafficPercent, /spec/canaryTrafficPercent",
    ".spec.backends[0].weight, /spec/backends/0/weight",
    ".spec.matrix[2][3], /spec/matrix/2/3",
    ".spec.my-field_x, /spec/my-field_x"
  })
  void convertsTheOriginalsFieldPathsToJsonPointers(String fieldPath, String pointer) {
    assertThat(FieldPath.toPointer(fieldPath)).isEqualTo(pointer);
  }

  @ParameterizedTest
  @ValueSource(strings = {"spec.x", ".spec..x", ".spec[a]", ".spec.x[0", "", ".spec/x"})
  void rejectsPathsThatAreNotFieldNamesAndIndexes(String fieldPath) {
    assertThatThrownBy(() -> FieldPath.toPointer(fieldPath))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("fieldPath \"" + fieldPath + "\"");
  }
}
