package tools.iter8.core.analysis;

import tools.iter8.core.api.TestingPattern;

/**
 * How a testing pattern picks its winner (DESIGN §2.6) from the versions' posteriors. Every rule declares
 * a winner only from verdicts, which need the minimum sample, so no data never yields a winner, and a tie
 * yields none.
 *
 * <p>The last iteration (the horizon) is different: the experiment must end on one version, and "not
 * proven at {@code strength} in time" is not evidence of harm. There, Canary and A/B(/N) name the version
 * that is more likely than not the winner (P ≥ {@link #HORIZON_PROBABILITY}: the Bayes decision with equal
 * losses for a wrong promotion and a wrong rollback), provided it violates no objective and every version
 * the rule needs has its minimum sample and all its data. Conformance has no alternative to choose, and a
 * Pareto front with more than one version is a trade-off for a person; both keep the strict rule.
 */
interface WinnerRule {

  /** The posterior probability a version needs to win on the last iteration without reaching strength. */
  double HORIZON_PROBABILITY = 0.5;

  WinnerAssessment assess(WinnerInputs inputs);

  static WinnerRule of(TestingPattern pattern) {
    return switch (pattern) {
      case CONFORMANCE -> new ConformanceWinnerRule();
      case CANARY -> new CanaryWinnerRule();
      case AB, ABN -> new RewardWinnerRule();
      case PARETO -> new ParetoWinnerRule();
    };
  }
}
