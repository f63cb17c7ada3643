package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.metrics.Template;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.MetricValidator;

/**
 * The shipped metric sets (manifests/metrics) are valid as users install them — under the CRD schema, the
 * validating webhook's rules and {@code kubectl kustomize} — complete, and self-contained.
 */
class BuiltinMetricSetsTest {
  static final Set<String> PROMETHEUS_SET_METRICS = Set.of(
      "request-count", "error-count", "error-rate", "latency-histogram", "mean-latency",
      "latency-p50", "latency-p90", "latency-p95", "latency-p99");
  static final Set<String> BUILTIN_SET_METRICS = Set.of(
      "request-count", "error-count", "error-rate", "latency-histogram", "mean-latency", "latency-50th-percentile",
      "latency-75th-percentile", "latency-90th-percentile", "latency-95th-percentile", "latency-99th-percentile");

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http", "builtin"})
  void everyMetricIsValidUnderTheCrdSchemaAndTheValidator(String set) {
    List<JsonNode> docs = MetricsTestSupport.documents(set);
    assertThat(docs).isNotEmpty();
    for (JsonNode doc : docs) {
      if (doc.path("kind").asText().equals("Metric")) {
        String name = doc.path("metadata").path("name").asText();
        assertThat(CrdSchemas.builtin().validate(doc)).as("%s/%s CRD schema", set, name).isEmpty();
        assertThat(MetricValidator.validate(ApiMapper.fromTree(doc, Metric.class))).as("%s/%s validator", set, name).isEmpty();
      } else {
        assertThat(doc.path("kind").asText()).isEqualTo("Namespace");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http", "builtin"})
  void aSetHasEveryMetricInOneNamespaceAndItsReferencesStayInside(String set) {
    List<Metric> metrics = MetricsTestSupport.metrics(set);
    Set<String> names = metrics.stream().map(m -> m.metadata().name()).collect(Collectors.toSet());
    assertThat(names).isEqualTo(set.equals("builtin") ? BUILTIN_SET_METRICS : PROMETHEUS_SET_METRICS);
    assertThat(metrics.stream().map(m -> m.metadata().namespace()).distinct().toList())
        .containsExactly(set.equals("builtin") ? "iter8-system" : "iter8-" + set);
    for (Metric m : metrics) {
      var s = m.spec();
      // Bare names, so the set can be installed into another namespace.
      if (s.sampleSize() != null) {
        assertThat(names).as("%s sampleSize", m.metadata().name()).contains(s.sampleSize());
      }
      if (s.posterior() != null && s.posterior().histogram() != null) {
        assertThat(names).contains(s.posterior().histogram());
        assertThat(metrics.stream().filter(h -> h.metadata().name().equals(s.posterior().histogram())).findFirst().orElseThrow()
            .spec().type()).isEqualTo("Histogram");
      }
      if (s.units() != null) {
        assertThat(s.units()).isEqualTo("milliseconds");
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http"})
  void everyQuerySelectsTheVersionInItsNamespaceOverTheExperimentsWindow(String set) {
    for (Metric m : MetricsTestSupport.metrics(set)) {
      assertThat(m.spec().params()).extracting(NamedValue::name).containsExactly("query");
      Set<String> placeholders = Template.of(m.spec().params().get(0).value()).identifiers();
      // The variables of generated experiments (docs/workloads.md): workload for Deployments, revision for
      // Knative and KServe; namespace defaults to the experiment's.
      String selector = set.equals("knative") || set.equals("kserve") ? "revision" : "workload";
      assertThat(placeholders).as(m.metadata().name()).containsExactlyInAnyOrder(selector, "namespace", "elapsedTime");
      assertThat(m.spec().urlTemplate()).endsWith("/api/v1/query");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"istio", "knative", "kserve", "http", "builtin", "."})
  void kustomizeRendersTheSet(String set) throws Exception {
    List<JsonNode> rendered = kustomize(MetricsTestSupport.setDirectory(set));
    long metrics = rendered.stream().filter(d -> d.path("kind").asText().equals("Metric")).count();
    assertThat(metrics).isEqualTo(switch (set) {
      case "builtin" -> 10;
      case "." -> 10 + 4 * 9;
      default -> 9;
    });
  }

  @Test
  void theDocumentedPatchPointsASetAtAnotherPrometheus(@TempDir Path overlay) throws Exception {
    // The overlay of docs/metrics.md, "Pointing a set at your Prometheus".
    Path base = MetricsTestSupport.setDirectory("knative");
    Files.writeString(overlay.resolve("kustomization.yaml"), """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
        - %s
        patches:
        - target:
            kind: Metric
          patch: |-
            - op: replace
              path: /spec/urlTemplate
              value: http://kube-prometheus-stack-prometheus.monitoring:9090/api/v1/query
        """.formatted(overlay.toAbsolutePath().relativize(base.toAbsolutePath())), StandardCharsets.UTF_8);
    List<String> urls = new ArrayList<>();
    for (JsonNode d : kustomize(overlay)) {
      if (d.path("kind").asText().equals("Metric")) {
        urls.add(d.path("spec").path("urlTemplate").asText());
      }
    }
    assertThat(urls).hasSize(9).containsOnly("http://kube-prometheus-stack-prometheus.monitoring:9090/api/v1/query");
  }

  /** {@code kubectl kustomize dir}: the real tool, as users run it (kubectl is on every machine of ours). */
  private static List<JsonNode> kustomize(Path dir) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
    byte[] out = p.getInputStream().readAllBytes();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("kubectl kustomize %s: %s", dir, err).isZero();
    return ApiMapper.readAll(new String(out, StandardCharsets.UTF_8));
  }
}
