package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;

/** The {@code kubectl wait --for} forms a readiness objRef may use. */
class WaitConditionTest {
  private static final JsonNode POD_LIKE = ApiMapper.read("""
      metadata: {generation: 3}
      status:
        observedGeneration: 3
        phase: Running
        replicas: 2
        conditions:
        - {type: Ready, status: "True"}
        - {type: Degraded, status: "False", reason: AllGood}
      """, JsonNode.class);

  private static String unmet(String waitFor) {
    return WaitCondition.parse(waitFor, "at").unmet(POD_LIKE).orElse("met");
  }

  @Test
  void conditionsCompareTypeAndStatusCaseInsensitivelyWithTrueByDefault() {
    assertThat(unmet("condition=Ready")).isEqualTo("met");
    assertThat(unmet("condition=ready=true")).isEqualTo("met");
    assertThat(unmet("condition=Degraded=False")).isEqualTo("met");
    assertThat(unmet("condition=Degraded")).isEqualTo("condition Degraded is False, not True (AllGood)");
    assertThat(unmet("condition=Available")).isEqualTo("no condition Available yet");
  }

  @Test
  void simpleJsonPathsTestExistenceOrValue() {
    assertThat(unmet("jsonpath={.status.phase}=Running")).isEqualTo("met");
    assertThat(unmet("jsonpath='{.status.replicas}'=2")).isEqualTo("met");
    assertThat(unmet("jsonpath={.status.conditions[1].reason}")).isEqualTo("met");
    assertThat(unmet("jsonpath={.status.phase}=Pending")).isEqualTo("jsonpath={.status.phase}=Pending: the field is Running");
    assertThat(unmet("jsonpath={.status.readyReplicas}")).isEqualTo("jsonpath={.status.readyReplicas}: the field is not set");
  }

  @Test
  void absentOrCreateMeansExistence() {
    assertThat(unmet(null)).isEqualTo("met");
    assertThat(unmet("create")).isEqualTo("met");
  }

  @Test
  void unsupportedFormsAreRejected() {
    assertThatThrownBy(() -> WaitCondition.parse("delete", "at")).hasMessageStartingWith("at: waitFor \"delete\" is not supported");
    assertThatThrownBy(() -> WaitCondition.parse("jsonpath={.items[*].name}", "at"))
        .hasMessageStartingWith("at: jsonpath \"{.items[*].name}\" is not a simple path");
  }
}
