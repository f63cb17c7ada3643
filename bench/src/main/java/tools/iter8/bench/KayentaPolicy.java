package tools.iter8.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.apache.commons.math3.stat.StatUtils;

/**
 * A Kayenta-style canary judge (peers §3.1: {@code NetflixACAJudge}, {@code MannWhitneyClassifier},
 * {@code WeightedSumScorer}) in a Spinnaker-style multi-interval analysis: the candidate gets a fixed
 * 10% of traffic for the whole lifetime (the experiment's length); every 5 minutes the judge compares
 * the candidate's per-minute series of error rate, mean latency and p95 latency since the start with the
 * baseline's. Per metric: drop NaNs, drop outliers (IQR fences with factor 3, widened to the 1st/99th
 * percentiles), Mann-Whitney at 98% confidence; High when the interval's lower end exceeds 25% of the
 * |Hodges–Lehmann estimate| and the mean ratio is at least 1 (direction: increase is bad). Score =
 * 100 × pass / (pass + high); the error rate is critical (High scores 0), and half or more of the
 * metrics without data score 0. An intermediate score below marginal (75) fails at once; the last must
 * reach pass (95) to promote.
 */
final class KayentaPolicy implements Policy {
  static final int CANARY_WEIGHT = 10;
  private static final int JUDGE_EVERY = 5;
  private static final double CONFIDENCE = 0.98;
  private static final double FRACTION = 0.25;
  private static final double MARGINAL = 75;
  private static final double PASS = 95;
  private static final double OUTLIER_FACTOR = 3.0;

  private final int lifetime;

  KayentaPolicy(int lifetime) {
    this.lifetime = lifetime;
  }

  @Override
  public int candidateWeight() {
    return CANARY_WEIGHT;
  }

  @Override
  public Outcome afterMinute(int minute, Ledger ledger) {
    boolean last = minute >= lifetime;
    if (!last && minute % JUDGE_EVERY != 0) {
      return null;
    }
    double score = score(ledger);
    if (last) {
      return score >= PASS ? Outcome.PROMOTE : Outcome.ROLLBACK;
    }
    return score < MARGINAL ? Outcome.ROLLBACK : null;
  }

  /** A metric's classification; with direction "increase" only, there is no Low. */
  private enum Classification {
    PASS,
    HIGH,
    NODATA
  }

  static double score(Ledger ledger) {
    Classification errors = classify(ledger, Window::errorRate);
    Classification mean = classify(ledger, Window::meanLatency);
    Classification p95 = classify(ledger, w -> w.latencyQuantile(0.95));
    if (errors == Classification.HIGH) {
      return 0;
    }
    List<Classification> all = List.of(errors, mean, p95);
    long noData = all.stream().filter(c -> c == Classification.NODATA).count();
    if (noData * 2 >= all.size()) {
      return 0;
    }
    long pass = all.stream().filter(c -> c == Classification.PASS).count();
    long judged = all.size() - noData;
    return 100.0 * pass / judged;
  }

  private static Classification classify(Ledger ledger, ToDoubleFunction<Window> metric) {
    double[] experiment = clean(series(ledger.minutes(true), metric));
    double[] control = clean(series(ledger.minutes(false), metric));
    if (experiment.length == 0 || control.length == 0) {
      return Classification.NODATA;
    }
    if (Arrays.equals(experiment, control)) {
      return Classification.PASS;
    }
    MannWhitney.Result r = MannWhitney.shift(experiment, control, CONFIDENCE);
    if (r == null) {
      return Classification.PASS;
    }
    double bound = FRACTION * Math.abs(r.estimate());
    double ratio = StatUtils.mean(experiment) / StatUtils.mean(control);
    if (r.lower() > bound && ratio >= 1.0) {
      return Classification.HIGH;
    }
    return Classification.PASS;
  }

  private static double[] series(List<Window> minutes, ToDoubleFunction<Window> metric) {
    double[] values = new double[minutes.size()];
    for (int i = 0; i < values.length; i++) {
      Window w = minutes.get(i);
      values[i] = w.requests == 0 ? Double.NaN : metric.applyAsDouble(w);
    }
    return values;
  }

  /** NaNs removed, then outliers beyond the widened IQR fences. */
  private static double[] clean(double[] values) {
    double[] data = Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
    if (data.length == 0) {
      return data;
    }
    double p25 = StatUtils.percentile(data, 25);
    double p75 = StatUtils.percentile(data, 75);
    double iqr = p75 - p25;
    double lower = Math.min(StatUtils.percentile(data, 1), p25 - OUTLIER_FACTOR * iqr);
    double upper = Math.max(StatUtils.percentile(data, 99), p75 + OUTLIER_FACTOR * iqr);
    List<Double> kept = new ArrayList<>(data.length);
    for (double v : data) {
      if (v >= lower && v <= upper) {
        kept.add(v);
      }
    }
    return kept.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
