package tools.iter8.cli;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.iter8.core.api.AggregatedMetric;
import tools.iter8.core.api.AggregatedMetricData;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.Condition;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.DurationSpec;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.ObjectiveAssessment;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.WeightData;
import tools.iter8.core.api.WinnerAssessmentData;
import tools.iter8.core.defaults.ExperimentDefaults;

/**
 * What iter8ctl reads off an Experiment, null-safe at every level: a resource just created has no status, one
 * written by the original controller has none of our additions. Pure; shared by describe, watch and assert so
 * the three agree on what "completed", "failed" and "winner" mean.
 */
public final class ExperimentFacts {
  public static final String COMPLETED = "Completed";
  public static final String FAILED = "Failed";

  private final Experiment experiment;

  public ExperimentFacts(Experiment experiment) {
    this.experiment = experiment;
  }

  public Experiment experiment() {
    return experiment;
  }

  public String name() {
    return experiment.metadata() == null ? null : experiment.metadata().name();
  }

  public String namespace() {
    return experiment.metadata() == null ? null : experiment.metadata().namespace();
  }

  /** {@code namespace/name}. */
  public String key() {
    return experiment.metadata() == null ? "" : experiment.metadata().key();
  }

  public ExperimentSpec spec() {
    return experiment.spec();
  }

  public Optional<ExperimentStatus> status() {
    return Optional.ofNullable(experiment.status());
  }

  public Optional<Analysis> analysis() {
    return status().map(ExperimentStatus::analysis);
  }

  public String testingPattern() {
    return spec() == null || spec().strategy() == null ? null : spec().strategy().testingPattern();
  }

  /** As the original printed it: {@code Progressive} when unset. */
  public String deploymentPattern() {
    String p = spec() == null || spec().strategy() == null ? null : spec().strategy().deploymentPattern();
    return p != null ? p : DeploymentPattern.PROGRESSIVE.wireName();
  }

  /** Baseline first, then candidates, as every per-version list in status. */
  public List<String> versions() {
    if (spec() == null || spec().versionInfo() == null) {
      return List.of();
    }
    return spec().versionInfo().all().stream().map(VersionDetail::name).toList();
  }

  public List<String> candidates() {
    if (spec() == null || spec().versionInfo() == null || spec().versionInfo().candidates() == null) {
      return List.of();
    }
    return spec().versionInfo().candidates().stream().map(VersionDetail::name).toList();
  }

  public String stage() {
    return status().map(ExperimentStatus::stage).orElse(null);
  }

  public int completedIterations() {
    return status().map(ExperimentStatus::completedIterations).orElse(0);
  }

  /** The duration with the defaults the agent applies, so the totals match what runs. */
  public DurationSpec duration() {
    DurationSpec d = spec() == null ? null : spec().duration();
    d = d == null ? new DurationSpec(null, null, null, null) : d;
    return new DurationSpec(
        d.intervalSeconds() != null ? d.intervalSeconds() : ExperimentDefaults.INTERVAL_SECONDS,
        d.iterationsPerLoop() != null ? d.iterationsPerLoop() : ExperimentDefaults.ITERATIONS_PER_LOOP,
        d.maxLoops() != null ? d.maxLoops() : ExperimentDefaults.MAX_LOOPS,
        null);
  }

  public int totalIterations() {
    return duration().totalIterations();
  }

  /** The loop under way (1-based), or the last loop once every iteration is done. */
  public int currentLoop() {
    DurationSpec d = duration();
    int loop = completedIterations() / Math.max(1, d.iterationsPerLoop()) + 1;
    return Math.min(loop, d.maxLoops());
  }

  public Optional<Condition> condition(String type) {
    List<Condition> conditions = status().map(ExperimentStatus::conditions).orElse(null);
    if (conditions == null) {
      return Optional.empty();
    }
    return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
  }

  private boolean conditionTrue(String type) {
    return condition(type).map(c -> "True".equals(c.status())).orElse(false);
  }

  /** Stage {@code Completed} or condition {@code Completed=True}: the experiment will not change any more. */
  public boolean completed() {
    return COMPLETED.equals(stage()) || conditionTrue(COMPLETED);
  }

  /** Condition {@code Failed=True}. */
  public boolean failed() {
    return conditionTrue(FAILED);
  }

