package tools.iter8.core.validation;

import java.util.regex.Pattern;

/** Syntax of the names and paths resources refer to each other by. */
final class References {
  /** {@code name} or {@code namespace/name}: a DNS-1123 label, then a DNS-1123 subdomain. */
  static final Pattern METRIC_REF =
      Pattern.compile(
          "^(?:[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$");

  /**
   * The {@code weightObjRef.fieldPath} forms the agent can turn into a JSON Patch path: dot-separated
   * field names with optional list indexes, e.g. {@code .spec.http[0].route[1].weight}.
   */
  static final Pattern FIELD_PATH =
      Pattern.compile("^(?:\\.[A-Za-z_][A-Za-z0-9_-]*(?:\\[[0-9]+\\])*)+$");

  /** A Go duration such as {@code 300s}, {@code 1h30m} or {@code 1.5h}. */
  static final Pattern GO_DURATION =
      Pattern.compile("^(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+$");

  static final String METRIC_REF_EXPECTED =
      "expected a metric reference 'name' or 'namespace/name' (lower-case DNS names)";

  private References() {}

  static boolean isMetricRef(String ref) {
    return ref != null && METRIC_REF.matcher(ref).matches() && ref.length() <= 316;
  }
}
