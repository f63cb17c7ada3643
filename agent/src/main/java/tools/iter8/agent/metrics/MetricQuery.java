package tools.iter8.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.BuiltinHistsAnalysis;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.MetricInfo;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.api.VersionDetail;

/**
 * One evaluation of one metric for one version: everything a {@link MetricsSource} needs, so sources stay
 * free of Experiment bookkeeping.
 *
 * @param experiment {@code namespace/name} of the experiment, for log lines ({@code null}: none)
 * @param metricKey {@code namespace/name} of the metric, the key in {@code status.metrics}
 * @param metric the Metric as snapshotted in {@code status.metrics} (defaults need not be applied)
 * @param version the version, with its template variables
 * @param namespace the experiment's namespace: the default of {@code $namespace}
 * @param elapsedSeconds {@code $elapsedTime}: whole seconds since {@code status.startTime}, at least 1
 * @param builtinHistograms {@code status.analysis.aggregatedBuiltinHists.data}, for metrics of provider
 *     {@code iter8} ({@code null}: none collected yet)
 */
public record MetricQuery(
    String experiment,
    String metricKey,
    Metric metric,
    VersionDetail version,
    String namespace,
    long elapsedSeconds,
    JsonNode builtinHistograms) {

  /** The reserved template variable of the version name. */
  public static final String NAME = "name";
  /** The reserved template variable of the elapsed seconds. */
  public static final String ELAPSED_TIME = "elapsedTime";
  /** The template variable of the experiment namespace, unless a version variable sets it. */
  public static final String NAMESPACE = "namespace";

  public MetricQuery {
    Objects.requireNonNull(metricKey, "metricKey");
    Objects.requireNonNull(metric, "metric");
    Objects.requireNonNull(metric.spec(), "metric.spec");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(version.name(), "version.name");
    if (elapsedSeconds < 1) {
      throw new IllegalArgumentException("elapsedSeconds must be at least 1, got " + elapsedSeconds);
    }
  }

  /**
   * The query for a metric of an experiment's {@code status.metrics} and one of its versions, at
   * {@code now}.
   */
  public static MetricQuery of(Experiment experiment, MetricInfo metric, VersionDetail version, Instant now) {
    ExperimentStatus status = experiment.status();
    Instant start = status == null ? null : status.startTime();
    Analysis analysis = status == null ? null : status.analysis();
    BuiltinHistsAnalysis hists = analysis == null ? null : analysis.aggregatedBuiltinHists();
    String namespace = experiment.metadata() == null ? null : experiment.metadata().namespace();
    return new MetricQuery(
        experiment.metadata() == null ? null : experiment.metadata().key(),
        metric.name(),
        metric.metricObj(),
        version,
        namespace,
        elapsedSeconds(start, now),
        hists == null ? null : hists.data());
  }

  /**
   * {@code max(1, whole seconds from start to now)}, the original's {@code $elapsedTime}; 1 when the
   * experiment has not started.
   */
  public static long elapsedSeconds(Instant start, Instant now) {
    if (start == null) {
      return 1;
    }
    return Math.max(1, Duration.between(start, now).getSeconds());
  }

  /**
   * The values for {@code params} and {@code body} templates: {@code namespace} (the experiment's), then
   * every version variable (which may override {@code namespace}), then the reserved {@code name} and
   * {@code elapsedTime}, which override variables of the same name as in the original.
   */
  public Map<String, String> templateValues() {
    Map<String, String> values = new LinkedHashMap<>();
    if (namespace != null) {
      values.put(NAMESPACE, namespace);
    }
    if (version.variables() != null) {
      for (NamedValue v : version.variables()) {
        if (v.name() != null && v.value() != null) {
          values.put(v.name(), v.value());
        }
      }
    }
    values.put(NAME, version.name());
    values.put(ELAPSED_TIME, Long.toString(elapsedSeconds));
    return values;
  }

  /** {@code experiment ns/name, metric ns/name, version v}, the prefix of log lines. */
  public String describe() {
    return (experiment == null ? "" : "experiment " + experiment + ", ")
        + "metric " + metricKey + ", version " + version.name();
  }
}