  /** Why it failed: the Failed condition's reason and message, else the status message. */
  public String failureReason() {
    return condition(FAILED)
        .filter(c -> "True".equals(c.status()))
        .map(c -> join(c.reason(), c.message()))
        .orElseGet(() -> status().map(ExperimentStatus::message).orElse(""));
  }

  public Optional<WinnerAssessmentData> winnerAssessment() {
    return analysis()
        .map(Analysis::winnerAssessment)
        .map(w -> w.data());
  }

  public boolean winnerFound() {
    return winnerAssessment().map(w -> Boolean.TRUE.equals(w.winnerFound())).orElse(false);
  }

  public Optional<String> winner() {
    return winnerAssessment().filter(w -> Boolean.TRUE.equals(w.winnerFound())).map(WinnerAssessmentData::winner);
  }

  /** The original's {@code CandidateWon()}: exactly one candidate, and it is the winner. */
  public boolean candidateWon() {
    List<String> candidates = candidates();
    return candidates.size() == 1 && winner().map(candidates.get(0)::equals).orElse(false);
  }

  /** Traffic per version as last observed on the cluster ({@code status.currentWeightDistribution}). */
  public Map<String, Integer> currentWeights() {
    return weights(status().map(ExperimentStatus::currentWeightDistribution).orElse(null));
  }

  /** Traffic per version recommended for the next iteration ({@code status.analysis.weights}). */
  public Map<String, Integer> recommendedWeights() {
    return weights(analysis().map(Analysis::weights).map(w -> w.data()).orElse(null));
  }

  private static Map<String, Integer> weights(List<WeightData> data) {
    if (data == null) {
      return Map.of();
    }
    LinkedHashMap<String, Integer> m = new LinkedHashMap<>();
    for (WeightData w : data) {
      if (w.name() != null && w.value() != null) {
        m.put(w.name(), w.value());
      }
    }
    return m;
  }

  /**
   * One version's aggregated value of a metric, with the key as written in the criteria ({@code name} or
   * {@code namespace/name}) or as status keys it ({@code namespace/name}).
   */
  public Optional<AggregatedMetricData> metricData(String metric, String version) {
    Map<String, AggregatedMetric> data =
        analysis().map(Analysis::aggregatedMetrics).map(a -> a.data()).orElse(null);
    if (data == null || metric == null) {
      return Optional.empty();
    }
    AggregatedMetric m = data.get(metric);
    if (m == null && !metric.contains("/") && namespace() != null) {
      m = data.get(namespace() + "/" + metric);
    }
    if (m == null || m.data() == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(m.data().get(version));
  }

  public Optional<BigDecimal> metricValue(String metric, String version) {
    return metricData(metric, version).map(AggregatedMetricData::value).flatMap(q -> q.decimal());
  }

  /** The original's verdict: objective {@code index} met by {@code version}, when assessed. */
  public Optional<Boolean> objectiveMet(int index, String version) {
    return analysis()
        .map(Analysis::versionAssessments)
        .map(v -> v.data())
        .map(d -> d.get(version))
        .filter(list -> list.size() > index)
        .map(list -> list.get(index));
  }

  /** Ours: the verdict on objective {@code index} for {@code version} with its probability and reason. */
  public Optional<ObjectiveAssessment> objectiveDetail(int index, String version) {
    return analysis()
        .map(Analysis::versionAssessments)
        .map(v -> v.details())
        .map(d -> d.get(version))
        .filter(list -> list.size() > index)
        .map(list -> list.get(index));
  }

  /**
   * How long the experiment has run: from its start (or initialisation) to its completion, or to {@code now}
   * while it runs.
   */
  public Optional<Duration> elapsed(Instant now) {
    Optional<Instant> start =
        status().map(s -> s.startTime() != null ? s.startTime() : s.initTime());
    if (start.isEmpty()) {
      return Optional.empty();
    }
    Instant end = now;
    if (completed()) {
      end = condition(COMPLETED)
          .filter(c -> "True".equals(c.status()) && c.lastTransitionTime() != null)
          .map(Condition::lastTransitionTime)
          .orElseGet(() -> status().map(ExperimentStatus::lastUpdateTime).orElse(now));
    }
    return Optional.of(Duration.between(start.get(), end));
  }

  static String join(String reason, String message) {
    boolean hasReason = reason != null && !reason.isBlank();
    boolean hasMessage = message != null && !message.isBlank();
    if (hasReason && hasMessage) {
      return reason + ": " + message;
    }
    return hasReason ? reason : hasMessage ? message : "";
  }
}
