package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.iter8.core.metrics.Observation;

/**
 * The per-iteration increments of every version's metrics, from the cumulative observations at the end of
 * each iteration ({@link AnalysisInput#history()} then this iteration's), and the swings between
 * iterations measured on them ({@link Overdispersion}), per metric, computed once per analysis.
 *
 * <p>A snapshot without a value (no data yet, an error) is skipped, so the next increment spans both
 * iterations; an increment with a negative part (a counter reset) is not used, and the next one starts
 * from the reset value.
 */
final class Swings {
  /** No history: every design effect is 1. */
  static final Swings NONE = new Swings(Map.of(), Map.of(), List.of());

  private final Map<String, Map<String, Observation>> observations;
  private final Map<String, Map<String, List<Observation>>> history;
  private final List<String> versions;
  private final Map<String, Overdispersion> rates = new HashMap<>();
  private final Map<String, Overdispersion> means = new HashMap<>();
  private final Map<String, Overdispersion[]> bounds = new HashMap<>();
  private final Map<String, List<double[][]>> histograms = new HashMap<>();

  /**
   * @param observations this iteration's observations, per version and metric key
   * @param history per version and metric key, the observations at the end of earlier iterations
   * @param versions the versions whose increments are pooled
   */
  Swings(
      Map<String, Map<String, Observation>> observations,
      Map<String, Map<String, List<Observation>>> history,
      List<String> versions) {
    this.observations = observations;
    this.history = history;
    this.versions = versions;
  }

  /** Whether there is any history to measure swings on. */
  boolean known() {
    return !history.isEmpty();
  }

  /** The swing of a Rate metric's event rate. */
  Overdispersion rate(MetricModel m) {
    if (!known()) {
      return Overdispersion.NONE;
    }
    return rates.computeIfAbsent(m.key(), k -> {
      Map<String, double[]> trials = new LinkedHashMap<>();
      Map<String, double[]> events = new LinkedHashMap<>();
      for (String v : versions) {
        double[][] inc = rateIncrements(series(v, m.key()), series(v, m.sampleSizeKey()), m.counts());
        trials.put(v, inc[0]);
        events.put(v, inc[1]);
      }
      return Overdispersion.binary(events, trials);
    });
  }

  /** The swing of a histogram's mean; {@code shape} gives the value each bucket counts as. */
  Overdispersion mean(String histogramKey, DirichletHistogram shape) {
    if (!known()) {
      return Overdispersion.NONE;
    }
    return means.computeIfAbsent(histogramKey, k -> {
      Map<String, double[]> counts = new LinkedHashMap<>();
      Map<String, double[]> sums = new LinkedHashMap<>();
      Map<String, double[]> squares = new LinkedHashMap<>();
      List<double[][]> perVersion = histogramIncrements(histogramKey);
      for (int i = 0; i < versions.size(); i++) {
        String v = versions.get(i);
        double[][] inc = perVersion.get(i);
        double[] n = new double[inc.length];
        double[] s1 = new double[inc.length];
        double[] s2 = new double[inc.length];
        for (int t = 0; t < inc.length; t++) {
          for (int j = 0; j < inc[t].length && j < shape.buckets(); j++) {
            double x = shape.midpoint(j);
            n[t] += inc[t][j];
            s1[t] += inc[t][j] * x;
            s2[t] += inc[t][j] * x * x;
          }
        }
        counts.put(v, n);
        sums.put(v, s1);
        squares.put(v, s2);
      }
      return Overdispersion.continuous(counts, sums, squares);
    });
  }

