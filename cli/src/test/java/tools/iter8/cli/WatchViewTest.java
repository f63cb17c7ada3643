package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WatchViewTest {
  private static final Instant NOW = Instant.parse("2025-06-03T09:01:05Z");

  @Test
  void frameShowsStageProgressWeightsVerdictsAndDecision() {
    String frame = WatchView.render(new ExperimentFacts(Fixtures.experiment("ab-reward")), NOW);

    assertThat(frame).isEqualTo("""
        Experiment: bookinfo-iter8/quickstart-exp (A/B, Progressive)
        Stage: Running, loop 1 of 1, elapsed 52s
        Iterations: [##################------------] 6 of 10
          VERSION         WEIGHT  NEXT  P(BEST)  mean-latency   error-rate
          productpage-v1      40    30    0.088  true (>0.999)  true (0.998)
          productpage-v2      60    70    0.912  true (>0.999)  undecided (0.934)
        Winner: not found
        Decision: Continue: no winner yet: productpage-v2 leads on iter8-istio/user-engagement (High) with P = 0.912 < 0.95
        """);
  }

  @Test
  void progressBarFillsWithCompletedIterations() {
    assertThat(WatchView.bar(0, 12)).isEqualTo("[------------------------------]");
    assertThat(WatchView.bar(6, 12)).isEqualTo("[###############---------------]");
    assertThat(WatchView.bar(12, 12)).isEqualTo("[##############################]");
    assertThat(WatchView.bar(20, 12)).isEqualTo("[##############################]");
  }

  @Test
  void onATerminalLinesAreCutToItsWidthSoRedrawsNeverWrap() {
    String frame = "short\n" + "x".repeat(50) + "\n";

    assertThat(WatchView.fit(frame, 20)).isEqualTo("short\n" + "x".repeat(16) + "...\n");
    assertThat(WatchView.fit(frame, 0)).isEqualTo(frame);
  }
}
