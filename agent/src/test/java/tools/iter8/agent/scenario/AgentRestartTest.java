package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.agent.Agent;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Stage;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.testkit.traffic.SimulatedApp;
import tools.iter8.testkit.traffic.VersionProfile;

/**
 * An agent stopped at each stage of a Canary and replaced by a new instance finishes it with the same
 * outcome as an undisturbed run (the candidate promoted), and every iteration is run exactly once.
 * The start and finish actions wait for a Service to exist, which holds the experiment in Initializing
 * or Finishing while the agent is stopped.
 */
class AgentRestartTest {
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

  static Stream<Arguments> stopPoints() {
    return Stream.of(
        Arguments.of("waiting", (Predicate<Experiment>) e -> true),
        Arguments.of("initializing", (Predicate<Experiment>) e -> ExperimentFacts.stage(e) == Stage.INITIALIZING),
        Arguments.of("running-1", (Predicate<Experiment>) e -> ExperimentFacts.completedIterations(e) >= 1),
        Arguments.of("running-3", (Predicate<Experiment>) e -> ExperimentFacts.completedIterations(e) >= 3),
        Arguments.of("finishing", (Predicate<Experiment>) e -> ExperimentFacts.stage(e) == Stage.FINISHING));
  }

  private static String gate(String ns, String name) {
    return "{apiVersion: v1, kind: Service, metadata: {name: " + name + ", namespace: " + ns
        + "}, spec: {ports: [{port: 80}]}}";
  }

  @ParameterizedTest(name = "stopped at {0}")
  @MethodSource("stopPoints")
  void aNewAgentFinishesTheExperimentWithTheSameOutcomeAndNoIterationTwice(String point, Predicate<Experiment> when) {
    String ns = "restart-" + point;
    SimulatedApp app = new SimulatedApp(400, point.hashCode())
        .version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
    harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2"), JsonNode.class));
    String actions = """
          actions:
            start:
            - task: common/readiness
              with: {initialDelaySeconds: 0, intervalSeconds: 1, numRetries: 60, objRefs: [{kind: Service, name: start-gate, namespace: %s}]}
            finish:
            - task: common/readiness
              with: {initialDelaySeconds: 0, intervalSeconds: 1, numRetries: 60, objRefs: [{kind: Service, name: finish-gate, namespace: %s}]}
        """.formatted(ns, ns);
    String yaml = Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 20, "v1", "v2")
        .replace("  strategy: {testingPattern: Canary, deploymentPattern: Progressive}",
            "  strategy:\n    testingPattern: Canary\n    deploymentPattern: Progressive\n" + actions.indent(2).stripTrailing());
    harness.drive(ns, "exp", app, 0);

    Agent first = harness.startAgent(ns + "-a", false, new SimulatedMetrics(app));
    try {
      if (!point.equals("initializing")) {
        harness.apply(ApiMapper.read(gate(ns, "start-gate"), JsonNode.class));
      }
      harness.apply(ApiMapper.read(yaml, JsonNode.class));
      harness.awaitExperiment(ns, "exp", when, LIMIT);
    } finally {
      harness.stopAgent(first);
    }
    if (point.equals("initializing")) {
      harness.apply(ApiMapper.read(gate(ns, "start-gate"), JsonNode.class));
    }
    harness.apply(ApiMapper.read(gate(ns, "finish-gate"), JsonNode.class));

    Agent second = harness.startAgent(ns + "-b", false, new SimulatedMetrics(app));
    try {
      Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertThat(done.status().decision().version()).isEqualTo("v2");
      assertThat(harness.object(ResourceKind.VIRTUAL_SERVICE, ns, "vs").at("/spec/http/0/route/1/weight").asInt())
          .isEqualTo(100);
      Map<String, Long> iterations = iterationEvents(ns, done.status().completedIterations());
      assertThat(iterations).as("Completed Iteration events").hasSize(done.status().completedIterations())
          .allSatisfy((k, n) -> assertThat(n).as("events for " + k).isEqualTo(1));
    } finally {
      harness.stopAgent(second);
    }
  }

  /** How many times each "Completed Iteration N" was announced (Events are written asynchronously). */
  private static Map<String, Long> iterationEvents(String ns, int expected) {
    Map<String, Long> counts = new TreeMap<>();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      counts.clear();
      List<JsonNode> events = AgentHarness.join(harness.ops.list(ResourceKind.EVENT, ns, null));
      for (JsonNode ev : events) {
        String msg = ev.path("message").asText();
        if (msg.startsWith("Completed Iteration ")) {
          counts.merge(msg, 1L, Long::sum);
        }
      }
      return counts.size() >= expected;
    });
    return counts;
  }
}
