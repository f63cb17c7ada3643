package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.Agent;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.metrics.DispatchingMetricsSource;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.testkit.prometheus.PrometheusProcess;
import tools.iter8.testkit.prometheus.ScrapeTarget;
import tools.iter8.testkit.traffic.IstioExposition;
import tools.iter8.testkit.traffic.MetricsEndpoint;
import tools.iter8.testkit.traffic.SimulatedApp;
import tools.iter8.testkit.traffic.VersionProfile;

/**
 * The whole metrics path in one canary: simulated Istio sidecar metrics, scraped by a real Prometheus,
 * queried by the agent with the shipped istio Metric set (its urlTemplate pointed at this Prometheus, as
 * the documented kustomize patch does), judged, and acted on. Also the agent's own /metrics.
 */
class AgentPrometheusTest {
  private static AgentHarness harness;
  private static MetricsEndpoint endpoint;
  private static PrometheusProcess prometheus;
  private static SimulatedApp app;

  @BeforeAll
  static void start() throws Exception {
    harness = new AgentHarness();
    app = new SimulatedApp(400, 41)
        .version("v1", VersionProfile.healthy())
        .version("v2", VersionProfile.healthy().withErrorRate(0.12));
    endpoint = MetricsEndpoint.serve(new IstioExposition(app, "prom", Map.of("v1", "app-v1", "v2", "app-v2"))::render);
    prometheus = PrometheusProcess.builder().target(ScrapeTarget.of("istio", endpoint.address(), "/metrics")).start();
    String set = Files.readString(Path.of("../manifests/metrics/istio/metrics.yaml"));
    for (JsonNode m : ApiMapper.readAll(set)) {
      if (!"Metric".equals(m.path("kind").asText())) {
        continue;
      }
      ObjectNode copy = m.deepCopy();
      copy.with("metadata").put("namespace", "iter8-prom");
      copy.with("spec").put("urlTemplate", prometheus.queryUrl());
      String sampleSize = copy.path("spec").path("sampleSize").asText("");
      if (sampleSize.startsWith("iter8-istio/")) {
        copy.with("spec").put("sampleSize", sampleSize.replace("iter8-istio/", "iter8-prom/"));
      }
      harness.apply(copy);
    }
  }

  @AfterAll
  static void stop() {
    harness.close();
    prometheus.close();
    endpoint.close();
  }

  @Test
  void aCandidateWithTooManyErrorsInPrometheusIsRolledBackAndTheAgentReportsItInItsMetrics() throws Exception {
    String ns = "prom";
    AgentConfig config = harness.config("prom-agent", false);
    Agent agent = harness.startAgent("prom-agent", false,
        DispatchingMetricsSource.create(harness.vertx, config, SecretSource.of(Map.of())));
    try {
      harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2"), JsonNode.class));
      String criteria = """
          requestCount: iter8-prom/request-count
          objectives:
          - {metric: iter8-prom/error-rate, upperLimit: "0.02", rollback_on_failure: true}
          - {metric: iter8-prom/latency-p95, upperLimit: 400}""";
      String yaml = Scenarios.experiment(ns, "exp", "Canary", "Progressive", criteria, 30, "v1", "v2")
          .replace("intervalSeconds: 1", "intervalSeconds: 2")
          .replace("    name: v1\n", "    name: v1\n      variables: [{name: workload, value: app-v1}]\n")
          .replace("    - name: v2\n", "    - name: v2\n      variables: [{name: workload, value: app-v2}]\n");
      harness.apply(ApiMapper.read(yaml, JsonNode.class));
      harness.drive(ns, "exp", app, 0);

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, Duration.ofSeconds(90));

      assertThat(done.status().decision().action()).isEqualTo("Rollback");
      assertThat(done.status().decision().reason()).contains("iter8-prom/error-rate");
      assertThat(done.status().analysis().aggregatedMetrics().data().get("iter8-prom/error-rate").data().get("v2").value().value())
          .isBetween(0.05, 0.25);
      assertThat(harness.object(ResourceKind.VIRTUAL_SERVICE, ns, "vs").at("/spec/http/0/route/0/weight").asInt()).isEqualTo(100);

      String metrics = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.healthPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
      assertThat(metrics)
          .contains("iter8_experiments{stage=\"Completed\"}")
          .contains("iter8_iterations_total")
          .contains("iter8_decisions_total{action=\"Rollback\"}")
          .contains("iter8_analysis_duration_seconds_count")
          .contains("iter8_reconcile_duration_seconds_count{outcome=\"ok\"}")
          .contains("iter8_experiments_completed_total{result=\"succeeded\"}");
    } finally {
      harness.stopAgent(agent);
    }
  }
}
