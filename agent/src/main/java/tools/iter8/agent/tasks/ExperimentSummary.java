package tools.iter8.agent.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.VersionInfo;
import tools.iter8.core.api.WeightData;
import tools.iter8.core.api.WeightsAnalysis;
import tools.iter8.core.api.WinnerAssessmentAnalysis;
import tools.iter8.core.api.WinnerAssessmentData;
import tools.iter8.core.tasks.TaskCondition;

/**
 * What tasks read about an experiment's outcome so far: the facts behind {@code if:} conditions, the
 * content of notifications, and what promotion and rollback act on. Read null-safely from whatever the
 * status holds, since actions run at every stage.
 *
 * @param key {@code namespace/name}
 * @param target {@code spec.target}
 * @param testingPattern {@code spec.strategy.testingPattern}
 * @param stage {@code status.stage}, {@code Initializing} when unset (as the original's Slack task)
 * @param baseline the baseline's name, or null
 * @param candidates the candidates' names, in spec order
 * @param winnerFound {@code status.analysis.winnerAssessment.data.winnerFound}
 * @param winner the winner's name when one was found, else null
 * @param versionRecommendedForPromotion {@code status.versionRecommendedForPromotion}, or null
 * @param failed whether the {@code Failed} condition is {@code True}
 * @param reason the last decision's reason ({@code status.decision.reason}), else {@code status.message}
 * @param recommendedWeights {@code status.analysis.weights.data}, empty when none
 */
record ExperimentSummary(
    String key,
    String target,
    String testingPattern,
    String stage,
    String baseline,
    List<String> candidates,
    boolean winnerFound,
    String winner,
    String versionRecommendedForPromotion,
    boolean failed,
    String reason,
    List<WeightData> recommendedWeights) {

  static ExperimentSummary of(Experiment e) {
    ExperimentSpec spec = e.spec();
    Optional<ExperimentStatus> status = Optional.ofNullable(e.status());
    Optional<Analysis> analysis = status.map(ExperimentStatus::analysis);
    Optional<WinnerAssessmentAnalysis> assessment = analysis.map(Analysis::winnerAssessment);
    Optional<WinnerAssessmentData> data = assessment.map(WinnerAssessmentAnalysis::data);
    boolean winnerFound = data.map(d -> Boolean.TRUE.equals(d.winnerFound())).orElse(false);
    String winner =
        winnerFound ? data.map(WinnerAssessmentData::winner).filter(w -> !w.isBlank()).orElse(null) : null;
    VersionInfo versionInfo = spec == null ? null : spec.versionInfo();
    String baseline =
        versionInfo == null || versionInfo.baseline() == null ? null : versionInfo.baseline().name();
    List<String> candidates =
        versionInfo == null || versionInfo.candidates() == null
            ? List.of()
            : versionInfo.candidates().stream().map(VersionDetail::name).toList();
    boolean failed =
        status.map(ExperimentStatus::conditions).orElse(List.of()).stream()
            .anyMatch(c -> "Failed".equals(c.type()) && "True".equalsIgnoreCase(c.status()));
    String reason =
        status.map(s -> s.decision() != null && s.decision().reason() != null ? s.decision().reason() : s.message())
            .orElse(null);
    return new ExperimentSummary(
        e.metadata() == null ? "" : e.metadata().key(),
        spec == null ? null : spec.target(),
        spec == null || spec.strategy() == null ? null : spec.strategy().testingPattern(),
        status.map(ExperimentStatus::stage).orElse("Initializing"),
        baseline,
        candidates,
        winnerFound,
        winner,
        status.map(ExperimentStatus::versionRecommendedForPromotion).orElse(null),
        failed,
        reason,
        analysis.map(Analysis::weights).map(WeightsAnalysis::data).orElse(List.of()));
  }

  /** Baseline first, then candidates: every version name of the experiment. */
  List<String> versions() {
    List<String> all = new ArrayList<>();
    if (baseline != null) {
      all.add(baseline);
    }
    all.addAll(candidates);
    return all;
  }

  /**
   * The original's {@code CandidateWon()}: there is exactly one candidate, a winner was found, and it is
   * that candidate.
   */
  boolean candidateWon() {
    return candidates.size() == 1 && winnerFound && candidates.get(0).equals(winner);
  }

  TaskCondition.Facts facts() {
    return new TaskCondition.Facts(winnerFound, candidateWon());
  }

  /**
   * The version the experiment ends on: {@code versionRecommendedForPromotion} when set, else the winner,
   * else the baseline (the original's {@code SetVersionRecommendedForPromotion}).
   */
  String recommendedVersion() {
    if (versionRecommendedForPromotion != null && !versionRecommendedForPromotion.isBlank()) {
      return versionRecommendedForPromotion;
    }
    return winner != null ? winner : baseline;
  }
}
