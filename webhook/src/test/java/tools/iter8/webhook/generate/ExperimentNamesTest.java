package tools.iter8.webhook.generate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExperimentNamesTest {

  @Test
  void theIdIsStableForTheSameInputs() {
    String id = ExperimentNames.id("uid-1", 3, "aaaa", "bbbb", null);
    assertThat(id).matches("[0-9a-f]{8}");
    assertThat(ExperimentNames.id("uid-1", 3, "aaaa", "bbbb", null)).isEqualTo(id);
  }

  @Test
  void everyInputChangesTheId() {
    String id = ExperimentNames.id("uid-1", 3, "aaaa", "bbbb", null);
    assertThat(ExperimentNames.id("uid-2", 3, "aaaa", "bbbb", null)).isNotEqualTo(id);
    assertThat(ExperimentNames.id("uid-1", 4, "aaaa", "bbbb", null)).isNotEqualTo(id);
    assertThat(ExperimentNames.id("uid-1", 3, "cccc", "bbbb", null)).isNotEqualTo(id);
    assertThat(ExperimentNames.id("uid-1", 3, "aaaa", "cccc", null)).isNotEqualTo(id);
    assertThat(ExperimentNames.id("uid-1", 3, "aaaa", "bbbb", "1")).isNotEqualTo(id);
  }

  @Test
  void namesAreWorkloadDashId() {
    assertThat(ExperimentNames.experimentName("myapp", "1a2b3c4d")).isEqualTo("myapp-1a2b3c4d");
  }

  @Test
  void longNamesAreShortenedToValidNames() {
    String longName = "a".repeat(250) + "-b";
    assertThat(ExperimentNames.experimentName(longName, "1a2b3c4d")).hasSize(253).endsWith("a-1a2b3c4d");
    String label = ExperimentNames.labelValue("x".repeat(70));
    assertThat(label).hasSize(63).matches("x{54}-[0-9a-f]{8}");
    assertThat(ExperimentNames.labelValue("myapp")).isEqualTo("myapp");
  }
}
