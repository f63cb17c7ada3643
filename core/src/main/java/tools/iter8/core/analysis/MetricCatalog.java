package tools.iter8.core.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.MetricSpec;
import tools.iter8.core.api.PosteriorSpec;

/**
 * Resolves metric references to {@code namespace/name} keys and gives each metric its
 * {@link MetricModel}. References in the experiment are {@code name} or {@code namespace/name}, a bare
 * name meaning the experiment's namespace (the original's rule); the {@code sampleSize} and
 * {@code posterior.histogram} of a Metric resolve in that Metric's own namespace, so a shared metric set
 * in {@code iter8-system} keeps working from any experiment namespace.
 */
final class MetricCatalog {
  private final String namespace;
  private final Map<String, Metric> metrics;
  private final Map<String, MetricModel> models = new LinkedHashMap<>();

  MetricCatalog(String experimentNamespace, Map<String, Metric> metrics) {
    this.namespace = experimentNamespace;
    this.metrics = metrics;
  }

  /** The key of a reference written in the experiment. */
  String key(String reference) {
    return qualify(reference, namespace);
  }

  MetricModel model(String key) {
    return models.computeIfAbsent(key, this::resolve);
  }

  private MetricModel resolve(String key) {
    Metric metric = metrics.get(key);
    if (metric == null || metric.spec() == null) {
      return MetricModel.invalid(key, "metric " + key + " is not among the experiment's metrics");
    }
    MetricSpec spec = metric.spec();
    String home = key.substring(0, key.indexOf('/'));
    String sampleSize = spec.sampleSize() == null ? null : qualify(spec.sampleSize(), home);
    PosteriorSpec posterior = spec.posterior();
    String model = posterior == null ? null : posterior.model();
    if (model == null) {
      // No model given: a Histogram models its own buckets, a Counter is an exact count, anything else
      // (the original's Gauges) is Normal.
      return switch (spec.type() == null ? "Gauge" : spec.type()) {
        case "Histogram" ->
            new MetricModel(key, MetricModel.Kind.HISTOGRAM_MEAN, null, key, Double.NaN, null, false, null);
        case "Counter" -> new MetricModel(key, MetricModel.Kind.EXACT, null, null, Double.NaN, null, true, null);
        default -> new MetricModel(key, MetricModel.Kind.NORMAL, sampleSize, null, Double.NaN, null, false, null);
      };
    }
    return switch (model) {
      case PosteriorSpec.RATE -> sampleSize == null
          ? MetricModel.invalid(key, "metric " + key + " has posterior model Rate but no sampleSize to count trials")
          : new MetricModel(key, MetricModel.Kind.RATE, sampleSize, null, Double.NaN, null,
              "Counter".equals(spec.type()), null);
      case PosteriorSpec.NORMAL -> new MetricModel(key, MetricModel.Kind.NORMAL, sampleSize, null, Double.NaN,
          posterior.stddev() == null ? null : posterior.stddev().value(), false, null);
      case PosteriorSpec.HISTOGRAM_MEAN, PosteriorSpec.HISTOGRAM_QUANTILE -> histogram(key, home, posterior);
      default -> MetricModel.invalid(key, "metric " + key + " has unknown posterior model \"" + model + "\"");
    };
  }

  private static MetricModel histogram(String key, String home, PosteriorSpec posterior) {
    if (posterior.histogram() == null) {
      return MetricModel.invalid(
          key, "metric " + key + " has posterior model " + posterior.model() + " but no histogram");
    }
    boolean quantile = PosteriorSpec.HISTOGRAM_QUANTILE.equals(posterior.model());
    if (quantile && (posterior.quantile() == null || !(posterior.quantile() > 0 && posterior.quantile() < 1))) {
      return MetricModel.invalid(key, "metric " + key + " needs a posterior quantile between 0 and 1");
    }
    return new MetricModel(
        key,
        quantile ? MetricModel.Kind.HISTOGRAM_QUANTILE : MetricModel.Kind.HISTOGRAM_MEAN,
        null,
        qualify(posterior.histogram(), home),
        quantile ? posterior.quantile() : Double.NaN,
        null,
        false,
        null);
  }

  private static String qualify(String reference, String namespace) {
    return reference.indexOf('/') >= 0 ? reference : namespace + "/" + reference;
  }
}
