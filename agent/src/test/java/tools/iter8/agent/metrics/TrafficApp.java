package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import tools.iter8.testkit.prometheus.ScrapeTarget;

/**
 * A stand-in for the pods of an app with two versions, serving Prometheus expositions as the real stacks
 * would: each pod exposes what its Istio sidecar ({@code istio_requests_total},
 * {@code istio_request_duration_milliseconds}), its Knative queue-proxy ({@code revision_app_request_count},
 * {@code revision_app_request_latencies}) and a Micrometer app ({@code http_server_requests_seconds})
 * report for a known list of requests. Target labels {@code namespace} and {@code pod} are attached by the
 * scrape configuration, as Kubernetes service discovery does.
 *
 * <p>To make Prometheus's {@code increase()} exact, every sample carries an explicit timestamp and there are
 * two states: at {@code t0} every series exists with value 0, at {@code t1} it has its final value. A
 * query evaluated at {@code t1} over a window reaching back past {@code t0} then sees exactly two samples
 * per series, starting from 0 and ending at the evaluation instant, so Prometheus extrapolates neither
 * end: {@code increase()} is the exact count (see PrometheusMetricsTest).
 *
 * <p>Distractors the built-in queries must ignore: Istio {@code reporter="source"} duplicates of every
 * request (the client sidecar's view), Micrometer's own scrape requests ({@code uri="/actuator/prometheus"}),
 * and a pod with the baseline's workload name in another namespace.
 */
final class TrafficApp {
  static final String NAMESPACE = "shop";
  static final double[] ISTIO_BUCKETS_MS = {0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000};
  static final double[] KNATIVE_BUCKETS_MS = {5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 5000, 10000, 20000, 50000, 100000};
  static final double[] MICROMETER_BUCKETS_S = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** One request: HTTP status and latency in milliseconds. */
  record Request(int status, double latencyMs) {}

  /**
   * A version: its workload (Deployment) name, Knative revision, pod names, and requests (spread over the
   * pods round-robin).
   */
  record Version(String workload, String revision, String namespace, List<String> pods, List<Request> requests) {
    List<Request> requestsOf(int pod) {
      List<Request> mine = new ArrayList<>();
      for (int i = pod; i < requests.size(); i += pods.size()) {
        mine.add(requests.get(i));
      }
      return mine;
    }

    long count(Predicate<Request> p) {
      return requests.stream().filter(p).count();
    }
  }

  private final List<Version> versions;
  private final long t0;
  private final long t1;
  private volatile boolean done;
  private HttpServer server;

  TrafficApp(List<Version> versions, long t0, long t1) {
    this.versions = List.copyOf(versions);
    this.t0 = t0;
    this.t1 = t1;
  }

