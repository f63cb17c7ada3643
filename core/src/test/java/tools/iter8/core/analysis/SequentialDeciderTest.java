package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static tools.iter8.core.analysis.Fixtures.after;
import static tools.iter8.core.analysis.Fixtures.canary;
import static tools.iter8.core.analysis.Fixtures.observations;
import static tools.iter8.core.analysis.Fixtures.version;

import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.metrics.Observation;

/** The decision table of one iteration (issue item 5; DESIGN §2.4–2.5). */
class SequentialDeciderTest {
  private static final ExperimentAnalyzer ANALYZER = new ExperimentAnalyzer();

  /** The candidate meets every objective, decisively: P(error rate ≤ 1%) = 0.99995 (25 errors in 5000). */
  private static final Map<String, Map<String, Observation>> BOTH_HEALTHY =
      observations("v1", version().healthy(5000), "v2", version().healthy(5000));
  /** The candidate meets every objective, not decisively: P(error rate ≤ 1%) = 0.955 (5 errors in 1000). */
  private static final Map<String, Map<String, Observation>> CANDIDATE_MEETS =
      observations("v1", version().healthy(5000), "v2", version().healthy(1000));
  /** The candidate violates the error rate, not decisively: P(error rate ≤ 1%) = 0.0153 (16 in 900). */
  private static final Map<String, Map<String, Observation>> CANDIDATE_FAILING =
      observations("v1", version().healthy(5000), "v2", version().healthy(900).errors(16));
  /** The candidate violates the error rate decisively: P(error rate ≤ 1%) < 10⁻⁹ (100 in 2000). */
  private static final Map<String, Map<String, Observation>> CANDIDATE_FAILING_BADLY =
      observations("v1", version().healthy(5000), "v2", version().healthy(2000).errors(100));

  private static AnalysisResult run(Experiment e, Map<String, Map<String, Observation>> o, int iteration, int errors) {
    return ANALYZER.analyze(new AnalysisInput(e, Fixtures.metrics(), o, Map.of("v1", 80, "v2", 20), iteration,
        errors, 7L, Fixtures.NOW));
  }

  /** Two iterations: the first on {@code first}, the second on {@code second}, with the first's status. */
  private static AnalysisResult twice(
      Map<String, Map<String, Observation>> first, Map<String, Map<String, Observation>> second) {
    AnalysisResult r1 = run(canary(), first, 4, 0);
    return run(after(canary(), r1), second, 5, r1.consecutiveErrors());
  }

  @Test
  void aWinnerIsPromotedWhenTheNextIterationConfirmsIt() {
    AnalysisResult r = twice(CANDIDATE_MEETS, CANDIDATE_MEETS);

    assertThat(r.action()).isEqualTo(DecisionAction.PROMOTE);
    assertThat(r.decision().version()).isEqualTo("v2");
    assertThat(r.decision().probability()).isBetween(0.95, 0.999);
    assertThat(r.decision().reason()).startsWith("promoting v2: candidate v2 meets every objective")
        .endsWith(", as at the previous iteration");
    assertThat(r.versionRecommendedForPromotion()).isEqualTo("v2");
    assertThat(r.analysis().weights().data()).extracting(w -> w.value()).containsExactly(0, 100);
  }

  @Test
  void aFirstLookAtAWinnerContinuesUntilConfirmed() {
    AnalysisResult r = run(canary(), CANDIDATE_MEETS, 4, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.CONTINUE);
    assertThat(r.decision().version()).isEqualTo("v2");
    assertThat(r.decision().reason()).endsWith("to be confirmed at the next iteration before promotion");
  }

  @Test
  void aDecisiveWinnerIsPromotedAtTheFirstLook() {
    AnalysisResult r = run(canary(), BOTH_HEALTHY, 4, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.PROMOTE);
    assertThat(r.decision().version()).isEqualTo("v2");
    assertThat(r.decision().probability()).isGreaterThanOrEqualTo(0.999);
    assertThat(r.decision().reason()).endsWith("; decisive at one look (P ≥ 0.999)");
  }

  @Test
  void theDecisiveBarIsOneFiftiethOfTheErrorThatStrengthAllows() {
    assertThat(ExperimentPlan.of(canary()).decisiveStrength()).isCloseTo(0.999, within(1e-12));
    assertThat(ExperimentPlan.of(Fixtures.experiment("{testingPattern: Canary}", "{strength: 0.99}", "v1", "v2"))
        .decisiveStrength()).isCloseTo(0.9998, within(1e-12));
  }

