package tools.iter8.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.api.VersionDetail;

/** Shared helpers of the metrics tests: the repository's files, Metric edits, waiting for a future. */
final class MetricsTestSupport {
  /** The built-in sets queried over HTTP, each a directory of manifests/metrics. */
  static final List<String> PROMETHEUS_SETS = List.of("istio", "knative", "kserve", "http");

  private MetricsTestSupport() {}

  /** The repository root: the first ancestor of the working directory with manifests/metrics. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("manifests/metrics"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no manifests/metrics above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }

  static Path setDirectory(String set) {
    return repositoryRoot().resolve("manifests/metrics").resolve(set);
  }

  /** The documents of every YAML file of a set (except kustomization.yaml), as shipped. */
  static List<JsonNode> documents(String set) {
    try (var files = Files.list(setDirectory(set))) {
      List<JsonNode> docs = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        if (!f.getFileName().toString().equals("kustomization.yaml")) {
          docs.addAll(ApiMapper.readAll(Files.readString(f, StandardCharsets.UTF_8)));
        }
      }
      return docs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Metrics of a set, in file order. */
  static List<Metric> metrics(String set) {
    return documents(set).stream()
        .filter(d -> "Metric".equals(d.path("kind").asText()))
        .map(d -> ApiMapper.fromTree(d, Metric.class))
        .toList();
  }

  static Metric metric(String set, String name) {
    return metrics(set).stream()
        .filter(m -> m.metadata().name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no metric " + name + " in set " + set));
  }

  /** A copy with changes to its JSON tree (the records are immutable and wide). */
  static Metric edit(Metric metric, java.util.function.Consumer<ObjectNode> spec) {
    ObjectNode tree = (ObjectNode) ApiMapper.toTree(metric);
    spec.accept((ObjectNode) tree.path("spec"));
    return ApiMapper.fromTree(tree, Metric.class);
  }

  /** Points a Metric at another backend, as the documented kustomize patch does. */
  static Metric withUrl(Metric metric, String url) {
    return edit(metric, s -> s.put("urlTemplate", url));
  }

  /** Adds a query parameter, e.g. Prometheus's {@code time} to pin the evaluation instant. */
  static Metric withParam(Metric metric, String name, String value) {
    return edit(metric, s -> s.withArray("params").addObject().put("name", name).put("value", value));
  }

  static VersionDetail version(String name, Map<String, String> variables) {
    List<NamedValue> vars = variables.entrySet().stream().map(e -> new NamedValue(e.getKey(), e.getValue())).toList();
    return new VersionDetail(name, vars.isEmpty() ? null : vars, null, null);
  }

  static MetricQuery query(Metric metric, String version, long elapsedSeconds) {
    return query(metric, new VersionDetail(version), elapsedSeconds);
  }

  static MetricQuery query(Metric metric, VersionDetail version, long elapsedSeconds) {
    return new MetricQuery(
        "shop/backend-exp", metric.metadata().key(), metric, version, TrafficApp.NAMESPACE, elapsedSeconds, null);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }
}
