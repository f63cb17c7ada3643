package tools.iter8.webhook.admission;

import tools.iter8.core.api.Metric;
import tools.iter8.core.defaults.MetricDefaults;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.MetricValidator;

/**
 * Metrics: the original's defaults ({@code type: Gauge}, {@code method: GET}) on {@code /mutate}; on
 * {@code /validate} every problem of {@link MetricValidator} (its jq expression compiled with the agent's
 * jq) and of the CRD schema listed in one denial.
 */
public final class MetricAdmission extends ResourceAdmission<Metric> {
  public MetricAdmission(CrdSchemas schemas) {
    super(Metric.KIND, Metric.class, MetricDefaults::apply, MetricValidator::validate, schemas);
  }
}
