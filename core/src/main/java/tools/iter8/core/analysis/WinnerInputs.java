package tools.iter8.core.analysis;

import java.util.List;
import java.util.Map;

/**
 * What a {@link WinnerRule} judges from: the per-version assessments and the evidence behind them, and
 * the sampler for rules that compare versions by Monte Carlo.
 *
 * @param plan the experiment
 * @param assessments per version, in spec order
 * @param objectiveEvidence per version, the evidence for each objective in spec order
 * @param rewardEvidence per version, the evidence for each reward in spec order
 * @param objectiveKeys the objectives' metric keys, in spec order
 * @param rewardKeys the rewards' metric keys, in spec order
 * @param sampler the seeded sampler
 * @param draws the number of Monte Carlo draws
 * @param lastIteration whether this is the experiment's last iteration (the horizon), where a rule may
 *     name the version that is more likely than not the winner ({@link WinnerRule})
 */
record WinnerInputs(
    ExperimentPlan plan,
    Map<String, VersionAssessment> assessments,
    Map<String, List<Evidence>> objectiveEvidence,
    Map<String, List<Evidence>> rewardEvidence,
    List<String> objectiveKeys,
    List<String> rewardKeys,
    Sampler sampler,
    int draws,
    boolean lastIteration) {

  /**
   * Whether every version can be compared: it has served the minimum sample and none of its metrics is
   * missing or errored. A comparison needs data on every side.
   */
  boolean everyVersionComparable() {
    return assessments.values().stream()
        .allMatch(v -> v.sampleReached() && v.missing().isEmpty() && v.errors().isEmpty());
  }
}
