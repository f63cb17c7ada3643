package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectMeta;

class ExperimentFactsTest {

  @Test
  void candidateWonNeedsExactlyOneCandidateThatIsTheWinner() {
    assertThat(new ExperimentFacts(Fixtures.experiment("canary")).candidateWon()).isTrue();
    assertThat(new ExperimentFacts(Fixtures.experiment("failed")).candidateWon()).isFalse();
    // A/B/n: the winner is a candidate, but there are two of them, as in the original's CandidateWon().
    assertThat(new ExperimentFacts(Fixtures.experiment("abn")).winner()).contains("productpage-v2");
    assertThat(new ExperimentFacts(Fixtures.experiment("abn")).candidateWon()).isFalse();
  }

  @Test
  void completedAndFailedFollowStageAndConditions() {
    ExperimentFacts running = new ExperimentFacts(Fixtures.experiment("ab-reward"));
    ExperimentFacts failed = new ExperimentFacts(Fixtures.experiment("failed"));

    assertThat(running.completed()).isFalse();
    assertThat(running.failed()).isFalse();
    assertThat(failed.completed()).isTrue();
    assertThat(failed.failed()).isTrue();
    assertThat(failed.failureReason())
        .isEqualTo("MetricsUnreadable: metric queries failed 3 iterations in a row (limit 3); rolled back to current");
  }

  @Test
  void anExperimentWithoutStatusHasZeroIterationsInItsFirstLoop() {
    ExperimentFacts fresh = new ExperimentFacts(Fixtures.experiment("canary").withStatus(null));

    assertThat(fresh.completedIterations()).isZero();
    assertThat(fresh.currentLoop()).isEqualTo(1);
    assertThat(fresh.totalIterations()).isEqualTo(12);
    assertThat(fresh.completed()).isFalse();
    assertThat(fresh.winnerFound()).isFalse();
    assertThat(fresh.elapsed(Instant.now())).isEmpty();
  }

  @Test
  void theLatestExperimentIsTheOneCreatedLastAndTheLastListedOfEqualTimestamps() {
    Experiment a = named("a", "2025-06-02T10:00:00Z");
    Experiment b = named("b", "2025-06-02T11:00:00Z");
    Experiment c = named("c", "2025-06-02T11:00:00Z");
    Experiment unknown = named("d", null);

    assertThat(ExperimentClient.latest(List.of(b, a, unknown)).map(e -> e.metadata().name())).contains("b");
    assertThat(ExperimentClient.latest(List.of(a, b, c)).map(e -> e.metadata().name())).contains("c");
    assertThat(ExperimentClient.latest(List.of())).isEmpty();
  }

  private static Experiment named(String name, String created) {
    ObjectMeta meta = new ObjectMeta(name, null, "default", null, null, null,
        created == null ? null : Instant.parse(created), null, null, null, null);
    return new Experiment(Experiment.API_VERSION, Experiment.KIND, meta, null, null, null);
  }
}
