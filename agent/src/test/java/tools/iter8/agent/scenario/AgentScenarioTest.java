package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Stage;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.core.lifecycle.Reasons;
import tools.iter8.testkit.traffic.SimulatedApp;
import tools.iter8.testkit.traffic.VersionProfile;

/**
 * The agent end to end against the Kubernetes API emulation, with simulated users whose traffic follows
 * the split the agent writes to a VirtualService: one scenario per lifecycle the issue names.
 */
class AgentScenarioTest {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static AgentHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new AgentHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static SimulatedApp app(long seed) {
    return new SimulatedApp(400, seed);
  }

  private static int routeWeight(String ns, int route) {
    JsonNode vs = harness.object(ResourceKind.VIRTUAL_SERVICE, ns, "vs");
    return vs.at("/spec/http/0/route/" + route + "/weight").asInt();
  }

  private static void setUp(String ns, String experimentYaml, String... versions) {
    harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
    harness.apply(ApiMapper.read(Scenarios.virtualService(ns, versions), JsonNode.class));
    harness.apply(ApiMapper.read(experimentYaml, JsonNode.class));
  }

  @Test
  void canaryWithAHealthyCandidatePromotesItAndRoutesAllTrafficToIt() {
    SimulatedApp app = app(11).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    var agent = harness.startAgent("canary-promote", false, new SimulatedMetrics(app));
    try {
      String ns = "canary-promote";
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 20, "v1", "v2"), "v1", "v2");
      harness.drive(ns, "exp", app, 0);

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertThat(done.status().decision().version()).isEqualTo("v2");
      assertThat(ExperimentFacts.condition(done, Reasons.FAILED)).isFalse();
      assertThat(routeWeight(ns, 0)).isZero();
      assertThat(routeWeight(ns, 1)).isEqualTo(100);
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void canaryWithACandidateThatViolatesARollbackObjectiveRollsBackToTheBaseline() {
    SimulatedApp app = app(12).version("v1", VersionProfile.healthy())
        .version("v2", VersionProfile.healthy().withErrorRate(0.10));
    var agent = harness.startAgent("canary-rollback", false, new SimulatedMetrics(app));
    try {
      String ns = "canary-rollback";
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 20, "v1", "v2"), "v1", "v2");
      harness.drive(ns, "exp", app, 0);

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Rollback");
      assertThat(done.status().decision().reason()).contains("error-rate");
      assertThat(done.status().message()).contains("rolled back");
      assertThat(routeWeight(ns, 0)).isEqualTo(100);
      assertThat(routeWeight(ns, 1)).isZero();
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void abnPromotesTheFeasibleVersionWithTheBestReward() {
    SimulatedApp app = app(13)
        .version("v1", VersionProfile.healthy().withReward(0.10))
        .version("v2", VersionProfile.healthy().withReward(0.11))
        .version("v3", VersionProfile.healthy().withReward(0.20));
    var agent = harness.startAgent("abn", false, new SimulatedMetrics(app));
    try {
      String ns = "abn";
      harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.REWARD_METRIC.formatted(ns), JsonNode.class));
      String criteria = Scenarios.CANARY_CRITERIA + "\nrewards:\n- {metric: reward, preferredDirection: High}";
      harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2", "v3"), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.experiment(ns, "exp", "A/B/N", "Progressive", criteria, 30, "v1", "v2", "v3"), JsonNode.class));
      harness.drive(ns, "exp", app, 0);

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertThat(done.status().decision().version()).isEqualTo("v3");
      assertThat(done.status().analysis().winnerAssessment().data().winner()).isEqualTo("v3");
      assertThat(routeWeight(ns, 2)).isEqualTo(100);
      assertThat(routeWeight(ns, 0) + routeWeight(ns, 1)).isZero();
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void fixedSplitNeverMovesTheWeights() {
    SimulatedApp app = app(14).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    var agent = harness.startAgent("fixed", false, new SimulatedMetrics(app));
    try {
      String ns = "fixed";
      harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2")
          .replace("weight: 100", "weight: 80").replace("weight: 0", "weight: 20"), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.experiment(ns, "exp", "Canary", "FixedSplit", Scenarios.CANARY_CRITERIA, 6, "v1", "v2"), JsonNode.class));
      harness.drive(ns, "exp", app, 0);

      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().completedIterations()).isPositive();
      assertThat(routeWeight(ns, 0)).isEqualTo(80);
      assertThat(routeWeight(ns, 1)).isEqualTo(20);
      assertThat(harness.api.requests().entries()).noneMatch(
          r -> r.method().equals("PATCH") && r.path().endsWith("/namespaces/fixed/virtualservices/vs"));
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void blueGreenKeepsTheCandidateAtZeroUntilTheDecisionThenSwitchesAllTraffic() {
    SimulatedApp app = app(15).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    var agent = harness.startAgent("bluegreen", false, new SimulatedMetrics(app));
    try {
      String ns = "bluegreen";
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "BlueGreen", Scenarios.CANARY_CRITERIA, 20, "v1", "v2"), "v1", "v2");
      // A BlueGreen candidate gets no live traffic: a load test (mirrored copies here) gives it data.
      harness.drive(ns, "exp", app, 50);
      List<Integer> candidateWeights = new java.util.concurrent.CopyOnWriteArrayList<>();

      Experiment done = harness.awaitExperiment(ns, "exp", e -> {
        if (!ExperimentFacts.completed(e)) {
          candidateWeights.add(routeWeight(ns, 1));
        }
        return ExperimentFacts.completed(e);
      }, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertThat(candidateWeights).isNotEmpty().allMatch(w -> w == 0 || w == 100);
      assertThat(routeWeight(ns, 1)).isEqualTo(100);
      assertThat(routeWeight(ns, 0)).isZero();
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void darkLaunchMirrorsTrafficToTheCandidateAndLeavesLiveTrafficOnTheBaselineUntilTheDecision() {
    SimulatedApp app = app(16).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    var agent = harness.startAgent("dark", false, new SimulatedMetrics(app));
    try {
      String ns = "dark";
      harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
      harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2"), JsonNode.class));
      String yaml = Scenarios.experiment(ns, "exp", "Canary", "DarkLaunch", Scenarios.CANARY_CRITERIA, 20, "v1", "v2")
          .replace("  duration:", "  routing: {router: Istio, objRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs}, mirrorPercent: 100}\n  duration:");
      harness.apply(ApiMapper.read(yaml, JsonNode.class));
      harness.drive(ns, "exp", app, 100);
      List<JsonNode> mirrors = new java.util.concurrent.CopyOnWriteArrayList<>();

      Experiment done = harness.awaitExperiment(ns, "exp", e -> {
        JsonNode vs = harness.object(ResourceKind.VIRTUAL_SERVICE, ns, "vs");
        // Read after the VirtualService: if the experiment is still running now, it was running then.
        Experiment now = harness.experiment(ns, "exp");
        if (ExperimentFacts.stage(now) == Stage.RUNNING) {
          mirrors.add(vs.at("/spec/http/0"));
        }
        return ExperimentFacts.completed(e);
      }, LIMIT);

      assertThat(mirrors).isNotEmpty().allSatisfy(route -> {
        assertThat(route.at("/mirror/subset").asText()).isEqualTo("v2");
        assertThat(route.at("/mirrorPercentage/value").asDouble()).isEqualTo(100.0);
        assertThat(route.at("/route/0/weight").asInt()).isEqualTo(100);
      });
      assertThat(done.status().decision().action()).isEqualTo("Promote");
      JsonNode after = harness.object(ResourceKind.VIRTUAL_SERVICE, ns, "vs").at("/spec/http/0");
      assertThat(after.has("mirror")).as("mirror removed at the end").isFalse();
      assertThat(after.at("/route/1/weight").asInt()).isEqualTo(100);
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void aMetricsOutageHoldsTheWeightsThenFailsTheExperimentAndRestoresTheBaselineWithoutEverPromoting() {
    SimulatedApp app = app(17).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    SimulatedMetrics metrics = new SimulatedMetrics(app);
    metrics.outage("connection refused: prometheus.istio-system:9090");
    var agent = harness.startAgent("outage", false, metrics);
    try {
      String ns = "outage";
      setUp(ns, Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 20, "v1", "v2"), "v1", "v2");
      harness.drive(ns, "exp", app, 0);
      List<String> actions = new java.util.concurrent.CopyOnWriteArrayList<>();

      Experiment done = harness.awaitExperiment(ns, "exp", e -> {
        if (e.status() != null && e.status().decision() != null) {
          actions.add(e.status().decision().action());
        }
        return ExperimentFacts.completed(e);
      }, LIMIT);

      assertThat(actions).doesNotContain("Promote");
      assertThat(done.status().decision().action()).isEqualTo("Fail");
      assertThat(ExperimentFacts.condition(done, Reasons.FAILED)).isTrue();
      assertThat(done.status().message()).contains("failed").contains("connection refused");
      assertThat(routeWeight(ns, 0)).isEqualTo(100);
      assertThat(routeWeight(ns, 1)).isZero();
    } finally {
      harness.stopAgent(agent);
    }
  }
}
