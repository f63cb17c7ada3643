package tools.iter8.core.analysis;

import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.Decision;

/**
 * What one iteration produced, ready to be written to status: {@code status.analysis},
 * {@code status.decision}, {@code status.consecutiveErrors} and
 * {@code status.versionRecommendedForPromotion} (the winner if one was found, else the baseline, as in
 * the original). The recommended split is {@code analysis.weights}; on a terminal decision it is the final
 * split (all traffic to the decision's version).
 */
public record AnalysisResult(
    Analysis analysis,
    Decision decision,
    int consecutiveErrors,
    String versionRecommendedForPromotion) {

  /** The decision's action. */
  public DecisionAction action() {
    return DecisionAction.parse(decision.action()).orElseThrow();
  }

  /** Whether the experiment ends with this iteration. */
  public boolean terminal() {
    return action().terminal();
  }
}
