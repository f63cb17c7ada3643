package tools.iter8.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.core.analysis.AnalysisInput;
import tools.iter8.core.analysis.AnalysisResult;
import tools.iter8.core.analysis.ExperimentAnalyzer;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.WeightData;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * Our policy, through the production code path: every minute the agent's call to
 * {@link ExperimentAnalyzer#analyze} with the experiment's cumulative metrics (the original's
 * {@code $elapsedTime} queries), applying the recommended weights and stopping at the first terminal
 * decision. Canary, Progressive, defaults otherwise (strength 0.95, minimum sample 100, 5% floor, caps
 * 100/+10).
 *
 * <p>With {@code history}, the call also carries {@link AnalysisInput#history()}: the cumulative
 * observations at the end of every earlier iteration, which the agent would get by evaluating the same
 * queries at those iterations' end times. The agent does not supply it yet; this variant measures what it
 * would change.
 */
final class Iter8Policy implements Policy {
  static final String BASELINE = "baseline";
  static final String CANDIDATE = "candidate";
  private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

  private final ExperimentAnalyzer analyzer;
  private final Experiment experiment;
  private final Map<String, Metric> metrics;
  private final String runId;
  private final boolean history;
  private final Map<String, Map<String, List<Observation>>> past = new LinkedHashMap<>();
  private int weight;
  private AnalysisResult last;

  Iter8Policy(
      ExperimentAnalyzer analyzer, Experiment experiment, Map<String, Metric> metrics, String runId, boolean history) {
    this.analyzer = analyzer;
    this.experiment = experiment;
    this.metrics = metrics;
    this.runId = runId;
    this.history = history;
  }

  @Override
  public int candidateWeight() {
    return weight;
  }

  @Override
  public Outcome afterMinute(int minute, Ledger ledger) {
    Map<String, Map<String, Observation>> observations = new LinkedHashMap<>();
    observations.put(BASELINE, observe(ledger.total(false)));
    observations.put(CANDIDATE, observe(ledger.total(true)));
    AnalysisResult result = analyzer.analyze(new AnalysisInput(
        withStatus(minute), metrics, observations, Map.of(BASELINE, 100 - weight, CANDIDATE, weight), minute,
        last == null ? 0 : last.consecutiveErrors(), AnalysisInput.seedFor(runId, minute),
        START.plusSeconds(60L * minute), history ? past : Map.of()));
    last = result;
    if (history) {
      observations.forEach((version, byMetric) -> byMetric.forEach((key, o) -> past
          .computeIfAbsent(version, v -> new LinkedHashMap<>()).computeIfAbsent(key, k -> new ArrayList<>()).add(o)));
    }
    switch (result.action()) {
      case PROMOTE:
        return CANDIDATE.equals(result.decision().version()) ? Outcome.PROMOTE : Outcome.ROLLBACK;
      case ROLLBACK:
      case FAIL:
        return Outcome.ROLLBACK;
      default:
        for (WeightData w : result.analysis().weights().data()) {
          if (CANDIDATE.equals(w.name())) {
            weight = w.value();
          }
        }
        return null;
    }
  }

  /** The experiment with the status the agent would have written after the previous iteration. */
  private Experiment withStatus(int minute) {
    if (last == null) {
      return experiment;
    }
    return experiment.withStatus(new ExperimentStatus(null, null, null, null, "Running", minute - 1,
        List.of(new WeightData(BASELINE, 100 - weight), new WeightData(CANDIDATE, weight)), last.analysis(),
        last.versionRecommendedForPromotion(), last.decision().reason(), null, last.decision(), null,
        last.consecutiveErrors(), minute - 1, null, null));
  }

  /** What Prometheus answers for a version since the start: no series at all before its first request. */
  static Map<String, Observation> observe(Window total) {
    Map<String, Observation> o = new LinkedHashMap<>();
    if (total.requests == 0) {
      Observation none = new Observation.NoData("no requests yet");
      o.put(BenchExperiment.REQUESTS, none);
      o.put(BenchExperiment.ERRORS, none);
      o.put(BenchExperiment.LATENCY, none);
      return o;
    }
    o.put(BenchExperiment.REQUESTS, new Observation.Value(total.requests));
    o.put(BenchExperiment.ERRORS, new Observation.Value(total.errors));
    o.put(BenchExperiment.LATENCY, new Observation.Buckets(histogram(total)));
    return o;
  }

  private static Histogram histogram(Window w) {
    double[] bounds = BenchExperiment.LATENCY_BOUNDS;
    Histogram.Bucket[] buckets = new Histogram.Bucket[bounds.length];
    long cumulative = 0;
    for (int i = 0; i < bounds.length; i++) {
      cumulative += w.buckets[i];
      buckets[i] = new Histogram.Bucket(bounds[i], cumulative);
    }
    return new Histogram(List.of(buckets));
  }
}
