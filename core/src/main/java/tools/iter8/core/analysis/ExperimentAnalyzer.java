package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.BuiltinHistsAnalysis;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.Reward;
import tools.iter8.core.api.WeightData;

/**
 * The analysis of one experiment iteration (DESIGN §2.6), the one entry point the agent calls:
 * observations → posteriors per version and metric ({@link EvidenceCollector}, widened by the swings
 * between iterations that {@link Swings} measures when the input has a history) → objective verdicts
 * ({@link VersionAssessor}) → winner ({@link WinnerRule} of the testing pattern) → decision
 * ({@link SequentialDecider}) → weights ({@link WeightRecommender} of the deployment pattern) → status
 * ({@link StatusAssembler}).
 *
 * <p>Pure and deterministic: the same input, seed included, gives the same result, on any thread.
 * {@code draws} sets the Monte Carlo precision of the comparisons between versions (A/B, A/B/N and
 * Pareto; Canary and Conformance need none): the standard error of a probability p estimated from N
 * draws is √(p(1 − p)/N), 0.0049 at p = 0.95 with the default 2,000, small beside the distance from the
 * threshold that a decision normally has (docs/analysis.md).
 */
public final class ExperimentAnalyzer {
  /** The default number of Monte Carlo draws per iteration. */
  public static final int DEFAULT_DRAWS = 2000;

  private final int draws;

  public ExperimentAnalyzer() {
    this(DEFAULT_DRAWS);
  }

  public ExperimentAnalyzer(int draws) {
    if (draws < 1) {
      throw new IllegalArgumentException("draws must be positive, got " + draws);
    }
    this.draws = draws;
  }

  /**
   * @throws IllegalArgumentException when the experiment lacks what validation guarantees
   */
  public AnalysisResult analyze(AnalysisInput input) {
    ExperimentPlan plan = ExperimentPlan.of(input.experiment());
    MetricCatalog catalog = new MetricCatalog(plan.namespace(), input.metrics());
    EvidenceCollector collector = new EvidenceCollector(input.observations(),
        input.history().isEmpty() ? Swings.NONE : new Swings(input.observations(), input.history(), plan.versions()));
    List<String> objectiveKeys = plan.objectives().stream().map(Objective::metric).map(catalog::key).toList();
    List<String> rewardKeys = plan.rewards().stream().map(Reward::metric).map(catalog::key).toList();
    String requestCountKey = plan.requestCount() == null ? null : catalog.key(plan.requestCount());
    List<String> shown = shownKeys(catalog, requestCountKey, objectiveKeys, rewardKeys, plan.indicators());

    Map<String, Map<String, Evidence>> evidenceByMetric = new LinkedHashMap<>();
    shown.forEach(k -> evidenceByMetric.put(k, new LinkedHashMap<>()));
    Map<String, VersionAssessment> assessments = new LinkedHashMap<>();
    Map<String, List<Evidence>> objectiveEvidence = new LinkedHashMap<>();
    Map<String, List<Evidence>> rewardEvidence = new LinkedHashMap<>();
    VersionAssessor assessor = new VersionAssessor(plan);
    for (String version : plan.versions()) {
      Evidence requestCount =
          requestCountKey == null ? null : collector.evidence(version, catalog.model(requestCountKey), null);
      Double requests = requestCount != null && requestCount.hasValue() ? requestCount.value() : null;
      Map<String, Evidence> byKey = new LinkedHashMap<>();
      for (String key : shown) {
        Evidence e =
            key.equals(requestCountKey) ? requestCount : collector.evidence(version, catalog.model(key), requests);
        byKey.put(key, e);
        evidenceByMetric.get(key).put(version, e);
      }
      List<Evidence> objectives = objectiveKeys.stream().map(byKey::get).toList();
      List<Evidence> rewards = rewardKeys.stream().map(byKey::get).toList();
      objectiveEvidence.put(version, objectives);
      rewardEvidence.put(version, rewards);
      assessments.put(version, assessor.assess(version, objectives, rewards, requestCount));
    }

    WinnerInputs winnerInputs = new WinnerInputs(plan, assessments, objectiveEvidence, rewardEvidence,
        objectiveKeys, rewardKeys, new Sampler(input.seed()), draws, input.iteration() >= plan.totalIterations());
    WinnerAssessment winner = WinnerRule.of(plan.testing()).assess(winnerInputs);
    PreviousLook previous = PreviousLook.of(input.experiment());
    SequentialDecider.Outcome outcome =
        new SequentialDecider(plan).decide(assessments, winner, input.iteration(), input.consecutiveErrors(), previous);
    List<WeightData> weights = new WeightRecommender(plan)
        .recommend(outcome.action(), outcome.version(), winner, assessments, input.currentWeights(), previous);

    StatusAssembler status = new StatusAssembler(plan, input.now());
    BuiltinHistsAnalysis builtinHists =
        input.experiment().status() == null || input.experiment().status().analysis() == null
            ? null
            : input.experiment().status().analysis().aggregatedBuiltinHists();
    Analysis analysis = status.analysis(builtinHists, evidenceByMetric, assessments, winner, weights,
        weightsMessage(plan, outcome.action()));
    Decision decision = status.decision(outcome, input.iteration());
    return new AnalysisResult(analysis, decision, outcome.consecutiveErrors(),
        winner.found() ? winner.winner() : plan.baseline());
  }

  /**
   * The metrics shown in {@code aggregatedMetrics}: the request count, objectives, rewards and indicators,
   * then the metrics they draw on, each once, in that order.
   */
  private static List<String> shownKeys(
      MetricCatalog catalog, String requestCountKey, List<String> objectiveKeys, List<String> rewardKeys,
      List<String> indicators) {
    Set<String> keys = new LinkedHashSet<>();
    if (requestCountKey != null) {
      keys.add(requestCountKey);
    }
    keys.addAll(objectiveKeys);
    keys.addAll(rewardKeys);
    indicators.stream().map(catalog::key).forEach(keys::add);
    for (String key : new ArrayList<>(keys)) {
      keys.addAll(catalog.model(key).observedKeys());
    }
    return List.copyOf(keys);
  }

  private static String weightsMessage(ExperimentPlan plan, DecisionAction action) {
    return switch (plan.testing()) {
      case CONFORMANCE -> "weight computation is not applicable to a conformance experiment";
      default -> action.terminal()
          ? "final split after " + action.wireName() + ": all traffic to one version"
          : switch (plan.deployment()) {
            case PROGRESSIVE -> action == DecisionAction.HOLD
                ? "Progressive: weights held (eligible versions keep the " + plan.explorationFloor()
                    + "% floor; a version never tried starts its ramp)"
                : "Progressive: " + (plan.versions().size() >= 3 ? "top-two " : "") + "Thompson sampling over"
                    + " P(best and feasible), " + plan.explorationFloor() + "% exploration floor, capped at "
                    + plan.maxCandidateWeight() + "% per candidate and +" + plan.maxCandidateWeightIncrement()
                    + " per iteration";
            case FIXED_SPLIT -> "FixedSplit: weights unchanged";
            case BLUE_GREEN -> "BlueGreen: weights unchanged until the decision";
            case DARK_LAUNCH -> "DarkLaunch: live traffic stays on the baseline; the candidate is mirrored";
          };
    };
  }
}
