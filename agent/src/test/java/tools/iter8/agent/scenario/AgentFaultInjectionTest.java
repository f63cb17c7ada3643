package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.agent.Agent;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.metrics.DispatchingMetricsSource;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.core.lifecycle.Reasons;
import tools.iter8.testkit.kube.RequestLog;
import tools.iter8.testkit.traffic.SimulatedApp;
import tools.iter8.testkit.traffic.VersionProfile;

/**
 * Faults the agent must survive without ever promoting on bad evidence or losing or repeating a weight
 * step: a misbehaving metrics backend, a Kubernetes API that answers conflicts, errors and nothing at
 * all, an agent killed at random points, and a leader that loses its lease mid-experiment.
 */
class AgentFaultInjectionTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static AgentHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new AgentHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static void setUp(String ns, String experimentYaml) {
    harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
    harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2"), JsonNode.class));
    harness.apply(ApiMapper.read(experimentYaml, JsonNode.class));
  }

  private static int routeWeight(String ns, int route) {
    return harness.object(ResourceKind.VIRTUAL_SERVICE, ns, "vs").at("/spec/http/0/route/" + route + "/weight").asInt();
  }

  private static Map<String, Long> iterationEvents(String ns) {
    Map<String, Long> counts = new TreeMap<>();
    for (JsonNode ev : AgentHarness.join(harness.ops.list(ResourceKind.EVENT, ns, null))) {
      String msg = ev.path("message").asText();
      if (msg.startsWith("Completed Iteration ")) {
        counts.merge(msg, 1L, Long::sum);
      }
    }
    return counts;
  }

  /**
   * No iteration ran twice: no "Completed Iteration N" Event exists twice (Events are best effort, so an
   * agent killed mid-write may have lost one, never doubled one), and the last iteration's weights are the
   * ones applied.
   */
  private static void assertNoIterationTwice(String ns, Experiment done) {
    int n = done.status().completedIterations();
    Map<String, Long> events = iterationEvents(ns);
    assertThat(events).isNotEmpty().allSatisfy((k, count) -> assertThat(count).as(k).isEqualTo(1));
    assertThat(events.size()).isLessThanOrEqualTo(n);
    assertThat(done.status().weightsAppliedIteration()).isEqualTo(n);
  }

  // ---- the metrics backend --------------------------------------------------------------------------

  @ParameterizedTest(name = "metrics backend {0}")
  @CsvSource({
      "unreachable, Fail, connection",
      "slow,        Fail, no answer",
      "garbage,     Fail, not JSON",
      "empty,       Rollback, no data",
      "nan,         Rollback, no data"})
  void aMisbehavingMetricsBackendNeverPromotesAndEndsOnTheBaseline(String mode, String expectedAction, String reason)
      throws Exception {
    String ns = "metrics-" + mode;
    HttpServer backend = null;
    int port;
    if (mode.equals("unreachable")) {
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
    } else {
      backend = AgentHarness.join(harness.vertx.createHttpServer().requestHandler(req -> {
        String body = switch (mode) {
          case "garbage" -> "<html><body>502 Bad Gateway</body></html>";
          case "empty" -> "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}";
          case "nan" -> "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,\"NaN\"]}]}}";
          default -> null;
        };
        if (body != null) {
          req.response().putHeader("Content-Type", mode.equals("garbage") ? "text/html" : "application/json").end(body);
        }
        // slow: never answers
      }).listen(0, "127.0.0.1"));
      port = backend.actualPort();
    }
    try {
      String metricsNs = "iter8-" + ns;
      for (JsonNode m : ApiMapper.readAll(Files.readString(Path.of("../manifests/metrics/http/metrics.yaml")))) {
        if ("Metric".equals(m.path("kind").asText())) {
          ObjectNode copy = m.deepCopy();
          copy.with("metadata").put("namespace", metricsNs);
          copy.with("spec").put("urlTemplate", "http://127.0.0.1:" + port + "/api/v1/query");
          String sampleSize = copy.path("spec").path("sampleSize").asText("");
          if (!sampleSize.isEmpty()) {
            copy.with("spec").put("sampleSize", sampleSize.replace("iter8-http/", metricsNs + "/"));
          }
          harness.apply(copy);
        }
      }
      AgentConfig config = harness.config(ns, false, Map.of("ITER8_METRICS_TIMEOUT", "500ms"));
      Agent agent = harness.startAgent(config, DispatchingMetricsSource.create(harness.vertx, config, SecretSource.of(Map.of())));
      try {
        setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive",
            Scenarios.CANARY_CRITERIA.replace("iter8-http/", metricsNs + "/"), 6, "v1", "v2"));
        List<String> actions = new CopyOnWriteArrayList<>();

        Experiment done = harness.awaitExperiment(ns, "exp", e -> {
          if (e.status() != null && e.status().decision() != null) {
            actions.add(e.status().decision().action());
          }
          return ExperimentFacts.completed(e);
        }, LIMIT);

        assertThat(actions).doesNotContain("Promote");
        assertThat(done.status().decision().action()).isEqualTo(expectedAction);
        assertThat(done.status().message() + " " + done.status().decision().reason()).containsIgnoringCase(reason);
        assertThat(ExperimentFacts.condition(done, Reasons.FAILED)).isEqualTo(expectedAction.equals("Fail"));
        assertThat(routeWeight(ns, 0)).isEqualTo(100);
        assertThat(routeWeight(ns, 1)).isZero();
      } finally {
        harness.stopAgent(agent);
      }
    } finally {
      if (backend != null) {
        backend.close();
      }
    }
  }

  // ---- the Kubernetes API ---------------------------------------------------------------------------

  @Test
  void conflictsErrorsAndTimeoutsOfTheKubernetesApiAreRetriedWithoutLosingOrRepeatingAStep() {
    String ns = "api-faults";
    SimulatedApp app = new SimulatedApp(400, 51).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    var faults = harness.api.faults();
    faults.when("PUT", "/apis/iter8.tools/v2alpha2/namespaces/" + ns + "/experiments/exp/status").withProbability(0.2, 1).respondWith(409);
    faults.when("PUT", "/apis/iter8.tools/v2alpha2/namespaces/" + ns + "/experiments/exp/status").withProbability(0.1, 2).respondWith(500);
    faults.when("PATCH", "/apis/networking.istio.io/v1beta1/namespaces/" + ns + "/virtualservices/vs").withProbability(0.2, 3).respondWith(503);
    faults.when("GET", "/apis/networking.istio.io/v1beta1/namespaces/" + ns + "/virtualservices/vs").withProbability(0.1, 4).respondWith(500);
    faults.when("GET", "/apis/networking.istio.io/v1beta1/namespaces/" + ns + "/virtualservices/vs").withProbability(0.05, 5).delayBy(Duration.ofSeconds(4));
    AgentConfig config = harness.config(ns, false, Map.of("ITER8_KUBERNETES_REQUEST_TIMEOUT", "1s"));
    Agent agent = harness.startAgent(config, new SimulatedMetrics(app));
    try {
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 30, "v1", "v2"));
      harness.drive(ns, "exp", app, 0);

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertThat(routeWeight(ns, 1)).isEqualTo(100);
      assertNoIterationTwice(ns, done);
      List<RequestLog.Entry> log = harness.api.requests().entries();
      assertThat(log).as("faults were injected").anyMatch(e -> e.status() == 409).anyMatch(e -> e.status() == 503);
    } finally {
      faults.reset();
      harness.stopAgent(agent);
    }
  }

  // ---- the agent killed -----------------------------------------------------------------------------

  @Test
  void anAgentKilledAtRandomPointsAndReplacedReachesTheUndisturbedOutcome() throws Exception {
    int runs = Integer.getInteger("iter8.faultRuns", 6);
    SplittableRandom seeds = new SplittableRandom(20260101);
    List<String> outcomes = new ArrayList<>();
    for (int run = 0; run < runs; run++) {
      String ns = "kill-" + run;
      long seed = seeds.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      SimulatedApp app = new SimulatedApp(400, seed).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 30, "v1", "v2"));
      harness.drive(ns, "exp", app, 0);
      int kills = 1 + random.nextInt(2);
      Agent agent = harness.startAgent(ns + "-0", false, new SimulatedMetrics(app));
      for (int k = 1; k <= kills; k++) {
        Thread.sleep(200 + random.nextInt(2500));
        harness.stopAgent(agent);
        agent = harness.startAgent(ns + "-" + k, false, new SimulatedMetrics(app));
      }
      try {
        Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);
        outcomes.add(ns + " (seed " + seed + ", " + kills + " kills): " + done.status().decision().action());
        assertThat(done.status().decision().action()).as("run %s, seed %s", run, seed).isEqualTo("Promote");
        assertThat(routeWeight(ns, 1)).isEqualTo(100);
        assertNoIterationTwice(ns, done);
      } finally {
        harness.stopAgent(agent);
      }
    }
    System.out.println("random kills: " + outcomes);
  }

  // ---- leader election ------------------------------------------------------------------------------

  @Test
  void aLeaderThatLosesItsLeaseStopsActingBeforeTheNewLeaderActs() {
    String ns = "lease-lost";
    SimulatedApp app = new SimulatedApp(150, 61).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    Agent a = harness.startAgent("lease-a", true, new SimulatedMetrics(app));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
    Agent b = harness.startAgent("lease-b", true, new SimulatedMetrics(app));
    try {
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 30, "v1", "v2"));
      harness.drive(ns, "exp", app, 0);
      harness.awaitExperiment(ns, "exp", e -> ExperimentFacts.completedIterations(e) >= 1, LIMIT);
      // The Lease can no longer be renewed (an API server partition for the leader): it must step down.
      harness.api.faults().when("PUT", "/apis/coordination.k8s.io/v1/namespaces/iter8-system/leases/iter8-agent")
          .times(4).respondWith(500);
      Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !a.isLeader());
      Instant lost = Instant.now();

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(b.isLeader()).isTrue();
      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertNoIterationTwice(ns, done);
      List<RequestLog.Entry> writes = harness.api.requests().entries().stream()
          .filter(e -> !e.method().equals("GET") && e.status() < 300 && !e.path().contains("/leases/"))
          .toList();
      Instant lastByA = writes.stream().filter(e -> e.userAgent().endsWith("/lease-a")).map(RequestLog.Entry::at)
          .max(Instant::compareTo).orElse(Instant.MIN);
      Instant firstByB = writes.stream().filter(e -> e.userAgent().endsWith("/lease-b")).map(RequestLog.Entry::at)
          .min(Instant::compareTo).orElseThrow(() -> new AssertionError("the new leader never wrote"));
      assertThat(lastByA).as("the old leader's last write").isBefore(firstByB);
      assertThat(lastByA).as("no write by the old leader after it lost the lease").isBefore(lost.plusMillis(1));
    } finally {
      harness.api.faults().reset();
      harness.stopAgent(b);
      harness.stopAgent(a);
    }
  }
}
