package tools.iter8.core.analysis;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 */
public record AnalysisInput(
    Experiment experiment,
    Map<String, Metric> metrics,
    Map<String, Map<String, Observation>> observations,
    Map<String, Integer> currentWeights,
    int iteration,
    int consecutiveErrors,
    long seed,
    Instant now) {

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

  private static <V> Map<String, V> frozen(Map<String, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
