package tools.iter8.testkit.prometheus;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One endpoint Prometheus scrapes, with the target labels a Kubernetes service discovery would attach
 * (e.g. {@code namespace} and {@code pod}); Prometheus adds them to every series scraped from it.
 *
 * @param job the {@code job} label and scrape job name
 * @param address {@code host:port}
 * @param metricsPath the path of the exposition, e.g. {@code /metrics}
 * @param labels target labels
 */
public record ScrapeTarget(String job, String address, String metricsPath, Map<String, String> labels) {

  public ScrapeTarget {
    Objects.requireNonNull(job, "job");
    Objects.requireNonNull(address, "address");
    metricsPath = metricsPath == null || metricsPath.isEmpty() ? "/metrics" : metricsPath;
    labels = labels == null ? Map.of() : Map.copyOf(new TreeMap<>(labels));
    for (String name : labels.keySet()) {
      if (!name.matches("[a-zA-Z_][a-zA-Z0-9_]*") || name.startsWith("__")) {
        throw new IllegalArgumentException("not a target label name: " + name);
      }
    }
  }

  public static ScrapeTarget of(String job, String address, String metricsPath) {
    return new ScrapeTarget(job, address, metricsPath, Map.of());
  }

  public ScrapeTarget withLabels(Map<String, String> more) {
    Map<String, String> all = new TreeMap<>(labels);
    all.putAll(more);
    return new ScrapeTarget(job, address, metricsPath, all);
  }
}
