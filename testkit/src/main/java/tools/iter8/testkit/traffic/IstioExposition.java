package tools.iter8.testkit.traffic;

import java.util.Map;

/**
 * The simulated app's counts in the Prometheus text format, as Istio's sidecars report them
 * ({@code istio_requests_total} and {@code istio_request_duration_milliseconds}, reporter
 * {@code destination}), so a real Prometheus scraping it answers the built-in {@code istio} metric set.
 * Every series exists from the start at 0, so {@code increase()} over the experiment sees all of it.
 */
public final class IstioExposition {
  private final SimulatedApp app;
  private final String namespace;
  private final Map<String, String> workloadOfVersion;

  /**
   * @param workloadOfVersion the {@code destination_workload} label of each version (its Deployment)
   */
  public IstioExposition(SimulatedApp app, String namespace, Map<String, String> workloadOfVersion) {
    this.app = app;
    this.namespace = namespace;
    this.workloadOfVersion = Map.copyOf(workloadOfVersion);
  }

  public String render() {
    StringBuilder out = new StringBuilder();
    out.append("# TYPE istio_requests_total counter\n");
    StringBuilder histograms = new StringBuilder("# TYPE istio_request_duration_milliseconds histogram\n");
    workloadOfVersion.forEach((version, workload) -> {
      SimulatedApp.Snapshot s = app.snapshot(version);
      String labels = "reporter=\"destination\",destination_workload=\"" + workload
          + "\",destination_workload_namespace=\"" + namespace + "\"";
      out.append("istio_requests_total{").append(labels).append(",response_code=\"200\"} ")
          .append(s.requests() - s.errors()).append('\n');
      out.append("istio_requests_total{").append(labels).append(",response_code=\"503\"} ")
          .append(s.errors()).append('\n');
      long cumulative = 0;
      for (int b = 0; b < SimulatedApp.BOUNDS_MS.length; b++) {
        cumulative += s.buckets()[b];
        double bound = SimulatedApp.BOUNDS_MS[b];
        String le = Double.isInfinite(bound) ? "+Inf" : String.valueOf((long) bound);
        histograms.append("istio_request_duration_milliseconds_bucket{").append(labels).append(",le=\"").append(le)
            .append("\"} ").append(cumulative).append('\n');
      }
      histograms.append("istio_request_duration_milliseconds_sum{").append(labels).append("} ")
          .append(s.latencySumMs()).append('\n');
      histograms.append("istio_request_duration_milliseconds_count{").append(labels).append("} ")
          .append(s.requests()).append('\n');
    });
    return out.append(histograms).toString();
  }
}