  @Test
  void aConfirmedViolationOfARollbackObjectiveRollsBack() {
    AnalysisResult r = twice(CANDIDATE_FAILING, CANDIDATE_FAILING);

    assertThat(r.action()).isEqualTo(DecisionAction.ROLLBACK);
    assertThat(r.decision().version()).isEqualTo("v1");
    assertThat(r.decision().probability()).isBetween(0.95, 0.999);
    assertThat(r.decision().reason()).startsWith("v2 violates error-count, which rolls back on failure")
        .endsWith(", as at the previous iteration; rolling back to v1");
    assertThat(r.analysis().weights().data()).extracting(w -> w.value()).containsExactly(100, 0);
  }

  @Test
  void aFirstLookAtANonDecisiveViolationContinuesUntilConfirmed() {
    AnalysisResult r = run(canary(), CANDIDATE_FAILING, 4, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.CONTINUE);
    assertThat(r.decision().reason()).endsWith("to be confirmed at the next iteration before rolling back");
  }

  @Test
  void aDecisiveViolationRollsBackAtTheFirstLook() {
    AnalysisResult r = run(canary(), CANDIDATE_FAILING_BADLY, 4, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.ROLLBACK);
    assertThat(r.decision().version()).isEqualTo("v1");
    assertThat(r.decision().probability()).isGreaterThanOrEqualTo(0.999);
    assertThat(r.decision().reason()).startsWith("v2 violates error-count, which rolls back on failure")
        .endsWith("; decisive at one look (P ≥ 0.999); rolling back to v1");
  }

  @Test
  void aViolationThatTheNextIterationDoesNotConfirmIsForgotten() {
    AnalysisResult r = twice(CANDIDATE_FAILING, observations("v1", version().healthy(5000), "v2",
        version().healthy(2000).errors(10)));

    assertThat(r.action()).isNotEqualTo(DecisionAction.ROLLBACK);
  }

  @Test
  void aViolationOfAnObjectiveWithoutRollbackLetsTheBaselineWin() {
    Map<String, Map<String, Observation>> slow = observations("v1", version().healthy(5000), "v2",
        version().requests(5000).errors(25).latency(Fixtures.shares(5000, 0, 0.2, 0.3, 0.3, 0.2, 0, 0)));

    AnalysisResult r = twice(slow, slow);

    assertThat(r.action()).isEqualTo(DecisionAction.PROMOTE);
    assertThat(r.decision().version()).isEqualTo("v1");
    assertThat(r.decision().reason()).contains("baseline v1 wins: candidate v2 violates an objective");
  }

  @Test
  void aCandidateDecisivelyViolatingAnyObjectiveRollsBackAtTheFirstLookWhenTheBaselineCannotWin() {
    // The baseline is short of its minimum sample, so it cannot win; the candidate's p95 is far above 300 ms.
    Map<String, Map<String, Observation>> slow = observations("v1", version().healthy(80), "v2",
        version().requests(5000).errors(25).latency(Fixtures.shares(5000, 0, 0.2, 0.3, 0.3, 0.2, 0, 0)));

    AnalysisResult r = run(canary(), slow, 4, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.ROLLBACK);
    assertThat(r.decision().probability()).isGreaterThanOrEqualTo(0.999);
    assertThat(r.decision().reason()).startsWith("no version under test can win: v2 violates an objective")
        .endsWith("; decisive at one look (P ≥ 0.999); keeping v1");
  }

  @Test
  void noDataHoldsAndNeverPromotes() {
    AnalysisResult r = run(canary(), observations("v1", version().healthy(5000), "v2", version()), 3, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.HOLD);
    assertThat(r.decision().version()).isEqualTo("v2");
    assertThat(r.decision().reason()).startsWith("holding weights, no data: v2: default/error-count: not observed")
        .contains("v2: default/request-count: not observed");
    assertThat(r.consecutiveErrors()).isZero();
  }

  @Test
  void anErrorBelowTheLimitHoldsAndIsCounted() {
    Map<String, Map<String, Observation>> o = observations("v1", version().healthy(5000), "v2",
        version().healthy(5000).set("latency", new Observation.Error("connection refused")));

    AnalysisResult r = run(canary(), o, 3, 1);

    assertThat(r.action()).isEqualTo(DecisionAction.HOLD);
    assertThat(r.consecutiveErrors()).isEqualTo(2);
    assertThat(r.decision().reason()).contains("metric queries failed (2 of 3 allowed in a row)")
        .contains("connection refused");
  }

  @Test
  void anOutageNeverPromotesEvenAConfirmedWinner() {
    AnalysisResult first = run(canary(), BOTH_HEALTHY, 4, 0);
    Map<String, Map<String, Observation>> outage = observations("v1", version().healthy(5000), "v2",
        version().healthy(5000).set("request-count", new Observation.Error("HTTP 503")));

    AnalysisResult r = run(after(canary(), first), outage, 5, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.HOLD);
  }

