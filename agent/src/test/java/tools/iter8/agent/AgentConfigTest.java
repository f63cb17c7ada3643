package tools.iter8.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.config.EnvSettings.InvalidConfigException;

class AgentConfigTest {

  @Test
  void defaultsNeedNoEnvironment() {
    AgentConfig c = AgentConfig.fromEnv(Map.of());

    assertThat(c.systemNamespace()).isEqualTo("iter8-system");
    assertThat(c.watchNamespaces()).isEmpty();
    assertThat(c.leaderElection()).isTrue();
    assertThat(c.leaseDuration()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.renewDeadline()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.retryPeriod()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.metricsTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void downwardApiNamesTheNamespaceAndIdentity() {
    AgentConfig c = AgentConfig.fromEnv(Map.of("POD_NAMESPACE", "iter8", "POD_NAME", "iter8-agent-7d9f-x2"));

    assertThat(c.systemNamespace()).isEqualTo("iter8");
    assertThat(c.identity()).isEqualTo("iter8-agent-7d9f-x2");
  }

  @Test
  void valuesAreParsedIntoTheirTypes() {
    AgentConfig c =
        AgentConfig.fromEnv(
            Map.of(
                "ITER8_WATCH_NAMESPACES", "team-a, team-b,,",
                "ITER8_METRICS_TIMEOUT", "2500ms",
                "ITER8_RESYNC_PERIOD", "PT30M",
                "ITER8_WORKERS", "8"));

    assertThat(c.watchNamespaces()).isEqualTo(List.of("team-a", "team-b"));
    assertThat(c.metricsTimeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(c.resyncPeriod()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.workers()).isEqualTo(8);
  }

  @Test
  void everyBadValueIsNamedInOneError() {
    assertThatThrownBy(
            () ->
                AgentConfig.fromEnv(
                    Map.of(
                        "ITER8_WORKERS", "many",
                        "ITER8_HEALTH_PORT", "70000",
                        "ITER8_LEADER_ELECTION", "yes",
                        "ITER8_METRICS_TIMEOUT", "5 seconds")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("ITER8_WORKERS=many: expected an integer from 1 to 256")
        .hasMessageContaining("ITER8_HEALTH_PORT=70000")
        .hasMessageContaining("ITER8_LEADER_ELECTION=yes: expected true or false")
        .hasMessageContaining("ITER8_METRICS_TIMEOUT=5 seconds: expected a duration");
  }

  @Test
  void leaseTimingsMustLetTheLeaderStopBeforeOthersTakeOver() {
    assertThatThrownBy(() -> AgentConfig.fromEnv(Map.of("ITER8_RENEW_DEADLINE", "20s")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("ITER8_RENEW_DEADLINE must be shorter than ITER8_LEASE_DURATION");
  }
}
