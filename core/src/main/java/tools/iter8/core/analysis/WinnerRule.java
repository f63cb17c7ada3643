package tools.iter8.core.analysis;

import tools.iter8.core.api.TestingPattern;

/**
 * How a testing pattern picks its winner (DESIGN §2.6) from the versions' posteriors. Every rule declares
 * a winner only from verdicts, which need the minimum sample, so no data never yields a winner, and a tie
 * yields none.
 */
interface WinnerRule {

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
