package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.core.analysis.Fixtures.ab;
import static tools.iter8.core.analysis.Fixtures.analyze;
import static tools.iter8.core.analysis.Fixtures.canary;
import static tools.iter8.core.analysis.Fixtures.conformance;
import static tools.iter8.core.analysis.Fixtures.observations;
import static tools.iter8.core.analysis.Fixtures.pareto;
import static tools.iter8.core.analysis.Fixtures.version;

import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.WinnerAssessmentData;
import tools.iter8.core.metrics.Observation;

/** The winner rule of every testing pattern (DESIGN §2.6), including ties and no data. */
class WinnerRulesTest {

  private static WinnerAssessmentData winner(Experiment e, Object... versionsAndObservations) {
    return analyze(e, observations(versionsAndObservations), Map.of(), 2).analysis().winnerAssessment().data();
  }

  /** The winner on the experiments' last iteration (20). */
  private static WinnerAssessmentData lastWinner(Experiment e, Object... versionsAndObservations) {
    return analyze(e, observations(versionsAndObservations), Map.of(), 20).analysis().winnerAssessment().data();
  }

  @Nested
  class Conformance {
    @Test
    void theBaselineWinsWhenItMeetsEveryObjective() {
      WinnerAssessmentData w = winner(conformance(), "v1", version().healthy(5000));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v1");
      assertThat(w.bestVersions()).containsExactly("v1");
      assertThat(w.probability()).isGreaterThan(0.95);
    }

    @Test
    void noWinnerBeforeTheMinimumSample() {
      WinnerAssessmentData w = winner(conformance(), "v1", version().healthy(60));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.bestVersions()).isEmpty();
    }

