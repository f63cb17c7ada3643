package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.Agent;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.testkit.traffic.SimulatedApp;
import tools.iter8.testkit.traffic.VersionProfile;

/**
 * Two agents on one API with leader election (a 3 s lease here): only one acts at any time; when the
 * leader goes away mid-experiment the other takes over and finishes it, and no iteration runs twice.
 */
class AgentLeaderElectionTest {
  private AgentHarness harness;

  @BeforeEach
  void start() throws Exception {
    harness = new AgentHarness();
  }

  @AfterEach
  void stop() {
    harness.close();
  }

  @Test
  void onlyTheLeaderActsAndAStandbyFinishesTheExperimentWhenTheLeaderGoesAway() {
    String ns = "leader";
    SimulatedApp app = new SimulatedApp(150, 21).version("v1", VersionProfile.healthy()).version("v2", VersionProfile.healthy());
    Agent a = harness.startAgent("agent-a", true, new SimulatedMetrics(app));
    Agent b = harness.startAgent("agent-b", true, new SimulatedMetrics(app));
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> a.isLeader() || b.isLeader());
    Agent leader = a.isLeader() ? a : b;
    Agent standby = leader == a ? b : a;
    AtomicBoolean bothLed = new AtomicBoolean();
    long sampler = harness.vertx.setPeriodic(50, id -> bothLed.compareAndSet(false, a.isLeader() && b.isLeader()));

    harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
    harness.apply(ApiMapper.read(Scenarios.virtualService(ns, "v1", "v2"), JsonNode.class));
    harness.apply(ApiMapper.read(Scenarios.experiment(ns, "exp", "Canary", "Progressive", Scenarios.CANARY_CRITERIA, 30, "v1", "v2"), JsonNode.class));
    harness.drive(ns, "exp", app, 0);
    harness.awaitExperiment(ns, "exp", e -> ExperimentFacts.completedIterations(e) >= 2, Duration.ofSeconds(30));
    double byLeader = leader.iterationsCompleted();
    assertThat(standby.iterationsCompleted()).as("the standby has not acted").isZero();

    harness.stopAgent(leader);
    Experiment done = harness.awaitExperiment(ns, "exp", ExperimentFacts::completed, Duration.ofSeconds(60));
    harness.vertx.cancelTimer(sampler);

    assertThat(bothLed).as("two leaders at once").isFalse();
    assertThat(standby.isLeader()).isTrue();
    assertThat(standby.iterationsCompleted()).as("the standby took over").isPositive();
    assertThat(byLeader + standby.iterationsCompleted()).isEqualTo((double) done.status().completedIterations());
    assertThat(done.status().decision().action()).isEqualTo("Promote");
    List<String> iterations = new CopyOnWriteArrayList<>();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      iterations.clear();
      for (JsonNode ev : AgentHarness.join(harness.ops.list(ResourceKind.EVENT, ns, null))) {
        if (ev.path("message").asText().startsWith("Completed Iteration ")) {
          iterations.add(ev.path("message").asText());
        }
      }
      return iterations.size() >= done.status().completedIterations();
    });
    assertThat(iterations).doesNotHaveDuplicates().hasSize(done.status().completedIterations());
  }
}
