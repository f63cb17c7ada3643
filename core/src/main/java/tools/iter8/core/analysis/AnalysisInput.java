package tools.iter8.core.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.metrics.Observation;

/**
 * Everything one analysis iteration reads. The analysis keeps no state of its own: what it needs from
 * earlier iterations is in the experiment's status or in these fields, so a restarted agent that calls it
 * again with the same input gets the same result.
 *
 * <p>Each iteration is analysed once: its promotion or rollback is confirmed against the previous
 * iteration's conclusions in status ({@code status.decision.iteration} = this iteration − 1). When status
 * already holds this iteration's decision, act on it rather than analysing the iteration again.
 *
 * @param experiment the experiment; defaults are applied again here (idempotent); its status supplies the
 *     previous iteration's conclusions and {@code aggregatedBuiltinHists}, which is carried over
 * @param metrics every Metric the criteria reach, directly or through {@code sampleSize} and
 *     {@code posterior.histogram}, keyed {@code namespace/name} (as {@code status.metrics})
 * @param observations per version name, per metric key: what the metric's query returned for the whole
 *     experiment so far (the original's {@code $elapsedTime} window). Absent entries count as no data
 * @param currentWeights per version name, the traffic weight in percent as read from the cluster before
 *     this iteration's step ({@code status.currentWeightDistribution}); absent versions count as 0, and an
 *     empty map as the original's start, all traffic on the baseline
 * @param iteration the iteration being completed, from 1 ({@code completedIterations + 1})
 * @param consecutiveErrors iterations in a row whose metric queries errored before this one
 *     ({@code status.consecutiveErrors})
 * @param seed seeds every random draw; derive it from the experiment and iteration
 *     ({@link #seedFor(String, int)}) so a retried iteration draws the same numbers
 * @param now the time written to {@code timestamp}s and the decision
 * @param history optional: per version name, per metric key, the same query's cumulative result at the
 *     end of each earlier iteration, oldest first (iteration 1 first). With it, the analysis measures how
 *     much the metrics swing from one iteration to the next beyond what independent requests explain
 *     (docs/analysis.md, "Swings between iterations") and widens the posteriors accordingly. Empty (the 8-argument constructor)
 *     means unknown: requests are then taken as independent
 */
public record AnalysisInput(
    Experiment experiment,
    Map<String, Metric> metrics,
    Map<String, Map<String, Observation>> observations,
    Map<String, Integer> currentWeights,
    int iteration,
    int consecutiveErrors,
    long seed,
    Instant now,
    Map<String, Map<String, List<Observation>>> history) {

  /** An input without {@code history}: requests are taken as independent. */
  public AnalysisInput(
      Experiment experiment,
      Map<String, Metric> metrics,
      Map<String, Map<String, Observation>> observations,
      Map<String, Integer> currentWeights,
      int iteration,
      int consecutiveErrors,
      long seed,
      Instant now) {
    this(experiment, metrics, observations, currentWeights, iteration, consecutiveErrors, seed, now, null);
  }

  public AnalysisInput {
    Objects.requireNonNull(experiment, "experiment");
    Objects.requireNonNull(now, "now");
    if (iteration < 1) {
      throw new IllegalArgumentException("iterations count from 1, got " + iteration);
    }
    if (consecutiveErrors < 0) {
      throw new IllegalArgumentException("consecutiveErrors must not be negative, got " + consecutiveErrors);
    }
    metrics = frozen(metrics);
    currentWeights = frozen(currentWeights);
    Map<String, Map<String, Observation>> copy = new LinkedHashMap<>();
    if (observations != null) {
      observations.forEach((version, byMetric) -> copy.put(version, frozen(byMetric)));
    }
    observations = Collections.unmodifiableMap(copy);
    Map<String, Map<String, List<Observation>>> past = new LinkedHashMap<>();
    if (history != null) {
      history.forEach((version, byMetric) -> {
        Map<String, List<Observation>> m = new LinkedHashMap<>();
        if (byMetric != null) {
          byMetric.forEach((key, list) -> m.put(key, list == null ? List.of() : java.util.List.copyOf(list)));
        }
        past.put(version, Collections.unmodifiableMap(m));
      });
    }
    history = Collections.unmodifiableMap(past);
  }

  /**
   * A seed that is the same whenever the same iteration of the same experiment is analysed again, and
   * different between iterations and experiments (SplitMix64 finaliser over both).
   */
  public static long seedFor(String experimentUid, int iteration) {
    long z = (experimentUid == null ? 0 : experimentUid.hashCode()) * 0x9E3779B97F4A7C15L + iteration;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A copy of a metric's history; a missing snapshot is no data. */
  private static List<Observation> snapshots(List<Observation> list) {
    List<Observation> copy = new ArrayList<>(list == null ? List.of() : list);
    copy.replaceAll(o -> o == null ? new Observation.NoData("not observed") : o);
    return List.copyOf(copy);
  }

  private static <V> Map<String, V> frozen(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