    @Test
    void anUndecidedBaselineDoesNotWinEvenOnTheLastIteration() {
      WinnerAssessmentData w = lastWinner(conformance(), "v1", version().healthy(150).errors(1));

      assertThat(w.winnerFound()).isFalse();
    }
  }

  @Nested
  class Canary {
    @Test
    void theCandidateWinsWhenItMeetsEveryObjective() {
      WinnerAssessmentData w = winner(canary(), "v1", version().healthy(5000), "v2", version().healthy(5000));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v2");
      assertThat(w.bestVersions()).containsExactly("v2");
      assertThat(w.probabilities().get("v2")).isEqualTo(w.probability()).isGreaterThan(0.95);
    }

    @Test
    void theBaselineWinsWhenTheCandidateViolatesAndTheBaselineMeetsEveryObjective() {
      WinnerAssessmentData w =
          winner(canary(), "v1", version().healthy(5000), "v2", version().healthy(5000).errors(250));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v1");
    }

    @Test
    void noWinnerWhileTheCandidateIsUndecided() {
      WinnerAssessmentData w =
          winner(canary(), "v1", version().healthy(5000), "v2", version().healthy(150).errors(1));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.reason()).contains("candidate v2 is undecided").contains("error-count undecided");
    }

    @Test
    void onTheLastIterationAnUndecidedCandidateMoreLikelyThanNotFeasibleWins() {
      WinnerAssessmentData before =
          winner(canary(), "v1", version().healthy(5000), "v2", version().healthy(400).errors(3));
      WinnerAssessmentData last =
          lastWinner(canary(), "v1", version().healthy(5000), "v2", version().healthy(400).errors(3));

      assertThat(before.winnerFound()).isFalse();
      assertThat(last.winnerFound()).isTrue();
      assertThat(last.winner()).isEqualTo("v2");
      assertThat(last.bestVersions()).containsExactly("v2");
      assertThat(last.probability()).isEqualTo(before.probability()).isBetween(0.5, 0.95);
      assertThat(last.reason()).startsWith("last iteration: candidate v2 more likely than not meets every objective");
    }

    @Test
    void onTheLastIterationACandidateMoreLikelyToFailThanNotDoesNotWin() {
      // 4 errors in 400: P(error rate ≤ 1%) = 0.466.
      WinnerAssessmentData w =
          lastWinner(canary(), "v1", version().healthy(5000), "v2", version().healthy(400).errors(4));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.probabilities().get("v2")).isLessThan(0.5);
    }

    @Test
    void onTheLastIterationACandidateWithMissingDataDoesNotWin() {
      WinnerAssessmentData w = lastWinner(canary(), "v1", version().healthy(5000), "v2",
          version().healthy(400).errors(3).set("latency", new Observation.NoData("empty result")));

      assertThat(w.winnerFound()).isFalse();
    }

    @Test
    void noDataNeverYieldsAWinner() {
      WinnerAssessmentData w = winner(canary(), "v1", version().healthy(5000), "v2", version());

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.probabilities().get("v2")).isZero();
    }
  }

  @Nested
  class RewardPatterns {
    @Test
    void aClearlyBetterRewardWinsAnAbTest() {
      WinnerAssessmentData w = winner(ab("A/B", "v1", "v2"),
          "v1", version().healthy(5000).conversions(500), "v2", version().healthy(5000).conversions(700));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v2");
      assertThat(w.bestVersions()).containsExactly("v2");
      assertThat(w.probability()).isGreaterThan(0.99);
    }

    @Test
    void equalRewardsAreATieWithNoWinner() {
      WinnerAssessmentData w = winner(ab("A/B", "v1", "v2"),
          "v1", version().healthy(5000).conversions(600), "v2", version().healthy(5000).conversions(600));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.winner()).isNull();
      assertThat(w.bestVersions()).containsExactlyInAnyOrder("v1", "v2");
      assertThat(w.reason()).contains("no unique winner");
    }

    @Test
    void aVersionShortOfTheMinimumSampleBlocksTheWinner() {
      WinnerAssessmentData w = winner(ab("A/B", "v1", "v2"),
          "v1", version().healthy(5000).conversions(500), "v2", version().healthy(80).conversions(40));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.reason()).contains("v2 has 80 requests < minimum sample 100");
    }

    @Test
    void noDataNeverYieldsAWinner() {
      WinnerAssessmentData w = winner(ab("A/B", "v1", "v2"), "v1", version(), "v2", version());

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.bestVersions()).isEmpty();
    }

    @Test
    void theClearlyBestOfThreeWinsAnAbnTest() {
      WinnerAssessmentData w = winner(ab("A/B/N", "v1", "v2", "v3"),
          "v1", version().healthy(5000).conversions(500), "v2", version().healthy(5000).conversions(500),
          "v3", version().healthy(5000).conversions(750));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v3");
    }

    @Test
    void twoTiedAtTheTopOfThreeAreNoWinner() {
      WinnerAssessmentData w = winner(ab("A/B/N", "v1", "v2", "v3"),
          "v1", version().healthy(5000).conversions(500), "v2", version().healthy(5000).conversions(750),
          "v3", version().healthy(5000).conversions(750));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.bestVersions()).containsExactlyInAnyOrder("v2", "v3");
    }

    @Test
    void onTheLastIterationTheLeaderMoreLikelyThanNotBestAndFeasibleWins() {
      // Conversion 10% against 10.8% in 5000 requests each: v2 is ahead with P ≈ 0.9 < 0.95.
      Object[] observed = {"v1", version().healthy(5000).conversions(500), "v2",
          version().healthy(5000).conversions(540)};

      WinnerAssessmentData before = winner(ab("A/B", "v1", "v2"), observed);
      WinnerAssessmentData last = lastWinner(ab("A/B", "v1", "v2"), observed);

      assertThat(before.winnerFound()).isFalse();
      assertThat(last.winnerFound()).isTrue();
      assertThat(last.winner()).isEqualTo("v2");
      assertThat(last.bestVersions()).containsExactly("v2");
      assertThat(last.probability()).isBetween(0.5, 0.95);
      assertThat(last.reason()).startsWith("last iteration: v2 is more likely than not the best feasible version");
    }

    @Test
    void onTheLastIterationNoneOfThreeLeadersWithoutAMajorityWins() {
      // Three equal versions: each is best in about a third of the draws.
      WinnerAssessmentData w = lastWinner(ab("A/B/N", "v1", "v2", "v3"),
          "v1", version().healthy(5000).conversions(500), "v2", version().healthy(5000).conversions(500),
          "v3", version().healthy(5000).conversions(500));

      assertThat(w.winnerFound()).isFalse();
    }

    @Test
    void anInfeasibleVersionCannotWinHoweverGoodItsReward() {
      WinnerAssessmentData w = winner(ab("A/B", "v1", "v2"),
          "v1", version().healthy(5000).conversions(500), "v2", version().healthy(5000).errors(300).conversions(900));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v1");
      assertThat(w.probabilities().get("v2")).isZero();
    }
  }

  @Nested
  class Pareto {
    /** Faster than {@code healthy}: mean about 45 ms instead of 80. */
    private static final double[] FAST = Fixtures.shares(5000, 0.6, 0.3, 0.08, 0.02, 0, 0, 0);

    @Test
    void aVersionBetterOnEveryRewardWins() {
      WinnerAssessmentData w = winner(pareto("v1", "v2"),
          "v1", version().healthy(5000).conversions(500),
          "v2", version().requests(5000).errors(25).conversions(700).latency(FAST));

      assertThat(w.winnerFound()).isTrue();
      assertThat(w.winner()).isEqualTo("v2");
      assertThat(w.bestVersions()).containsExactly("v2");
    }

    @Test
    void aTradeOffBetweenRewardsIsAFrontWithNoWinner() {
      WinnerAssessmentData w = winner(pareto("v1", "v2"),
          "v1", version().requests(5000).errors(25).conversions(500).latency(FAST),
          "v2", version().healthy(5000).conversions(700));

      assertThat(w.winnerFound()).isFalse();
      assertThat(w.bestVersions()).containsExactly("v1", "v2");
      assertThat(w.reason()).contains("trade-off");
    }

    @Test
    void aTradeOffStaysWithoutAWinnerOnTheLastIteration() {
      WinnerAssessmentData w = lastWinner(pareto("v1", "v2"),
          "v1", version().requests(5000).errors(25).conversions(500).latency(FAST),
          "v2", version().healthy(5000).conversions(700));

      assertThat(w.winnerFound()).isFalse();
    }

    @Test
    void aMetricErrorLeavesNoWinner() {
      WinnerAssessmentData w = winner(pareto("v1", "v2"),
          "v1", version().healthy(5000).conversions(500),
          "v2", version().healthy(5000).set("conversions", new Observation.Error("HTTP 503")));

      assertThat(w.winnerFound()).isFalse();
    }
  }
}