  /** The requests of the test: deterministic, with 5xx errors, 4xx (not errors) and a spread of latencies. */
  static List<Version> defaultVersions() {
    List<Request> v1 = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      int status = i % 50 == 0 ? 503 : i % 40 == 7 ? 404 : 200;
      v1.add(new Request(status, 5 + (i * 37) % 200));
    }
    List<Request> v2 = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int status = i % 20 == 3 ? 500 : i % 25 == 1 ? 404 : 200;
      v2.add(new Request(status, 10 + (i * 53) % 400 + (i % 4) * 0.25));
    }
    return List.of(
        new Version("backend", "backend-00001", NAMESPACE, List.of("backend-7c9d8f6b5d-x2x4z", "backend-7c9d8f6b5d-q8w2n"), v1),
        new Version("backend-candidate", "backend-00002", NAMESPACE,
            List.of("backend-candidate-5f6d7c8b9-k2l4m", "backend-candidate-5f6d7c8b9-z9x8c"), v2),
        // Known to Prometheus, but no requests: zero traffic.
        new Version("idle", "idle-00001", NAMESPACE, List.of("idle-6b7c8d9f5-a1b2c"), List.of()),
        // The baseline's name in another namespace: must never be counted for the experiment in "shop".
        new Version("backend", "backend-00001", "elsewhere", List.of("backend-7c9d8f6b5d-zzzzz"),
            List.of(new Request(500, 9999), new Request(200, 9999))));
  }

  Future<TrafficApp> start(Vertx vertx) {
    server =
        vertx.createHttpServer().requestHandler(req -> {
          String path = req.path();
          if (!path.startsWith("/pods/") || !path.endsWith("/metrics")) {
            req.response().setStatusCode(404).end();
            return;
          }
          String pod = path.substring("/pods/".length(), path.length() - "/metrics".length());
          String text = exposition(pod);
          if (text == null) {
            req.response().setStatusCode(404).end();
          } else {
            req.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(text);
          }
        });
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /** From now on every series has its final value at {@code t1}. */
  void finish() {
    done = true;
  }

  /** One scrape target per pod, labelled as Kubernetes service discovery labels pods. */
  List<ScrapeTarget> targets() {
    String address = "127.0.0.1:" + server.actualPort();
    List<ScrapeTarget> targets = new ArrayList<>();
    for (Version v : versions) {
      for (String pod : v.pods()) {
        targets.add(new ScrapeTarget("pods", address, "/pods/" + pod + "/metrics", Map.of("namespace", v.namespace(), "pod", pod)));
      }
    }
    return targets;
  }

  int podCount() {
    return versions.stream().mapToInt(v -> v.pods().size()).sum();
  }

  private String exposition(String podName) {
    for (Version v : versions) {
      int pod = v.pods().indexOf(podName);
      if (pod >= 0) {
        return exposition(v, podName, v.requestsOf(pod));
      }
    }
    return null;
  }

  private String exposition(Version v, String pod, List<Request> requests) {
    long ts = done ? t1 : t0;
    List<Request> seen = done ? requests : List.of();
    StringBuilder out = new StringBuilder();
    sample(out, "iter8_test_phase", Map.of(), done ? 1 : 0, ts);

    // Istio: the destination sidecar's report, and the client sidecar's (reporter="source") duplicate.
    out.append("# TYPE istio_requests_total counter\n");
    for (String reporter : List.of("destination", "source")) {
      for (int code : codes(requests)) {
        Map<String, String> labels = istioLabels(v, reporter);
        labels.put("response_code", Integer.toString(code));
        sample(out, "istio_requests_total", labels, seen.stream().filter(r -> r.status() == code).count(), ts);
      }
    }
    out.append("# TYPE istio_request_duration_milliseconds histogram\n");
    for (String reporter : List.of("destination", "source")) {
      for (int code : codes(requests)) {
        Map<String, String> labels = istioLabels(v, reporter);
        labels.put("response_code", Integer.toString(code));
        histogram(out, "istio_request_duration_milliseconds", labels, ISTIO_BUCKETS_MS, 1,
            seen.stream().filter(r -> r.status() == code).toList(), ts);
      }
    }

    // Knative queue-proxy: app request count and latencies, per response code.
    out.append("# TYPE revision_app_request_count counter\n");
    for (int code : codes(requests)) {
      sample(out, "revision_app_request_count", knativeLabels(v, pod, code),
          seen.stream().filter(r -> r.status() == code).count(), ts);
    }
    out.append("# TYPE revision_app_request_latencies histogram\n");
    for (int code : codes(requests)) {
      histogram(out, "revision_app_request_latencies", knativeLabels(v, pod, code), KNATIVE_BUCKETS_MS, 1,
          seen.stream().filter(r -> r.status() == code).toList(), ts);
    }

    // Micrometer (Spring Boot): the server timer, in seconds, including Prometheus's own scrapes.
    out.append("# TYPE http_server_requests_seconds histogram\n");
    for (int code : codes(requests)) {
      histogram(out, "http_server_requests_seconds", micrometerLabels("/api/items", code), MICROMETER_BUCKETS_S, 1000,
          seen.stream().filter(r -> r.status() == code).toList(), ts);
    }
    List<Request> scrapes = done ? List.of(new Request(200, 3), new Request(200, 4), new Request(200, 2)) : List.of();
    histogram(out, "http_server_requests_seconds", micrometerLabels("/actuator/prometheus", 200), MICROMETER_BUCKETS_S, 1000, scrapes, ts);
    return out.toString();
  }

  /** The status codes a pod's series exist for: every code it will ever answer, and 200. */
  private static List<Integer> codes(List<Request> requests) {
    List<Integer> codes = requests.stream().map(Request::status).distinct().sorted().toList();
    return codes.isEmpty() ? List.of(200) : codes;
  }

  private static Map<String, String> istioLabels(Version v, String reporter) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("reporter", reporter);
    l.put("source_workload", "frontend");
    l.put("destination_workload", v.workload());
    l.put("destination_workload_namespace", v.namespace());
    l.put("destination_service_name", "backend");
    return l;
  }

  private static Map<String, String> knativeLabels(Version v, String pod, int code) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("namespace_name", v.namespace());
    l.put("service_name", "backend");
    l.put("configuration_name", "backend");
    l.put("revision_name", v.revision());
    l.put("pod_name", pod);
    l.put("container_name", "queue-proxy");
    l.put("response_code", Integer.toString(code));
    l.put("response_code_class", (code / 100) + "xx");
    return l;
  }

  private static Map<String, String> micrometerLabels(String uri, int code) {
    Map<String, String> l = new LinkedHashMap<>();
    l.put("method", "GET");
    l.put("uri", uri);
    l.put("status", Integer.toString(code));
    l.put("outcome", code >= 500 ? "SERVER_ERROR" : code >= 400 ? "CLIENT_ERROR" : "SUCCESS");
    l.put("exception", "None");
    return l;
  }

  /** Cumulative buckets, sum and count; {@code perUnit} ms per unit of the bounds (1000 for seconds). */
  private static void histogram(StringBuilder out, String name, Map<String, String> labels, double[] bounds,
      double perUnit, List<Request> requests, long ts) {
    for (double le : bounds) {
      Map<String, String> l = new LinkedHashMap<>(labels);
      l.put("le", format(le));
      sample(out, name + "_bucket", l, requests.stream().filter(r -> r.latencyMs() <= le * perUnit).count(), ts);
    }
    Map<String, String> inf = new LinkedHashMap<>(labels);
    inf.put("le", "+Inf");
    sample(out, name + "_bucket", inf, requests.size(), ts);
    sample(out, name + "_sum", labels, requests.stream().mapToDouble(r -> r.latencyMs() / perUnit).sum(), ts);
    sample(out, name + "_count", labels, requests.size(), ts);
  }

  private static void sample(StringBuilder out, String name, Map<String, String> labels, double value, long ts) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{');
      String sep = "";
      for (Map.Entry<String, String> e : labels.entrySet()) {
        out.append(sep).append(e.getKey()).append("=\"").append(e.getValue()).append('"');
        sep = ",";
      }
      out.append('}');
    }
    out.append(' ').append(format(value)).append(' ').append(ts).append('\n');
  }

  static String format(double d) {
    if (d == Math.rint(d) && Math.abs(d) < 1e15) {
      return Long.toString((long) d);
    }
    return String.format(Locale.ROOT, "%s", d);
  }

  static List<Double> boundsMs(double[] bounds, double perUnit) {
    return Arrays.stream(bounds).map(b -> b * perUnit).boxed().toList();
  }
}
