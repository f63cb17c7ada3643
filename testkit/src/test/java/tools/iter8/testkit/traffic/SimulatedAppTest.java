package tools.iter8.testkit.traffic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.metrics.Observation;

class SimulatedAppTest {

  private static SimulatedApp app(long seed) {
    return new SimulatedApp(1000, seed)
        .version("v1", VersionProfile.healthy())
        .version("v2", VersionProfile.healthy().withErrorRate(0.05).withMedianLatency(120));
  }

  private static double value(Observation o) {
    return ((Observation.Value) o).value();
  }

  @Test
  void trafficIsSplitByTheRoutersWeights() {
    SimulatedApp app = app(1);

    app.tick(10, Map.of("v1", 80, "v2", 20));

    assertThat(app.requests("v1") + app.requests("v2")).isEqualTo(10_000);
    assertThat(app.requests("v2") / 10_000.0).isCloseTo(0.20, within(0.02));
  }

  @Test
  void countsAndRatesFollowEachVersionsProfile() {
    SimulatedApp app = app(2);

    app.tick(20, Map.of("v1", 50, "v2", 50));

    assertThat(value(app.observe("v2", "error-rate"))).isCloseTo(0.05, within(0.01));
    assertThat(value(app.observe("v1", "error-rate"))).isLessThan(0.01);
    assertThat(value(app.observe("v2", "latency-p50"))).isCloseTo(120, within(30.0));
    assertThat(value(app.observe("v2", "request-count"))).isEqualTo(app.requests("v2"));
    assertThat(app.observe("v2", "latency-histogram")).isInstanceOf(Observation.Buckets.class);
  }

  @Test
  void aVersionWithoutTrafficHasNoDataForRatiosAndZeroCounts() {
    SimulatedApp app = app(3);

    app.tick(5, Map.of("v1", 100, "v2", 0));

    assertThat(value(app.observe("v2", "request-count"))).isZero();
    assertThat(app.observe("v2", "error-rate")).isInstanceOf(Observation.NoData.class);
    assertThat(app.observe("v3", "request-count")).isInstanceOf(Observation.NoData.class);
  }

  @Test
  void theSameSeedGivesTheSameNumbers() {
    SimulatedApp a = app(4);
    SimulatedApp b = app(4);

    a.tick(3, Map.of("v1", 60, "v2", 40));
    b.tick(3, Map.of("v1", 60, "v2", 40));

    assertThat(a.observe("v2", "mean-latency")).isEqualTo(b.observe("v2", "mean-latency"));
  }
}
