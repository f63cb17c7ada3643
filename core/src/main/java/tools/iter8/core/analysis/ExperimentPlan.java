package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.List;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.Reward;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.Weights;
import tools.iter8.core.defaults.ExperimentDefaults;

/**
 * The parts of an experiment the analysis acts on, read once with defaults applied, so the rest of the
 * analysis never deals with absent fields or pattern names as text.
 */
record ExperimentPlan(
    String namespace,
    List<String> versions,
    TestingPattern testing,
    DeploymentPattern deployment,
    List<Objective> objectives,
    List<Reward> rewards,
    List<String> indicators,
    String requestCount,
    double strength,
    long minSampleSize,
    int consecutiveErrorLimit,
    int explorationFloor,
    int maxCandidateWeight,
    int maxCandidateWeightIncrement,
    int totalIterations) {

  /**
   * @throws IllegalArgumentException when the experiment lacks what validation guarantees (versions,
   *     known patterns); the agent validates before it analyses
   */
  static ExperimentPlan of(Experiment raw) {
    Experiment experiment = ExperimentDefaults.apply(raw);
    ExperimentSpec spec = experiment.spec();
    if (spec == null || spec.versionInfo() == null || spec.versionInfo().baseline() == null) {
      throw new IllegalArgumentException("the experiment has no versionInfo with a baseline");
    }
    if (spec.strategy() == null) {
      throw new IllegalArgumentException("the experiment has no strategy");
    }
    List<String> versions = new ArrayList<>();
    for (VersionDetail v : spec.versionInfo().all()) {
      versions.add(v.name());
    }
    TestingPattern testing =
        TestingPattern.parse(spec.strategy().testingPattern())
            .orElseThrow(() -> new IllegalArgumentException(
                "unknown testing pattern \"" + spec.strategy().testingPattern() + "\""));
    DeploymentPattern deployment =
        DeploymentPattern.parse(spec.strategy().deploymentPattern())
            .orElseThrow(() -> new IllegalArgumentException(
                "unknown deployment pattern \"" + spec.strategy().deploymentPattern() + "\""));
    Criteria c = spec.criteria();
    Weights w = spec.strategy().weights();
    String namespace = experiment.metadata() == null ? null : experiment.metadata().namespace();
    return new ExperimentPlan(
        namespace == null ? "default" : namespace,
        List.copyOf(versions),
        testing,
        deployment,
        c == null || c.objectives() == null ? List.of() : List.copyOf(c.objectives()),
        c == null || c.rewards() == null ? List.of() : List.copyOf(c.rewards()),
        c == null || c.indicators() == null ? List.of() : List.copyOf(c.indicators()),
        c == null ? null : c.requestCount(),
        c == null ? ExperimentDefaults.STRENGTH : c.strength(),
        c == null ? ExperimentDefaults.MIN_SAMPLE_SIZE : c.minSampleSize(),
        c == null ? ExperimentDefaults.CONSECUTIVE_ERROR_LIMIT : c.consecutiveErrorLimit(),
        w.explorationFloor(),
        w.maxCandidateWeight(),
        w.maxCandidateWeightIncrement(),
        spec.duration().totalIterations());
  }

  /**
   * The posterior probability at which one look decides without the second: the error allowed at
   * {@code strength} divided by {@link #DECISIVE_DIVISOR} (0.999 at the default 0.95), Haybittle and Peto's
   * bar for stopping at an interim look.
   */
  double decisiveStrength() {
    return 1 - (1 - strength) / DECISIVE_DIVISOR;
  }

  /** How much stricter than {@code strength} a single look must be to decide on its own. */
  static final double DECISIVE_DIVISOR = 50;

  String baseline() {
    return versions.get(0);
  }

  List<String> candidates() {
    return versions.subList(1, versions.size());
  }

  /**
   * The versions whose failure ends the experiment: the candidates, or the baseline alone in a
   * Conformance experiment, which tests it.
   */
  List<String> underTest() {
    return testing == TestingPattern.CONFORMANCE ? versions.subList(0, 1) : candidates();
  }
}
