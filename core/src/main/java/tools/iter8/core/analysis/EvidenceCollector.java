package tools.iter8.core.analysis;

import java.util.Map;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * Turns one version's raw observations of a metric, and of the metrics its model draws on, into
 * {@link Evidence}: the posterior of its {@link MetricModel}.
 *
 * <ul>
 *   <li>Rate: k events in n trials (k is the value for a Counter, value × n for a fraction), Beta(½ + k/D,
 *       ½ + (n − k)/D), D the version's design effect for swings between iterations ({@link Swings}; 1
 *       without history).
 *   <li>Normal: Normal(value, s/√n), s the metric's {@code posterior.stddev} and n its {@code sampleSize}
 *       (else the experiment's request count). With no stddev, s is taken as the value itself (a
 *       coefficient of variation of 1, as for exponentially spread latencies): a deliberately wide guess
 *       that lets large samples decide but keeps small ones undecided.
 *   <li>HistogramMean / HistogramQuantile: the Dirichlet posterior of the histogram metric's buckets, the
 *       mean's variance times its design effect, a quantile's weights at each bound divided by that
 *       bound's.
 *   <li>Exact (a Counter with no model): the count itself.
 * </ul>
 */
final class EvidenceCollector {
  private final Map<String, Map<String, Observation>> observations;
  private final Swings swings;

  EvidenceCollector(Map<String, Map<String, Observation>> observations) {
    this(observations, Swings.NONE);
  }

  /** @param swings the metrics' swings between iterations, from the history ({@link Swings#NONE} without) */
  EvidenceCollector(Map<String, Map<String, Observation>> observations, Swings swings) {
    this.observations = observations;
    this.swings = swings;
  }

  /**
   * @param requestCount the version's request count, the sample size of a Normal metric without its own;
   *     null when unknown
   */
  Evidence evidence(String version, MetricModel model, Double requestCount) {
    return switch (model.kind()) {
      case INVALID -> Evidence.error(model.problem());
      case RATE -> rate(version, model);
      case NORMAL -> normal(version, model, requestCount);
      case HISTOGRAM_MEAN, HISTOGRAM_QUANTILE -> histogram(version, model);
      case EXACT -> exact(version, model);
    };
  }

  private Observation observation(String version, String key) {
    Map<String, Observation> byMetric = observations.get(version);
    Observation o = byMetric == null ? null : byMetric.get(key);
    return o == null ? new Observation.NoData("not observed") : o;
  }

  /** Error or no data for a metric that should have given a number; null when it did. */
  private Evidence notANumber(String key, Observation o) {
    if (o instanceof Observation.Error e) {
      return Evidence.error(key + ": " + e.reason());
    }
    if (o instanceof Observation.NoData n) {
      return Evidence.noData(key + ": " + n.reason());
    }
    if (o instanceof Observation.Buckets) {
      return Evidence.error(key + ": expected a number, got histogram buckets");
    }
    return null;
  }

  private Evidence rate(String version, MetricModel m) {
    Observation value = observation(version, m.key());
    Observation trials = observation(version, m.sampleSizeKey());
    // An error in either beats no data in either: errors are what fail an experiment.
    Evidence problem = firstError(notANumber(m.key(), value), notANumber(m.sampleSizeKey(), trials));
    if (problem != null) {
      return problem;
    }
    double n = ((Observation.Value) trials).value();
    if (n <= 0) {
      return Evidence.noData(m.sampleSizeKey() + ": no requests yet");
    }
    double x = ((Observation.Value) value).value();
    double events = m.counts() ? x : x * n;
    String note = "";
    if (events < 0 || events > n) {
      // Counters read at slightly different instants can disagree by a little; keep the rate in [0, 1].
      note = " (observed " + Figures.number(events) + " events, kept within 0.." + Figures.count(n) + ")";
      events = Math.min(Math.max(events, 0), n);
    }
    Overdispersion swing = swings.rate(m);
    double d = swing.designEffect(version);
    BetaPosterior posterior = BetaPosterior.of(events / d, n / d);
    return Evidence.of(
        posterior,
        events / n,
        n,
        Figures.number(events) + " of " + Figures.count(n) + note + effective(n, d, swing) + ", "
            + posterior.describe());
  }

