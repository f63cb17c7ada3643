package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import tools.iter8.core.schema.CrdSchemas;

/**
 * The hand-written status fixtures are experiments the API server would store: valid against the shipped CRD
 * (strict, status included) and core's validation.
 */
class FixturesTest {
  static final List<String> EXPERIMENTS = Fixtures.EXPERIMENTS;

  private final ManifestValidator validator = new ManifestValidator(CrdSchemas.builtin(), false);

  @ParameterizedTest(name = "{0}")
  @FieldSource("EXPERIMENTS")
  void goldenFixtureIsAValidExperimentWithStatus(String name) {
    ManifestValidator.Result result = validator.validate(name, Fixtures.experimentText(name));

    assertThat(result.findings()).isEmpty();
    assertThat(result.resources()).isEqualTo(1);
    assertThat(Fixtures.experiment(name).status()).isNotNull();
  }

  @Test
  void originalShapedFixtureIsValidToo() {
    String resource = "original/kfserving-canary.yaml";
    assertThat(validator.validate(resource, Fixtures.text(resource)).findings()).isEmpty();
  }
}