  @Test
  void errorsReachingTheLimitFailAndRollBack() {
    Map<String, Map<String, Observation>> o = observations("v1", version().healthy(5000), "v2",
        version().healthy(5000).set("error-count", new Observation.Error("bad jq")));

    AnalysisResult r = run(canary(), o, 6, 2);

    assertThat(r.action()).isEqualTo(DecisionAction.FAIL);
    assertThat(r.decision().version()).isEqualTo("v1");
    assertThat(r.consecutiveErrors()).isEqualTo(3);
    assertThat(r.decision().reason()).startsWith("metric queries failed 3 iterations in a row (limit 3)");
    assertThat(r.analysis().weights().data()).extracting(w -> w.value()).containsExactly(100, 0);
  }

  @Test
  void anIterationWithoutErrorsResetsTheCount() {
    assertThat(run(canary(), BOTH_HEALTHY, 3, 2).consecutiveErrors()).isZero();
  }

  @Test
  void theLastIterationRollsBackACandidateMoreLikelyToFailThanNot() {
    // 2 errors in 150: P(error rate ≤ 1%) = 0.300.
    Map<String, Map<String, Observation>> undecided =
        observations("v1", version().healthy(5000), "v2", version().healthy(150).errors(2));

    AnalysisResult r = run(canary(), undecided, 20, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.ROLLBACK);
    assertThat(r.decision().reason()).startsWith("no winner after 20 iterations");
    assertThat(r.versionRecommendedForPromotion()).isEqualTo("v1");
  }

  @Test
  void theLastIterationPromotesACandidateMoreLikelyThanNotToMeetEveryObjective() {
    // 1 error in 150: P(error rate ≤ 1%) = 0.610, the latency objectives met.
    Map<String, Map<String, Observation>> undecided =
        observations("v1", version().healthy(5000), "v2", version().healthy(150).errors(1));

    AnalysisResult before = run(canary(), undecided, 19, 0);
    AnalysisResult last = run(canary(), undecided, 20, 0);

    assertThat(before.action()).isEqualTo(DecisionAction.CONTINUE);
    assertThat(last.action()).isEqualTo(DecisionAction.PROMOTE);
    assertThat(last.decision().version()).isEqualTo("v2");
    assertThat(last.decision().probability()).isBetween(0.5, 0.61);
    assertThat(last.decision().reason())
        .startsWith("promoting v2: last iteration: candidate v2 more likely than not meets every objective (P = ")
        .contains(" ≥ 0.5, short of 0.95)");
    // The agent's CandidateWon() reads the winner assessment: it must name the promoted candidate.
    assertThat(last.analysis().winnerAssessment().data().winnerFound()).isTrue();
    assertThat(last.analysis().winnerAssessment().data().winner()).isEqualTo("v2");
    assertThat(last.versionRecommendedForPromotion()).isEqualTo("v2");
  }

  @Test
  void theLastIterationNeverPromotesACandidateShortOfTheMinimumSample() {
    // No errors in 80 requests: P(error rate ≤ 1%) = 0.93, but 80 < 100.
    Map<String, Map<String, Observation>> short80 =
        observations("v1", version().healthy(5000), "v2", version().healthy(80).errors(0));

    AnalysisResult r = run(canary(), short80, 20, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.ROLLBACK);
  }

  @Test
  void theLastIterationNeverPromotesAViolatingCandidate() {
    AnalysisResult r = run(canary(), observations("v1", version().healthy(5000), "v2",
        version().requests(5000).errors(25).latency(Fixtures.shares(5000, 0, 0.2, 0.3, 0.3, 0.2, 0, 0))), 20, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.PROMOTE);
    assertThat(r.decision().version()).isEqualTo("v1");
  }

  @Test
  void theLastIterationDecidesOnASingleLook() {
    AnalysisResult r = run(canary(), BOTH_HEALTHY, 20, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.PROMOTE);
  }

  @Test
  void theLastIterationWithoutDataRollsBack() {
    AnalysisResult r = run(canary(), observations("v1", version().healthy(5000), "v2", version()), 20, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.ROLLBACK);
    assertThat(r.decision().reason()).contains("nothing is promoted without data");
  }

  @Test
  void undecidedEvidenceContinuesWithTheLeader() {
    AnalysisResult r = run(canary(), observations("v1", version().healthy(5000), "v2",
        version().healthy(150).errors(1)), 3, 0);

    assertThat(r.action()).isEqualTo(DecisionAction.CONTINUE);
    assertThat(r.decision().iteration()).isEqualTo(3);
    assertThat(r.decision().time()).isEqualTo(Fixtures.NOW);
    assertThat(r.versionRecommendedForPromotion()).isEqualTo("v1");
  }
}
