package tools.iter8.core.defaults;

import tools.iter8.core.api.Metric;
import tools.iter8.core.api.MetricSpec;

/** The original Metric CRD's defaults: {@code type: Gauge}, {@code method: GET}. */
public final class MetricDefaults {
  public static final String TYPE = "Gauge";
  public static final String METHOD = "GET";

  private MetricDefaults() {}

  public static Metric apply(Metric metric) {
    MetricSpec s = metric.spec();
    if (s == null || (s.type() != null && s.method() != null)) {
      return metric;
    }
    return metric.withSpec(
        new MetricSpec(
            s.description(),
            s.units(),
            s.provider(),
            s.params(),
            s.body(),
            s.method() != null ? s.method() : METHOD,
            s.type() != null ? s.type() : TYPE,
            s.sampleSize(),
            s.authType(),
            s.secret(),
            s.headerTemplates(),
            s.urlTemplate(),
            s.jqExpression(),
            s.mock(),
            s.posterior(),
            s.extra()));
  }
}