  private Evidence normal(String version, MetricModel m, Double requestCount) {
    Observation value = observation(version, m.key());
    Double n = requestCount;
    Evidence problem = notANumber(m.key(), value);
    if (m.sampleSizeKey() != null) {
      Observation size = observation(version, m.sampleSizeKey());
      problem = firstError(problem, notANumber(m.sampleSizeKey(), size));
      n = size instanceof Observation.Value v ? v.value() : null;
    }
    if (problem != null) {
      return problem;
    }
    double x = ((Observation.Value) value).value();
    double spread = m.stddev() != null ? m.stddev() : Math.abs(x);
    String spreadSource =
        m.stddev() != null ? "stddev " + Figures.number(spread) : "no stddev: spread taken as the value";
    if (spread == 0) {
      return Evidence.of(new PointPosterior(x, "exactly"), x, n, "value " + Figures.number(x) + " with no spread");
    }
    boolean sized = n != null && n > 0;
    double sd = sized ? spread / Math.sqrt(n) : spread;
    NormalPosterior posterior = new NormalPosterior(x, sd, "");
    return Evidence.of(
        posterior,
        x,
        n,
        "value " + Figures.number(x) + " (" + spreadSource + (sized ? ", /√" + Figures.count(n) : ", one observation")
            + "), Normal(" + Figures.number(x) + ", sd " + Figures.number(sd) + ")");
  }

  private Evidence histogram(String version, MetricModel m) {
    Observation o = observation(version, m.histogramKey());
    if (o instanceof Observation.Error e) {
      return Evidence.error(m.histogramKey() + ": " + e.reason());
    }
    if (o instanceof Observation.NoData n) {
      return Evidence.noData(m.histogramKey() + ": " + n.reason());
    }
    if (!(o instanceof Observation.Buckets buckets)) {
      return Evidence.error(m.histogramKey() + ": expected histogram buckets, got a number");
    }
    Histogram h = buckets.histogram();
    if (h.total() <= 0) {
      return Evidence.noData(m.histogramKey() + ": no observations yet");
    }
    DirichletHistogram d = new DirichletHistogram(h);
    String sample = Figures.count(d.total()) + " observations in " + h.buckets().size() + " buckets";
    String overflow =
        d.overflowShare() > 0.01
            ? "; " + Figures.number(d.overflowShare() * 100) + "% above the last bound"
            : "";
    if (m.kind() == MetricModel.Kind.HISTOGRAM_QUANTILE) {
      double[] effects = null;
      String note = "";
      if (swings.known()) {
        Overdispersion[] perBound = swings.bounds(m.histogramKey(), d.buckets());
        effects = new double[d.buckets()];
        boolean any = false;
        for (int j = 0; j < effects.length; j++) {
          effects[j] = perBound[j].designEffect(version);
          any |= effects[j] > 1;
        }
        int at = d.boundIndex(d.pointQuantile(m.quantile()));
        note = effective(d.total(), effects[at], perBound[at]);
        effects = any ? effects : null;
      }
      HistogramQuantilePosterior posterior = d.quantilePosterior(m.quantile(), effects);
      return Evidence.of(posterior, d.pointQuantile(m.quantile()), d.total(),
          sample + overflow + note + ", " + posterior.describe());
    }
    Overdispersion swing = swings.mean(m.histogramKey(), d);
    double effect = swing.designEffect(version);
    sample += effective(d.total(), effect, swing);
    NormalPosterior posterior = d.meanPosterior(effect);
    String lowerBound = d.overflowShare() > 0.01 ? " (counted at that bound: the mean is a lower bound)" : "";
    return Evidence.of(
        posterior, d.pointMean(), d.total(), sample + overflow + lowerBound + ", " + posterior.describe());
  }

  private Evidence exact(String version, MetricModel m) {
    Observation o = observation(version, m.key());
    Evidence problem = notANumber(m.key(), o);
    if (problem != null) {
      return problem;
    }
    double x = ((Observation.Value) o).value();
    return Evidence.of(new PointPosterior(x, "count"), x, null, "count " + Figures.number(x));
  }

  /** For reasons: how far swings between iterations cut the sample, when they do. */
  private static String effective(double n, double designEffect, Overdispersion swing) {
    if (designEffect < 1.0005) {
      return "";
    }
    return " (effective " + Figures.count(n / designEffect) + " after swings between iterations, " + swing.basis()
        + ")";
  }

  private static Evidence firstError(Evidence a, Evidence b) {
    if (a != null && a.outcome() == Evidence.Outcome.ERROR) {
      return a;
    }
    if (b != null && b.outcome() == Evidence.Outcome.ERROR) {
      return b;
    }
    return a != null ? a : b;
  }
}
