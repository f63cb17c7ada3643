package tools.iter8.core.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.MetricSpec;
import tools.iter8.core.api.MockValue;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.api.PosteriorSpec;
import tools.iter8.core.defaults.MetricDefaults;

/**
 * Checks a Metric and reports every problem at once with its field path. The jq expression is compiled
 * here with the same jq implementation the agent evaluates it with, so a typo is refused at admission
 * instead of turning into an error in every iteration.
 */
public final class MetricValidator {
  /** Metrics of this provider are computed by iter8 itself and never queried over HTTP. */
  public static final String BUILTIN_PROVIDER = "iter8";

  private static final Set<String> TYPES = Set.of("Counter", "Gauge", "Histogram");
  private static final Set<String> METHODS = Set.of("GET", "POST");
  private static final Set<String> AUTH_TYPES = Set.of("Basic", "Bearer", "APIKey");

  private MetricValidator() {}

  public static List<Problem> validate(Metric raw) {
    Problems p = new Problems();
    if (raw.apiVersion() != null && !Metric.API_VERSION.equals(raw.apiVersion())) {
      p.add("apiVersion", "must be " + Metric.API_VERSION + ", got \"" + raw.apiVersion() + "\"");
    }
    if (raw.kind() != null && !Metric.KIND.equals(raw.kind())) {
      p.add("kind", "must be " + Metric.KIND + ", got \"" + raw.kind() + "\"");
    }
    if (raw.metadata() == null || raw.metadata().name() == null || raw.metadata().name().isBlank()) {
      p.add("metadata.name", "is required");
    }
    if (p.required("spec", raw.spec())) {
      spec(p, MetricDefaults.apply(raw).spec());
    }
    return p.sorted();
  }

  private static void spec(Problems p, MetricSpec s) {
    if (!TYPES.contains(s.type())) {
      p.add("spec.type", "must be Counter, Gauge or Histogram, got \"" + s.type() + "\"");
    }
    if (!METHODS.contains(s.method())) {
      p.add("spec.method", "must be GET or POST, got \"" + s.method() + "\"");
    }
    boolean queried = (s.mock() == null || s.mock().isEmpty()) && !BUILTIN_PROVIDER.equals(s.provider());
    if (queried) {
      if (p.required("spec.urlTemplate", s.urlTemplate())
          && !s.urlTemplate().matches("(?i)^(https?://|\\$\\{?[A-Za-z_]).*")) {
        p.add("spec.urlTemplate", "expected an http:// or https:// URL, got \"" + s.urlTemplate() + "\"");
      }
      if (p.required("spec.jqExpression", s.jqExpression())) {
        try {
          JsonQuery.compile(s.jqExpression(), Versions.JQ_1_6);
        } catch (JsonQueryException e) {
          p.add("spec.jqExpression", "is not a valid jq expression: " + e.getMessage());
        }
      }
    }
    if (s.authType() != null) {
      if (!AUTH_TYPES.contains(s.authType())) {
        p.add("spec.authType", "must be Basic, Bearer or APIKey, got \"" + s.authType() + "\"");
      } else if (s.secret() == null || s.secret().isBlank()) {
        p.add("spec.secret", "is required with authType " + s.authType() + ": it holds the credentials");
      }
    }
    if (s.secret() != null && !References.isMetricRef(s.secret())) {
      p.add("spec.secret", "expected a Secret 'name' or 'namespace/name', got \"" + s.secret() + "\"");
    }
    if (s.sampleSize() != null && !References.isMetricRef(s.sampleSize())) {
      p.add("spec.sampleSize", References.METRIC_REF_EXPECTED + ", got \"" + s.sampleSize() + "\"");
    }
    if (s.posterior() != null) {
      posterior(p, s);
    }
    namedValues(p, "spec.params", s.params());
    namedValues(p, "spec.headerTemplates", s.headerTemplates());
    if (s.mock() != null) {
      Set<String> versions = new HashSet<>();
      for (int i = 0; i < s.mock().size(); i++) {
        MockValue m = s.mock().get(i);
        String at = "spec.mock[" + i + "]";
        if (!p.required(at, m)) {
          continue; // a null entry: "mock: [null]"
        }
        if (p.required(at + ".name", m.name()) && !versions.add(m.name())) {
          p.add(at + ".name", "version \"" + m.name() + "\" is mocked more than once");
        }
        if (p.required(at + ".level", m.level()) && !m.level().isValid()) {
          p.add(at + ".level", "expected a quantity such as 15 or \"0.5\", got \"" + m.level() + "\"");
        }
      }
    }
  }

  private static void posterior(Problems p, MetricSpec s) {
    PosteriorSpec ps = s.posterior();
    String at = "spec.posterior";
    if (!p.required(at + ".model", ps.model())) {
      return;
    }
    switch (ps.model()) {
      case PosteriorSpec.RATE -> {
        if (s.sampleSize() == null) {
          p.add("spec.sampleSize", "is required with posterior model Rate: it counts the trials");
        }
      }
      case PosteriorSpec.HISTOGRAM_MEAN, PosteriorSpec.HISTOGRAM_QUANTILE -> {
        if (p.required(at + ".histogram", ps.histogram()) && !References.isMetricRef(ps.histogram())) {
          p.add(at + ".histogram", References.METRIC_REF_EXPECTED + ", got \"" + ps.histogram() + "\"");
        }
        if (PosteriorSpec.HISTOGRAM_QUANTILE.equals(ps.model())
            && p.required(at + ".quantile", ps.quantile())
            && !(ps.quantile() > 0 && ps.quantile() < 1)) {
          p.add(at + ".quantile", "must be between 0 and 1 (exclusive), e.g. 0.95, got " + ps.quantile());
        }
      }
      case PosteriorSpec.NORMAL -> {
        if (ps.stddev() != null
            && (!ps.stddev().isValid() || ps.stddev().decimal().get().signum() <= 0)) {
          p.add(at + ".stddev", "expected a positive quantity, got \"" + ps.stddev() + "\"");
        }
      }
      default -> p.add(
          at + ".model",
          "unknown model \"" + ps.model() + "\"; expected one of Rate, Normal, HistogramMean, HistogramQuantile");
    }
  }

  private static void namedValues(Problems p, String at, List<NamedValue> values) {
    if (values == null) {
      return;
    }
    for (int i = 0; i < values.size(); i++) {
      if (p.required(at + "[" + i + "]", values.get(i))) {
        p.required(at + "[" + i + "].name", values.get(i).name());
        p.required(at + "[" + i + "].value", values.get(i).value());
      }
    }
  }
}