  /** Per bucket bound, the swing of the share of a histogram's observations at or below it. */
  Overdispersion[] bounds(String histogramKey, int buckets) {
    if (!known()) {
      Overdispersion[] none = new Overdispersion[buckets];
      java.util.Arrays.fill(none, Overdispersion.NONE);
      return none;
    }
    return bounds.computeIfAbsent(histogramKey, k -> {
      // Per version and iteration, the observations at or below each bound, and in all.
      List<double[][]> perVersion = histogramIncrements(histogramKey);
      List<double[][]> atOrBelow = new ArrayList<>();
      List<double[]> totals = new ArrayList<>();
      for (double[][] inc : perVersion) {
        double[][] below = new double[buckets][inc.length];
        double[] n = new double[inc.length];
        for (int t = 0; t < inc.length; t++) {
          double running = 0;
          for (int b = 0; b < inc[t].length; b++) {
            running += inc[t][b];
            if (b < buckets) {
              below[b][t] = running;
            }
          }
          n[t] = running;
        }
        atOrBelow.add(below);
        totals.add(n);
      }
      Overdispersion[] perBound = new Overdispersion[buckets];
      for (int j = 0; j < buckets; j++) {
        Map<String, double[]> trials = new LinkedHashMap<>();
        Map<String, double[]> events = new LinkedHashMap<>();
        for (int i = 0; i < versions.size(); i++) {
          trials.put(versions.get(i), totals.get(i));
          events.put(versions.get(i), atOrBelow.get(i)[j]);
        }
        perBound[j] = Overdispersion.binary(events, trials);
      }
      return perBound;
    });
  }

  /** Per version (in order), a histogram's per-iteration bucket counts, computed once. */
  private List<double[][]> histogramIncrements(String key) {
    return histograms.computeIfAbsent(key, k -> {
      List<double[][]> perVersion = new ArrayList<>();
      for (String v : versions) {
        perVersion.add(histogramIncrements(series(v, key)));
      }
      return perVersion;
    });
  }

  /** The history's snapshots of a metric for a version, then this iteration's. */
  private List<Observation> series(String version, String key) {
    Map<String, List<Observation>> byMetric = history.get(version);
    List<Observation> past = byMetric == null ? null : byMetric.get(key);
    List<Observation> all = new ArrayList<>(past == null ? List.of() : past);
    Map<String, Observation> now = observations.get(version);
    Observation current = now == null ? null : now.get(key);
    all.add(current == null ? new Observation.NoData("not observed") : current);
    return all;
  }

  /**
   * Per iteration, {trials, events} of a Rate metric ({@code counts}: the metric counts events, else it is
   * a fraction of the trials).
   */
  static double[][] rateIncrements(List<Observation> values, List<Observation> trials, boolean counts) {
    int size = Math.min(values.size(), trials.size());
    List<double[]> out = new ArrayList<>();
    double lastN = 0;
    double lastK = 0;
    for (int i = 0; i < size; i++) {
      if (!(values.get(i) instanceof Observation.Value v) || !(trials.get(i) instanceof Observation.Value n)) {
        continue;
      }
      double total = n.value();
      double events = Math.min(Math.max(counts ? v.value() : v.value() * total, 0), Math.max(total, 0));
      double dn = total - lastN;
      double dk = events - lastK;
      lastN = total;
      lastK = events;
      if (dn >= 0 && dk >= 0 && dk <= dn) {
        out.add(new double[] {dn, dk});
      }
    }
    double[][] split = new double[2][out.size()];
    for (int t = 0; t < out.size(); t++) {
      split[0][t] = out.get(t)[0];
      split[1][t] = out.get(t)[1];
    }
    return split;
  }

  /** Per iteration, the observations in each bucket alone (not cumulative). */
  static double[][] histogramIncrements(List<Observation> snapshots) {
    List<double[]> out = new ArrayList<>();
    double[] last = null;
    for (Observation o : snapshots) {
      if (!(o instanceof Observation.Buckets b)) {
        continue;
      }
      double[] counts = b.histogram().counts();
      double[] previous = last == null || last.length != counts.length ? new double[counts.length] : last;
      double[] d = new double[counts.length];
      boolean reset = false;
      for (int j = 0; j < counts.length; j++) {
        d[j] = counts[j] - previous[j];
        reset |= d[j] < -1e-9;
      }
      last = counts;
      if (!reset) {
        out.add(d);
      }
    }
    return out.toArray(new double[0][]);
  }
}
