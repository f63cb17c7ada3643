package tools.iter8.core.defaults;

import java.util.ArrayList;
import java.util.List;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.DurationSpec;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.Strategy;
import tools.iter8.core.api.Weights;

/**
 * Fills the fields a user may leave out, with the original's defaults (reference §1.3) and ours.
 *
 * <p>The original applied these in memory on every reconcile; we apply them in the mutating webhook
 * too, so {@code kubectl get -o yaml} shows what the agent will do. Only absent fields are filled: a
 * value the user wrote is never changed, and applying the defaults twice changes nothing.
 */
public final class ExperimentDefaults {

  public static final String DEPLOYMENT_PATTERN = DeploymentPattern.PROGRESSIVE.wireName();
  public static final int MAX_CANDIDATE_WEIGHT = 100;
  public static final int MAX_CANDIDATE_WEIGHT_INCREMENT = 10;
  public static final int INTERVAL_SECONDS = 20;
  public static final int ITERATIONS_PER_LOOP = 15;
  public static final int MAX_LOOPS = 1;

  /** The posterior probability a verdict needs (DESIGN §2.1). */
  public static final double STRENGTH = 0.95;

  /**
   * Requests a version must have served before its verdicts can be more than undecided. 100 keeps
   * the Normal and histogram approximations honest without delaying a healthy canary by more than a
   * few iterations at modest traffic.
   */
  public static final long MIN_SAMPLE_SIZE = 100;

  /** Iterations in a row with failing metric queries before the experiment fails and rolls back. */
  public static final int CONSECUTIVE_ERROR_LIMIT = 3;

  /**
   * Percent of traffic each eligible version keeps while undecided. The original's ε-greedy split
   * gave a losing candidate 5% of two versions; we keep 5% per version, lowered to 100/n when there
   * are more than 20 versions so the floors never exceed the whole.
   */
  public static final int EXPLORATION_FLOOR = 5;

  private ExperimentDefaults() {}

  public static Experiment apply(Experiment experiment) {
    if (experiment.spec() == null) {
      return experiment;
    }
    return experiment.withSpec(apply(experiment.spec()));
  }

  public static ExperimentSpec apply(ExperimentSpec spec) {
    Strategy strategy = strategy(spec);
    return new ExperimentSpec(
        spec.target(),
        spec.targetRef(),
        spec.versionInfo(),
        strategy,
        criteria(spec.criteria(), strategy == null ? null : strategy.deploymentPattern()),
        duration(spec.duration()),
        spec.routing(),
        spec.extra());
  }

  private static Strategy strategy(ExperimentSpec spec) {
    Strategy s = spec.strategy();
    if (s == null) {
      return null;
    }
    Weights w = s.weights() == null ? new Weights(null, null, null, null) : s.weights();
    int versions = spec.versionInfo() == null ? 1 : Math.max(1, spec.versionInfo().all().size());
    Weights weights =
        new Weights(
            orElse(w.maxCandidateWeight(), MAX_CANDIDATE_WEIGHT),
            orElse(w.maxCandidateWeightIncrement(), MAX_CANDIDATE_WEIGHT_INCREMENT),
            orElse(w.explorationFloor(), Math.min(EXPLORATION_FLOOR, 100 / versions)),
            w.extra());
    return new Strategy(
        s.testingPattern(),
        orElse(s.deploymentPattern(), DEPLOYMENT_PATTERN),
        s.actions(),
        weights,
        s.extra());
  }

  private static Criteria criteria(Criteria c, String deploymentPattern) {
    if (c == null) {
      return null;
    }
    // The original: rollback_on_failure defaults to true only for BlueGreen.
    boolean rollbackByDefault = DeploymentPattern.BLUE_GREEN.wireName().equals(deploymentPattern);
    List<Objective> objectives = null;
    if (c.objectives() != null) {
      objectives = new ArrayList<>(c.objectives().size());
      for (Objective o : c.objectives()) {
        objectives.add(
            o == null || o.rollbackOnFailure() != null // a null entry is left for validation to report
                ? o
                : new Objective(
                    o.metric(), o.upperLimit(), o.lowerLimit(), rollbackByDefault, o.extra()));
      }
    }
    return new Criteria(
        c.requestCount(),
        c.rewards(),
        c.indicators(),
        objectives,
        orElse(c.strength(), STRENGTH),
        orElse(c.minSampleSize(), MIN_SAMPLE_SIZE),
        orElse(c.consecutiveErrorLimit(), CONSECUTIVE_ERROR_LIMIT),
        c.extra());
  }

  private static DurationSpec duration(DurationSpec d) {
    DurationSpec given = d == null ? new DurationSpec(null, null, null, null) : d;
    return new DurationSpec(
        orElse(given.intervalSeconds(), INTERVAL_SECONDS),
        orElse(given.iterationsPerLoop(), ITERATIONS_PER_LOOP),
        orElse(given.maxLoops(), MAX_LOOPS),
        given.extra());
  }

  private static <T> T orElse(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
