package tools.iter8.agent.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.iter8.agent.Agent;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.WeightData;
import tools.iter8.testkit.kube.DeploymentControllerStandIn;
import tools.iter8.testkit.kube.KubernetesApiEmulation;
import tools.iter8.testkit.traffic.SimulatedApp;

/**
 * One Kubernetes API emulation with agents against it, and simulated user traffic that follows the
 * traffic split the agent writes: every tick, each watched experiment's versions get requests in the
 * proportions of its {@code status.currentWeightDistribution} (which the agent reads back from the
 * routing objects), plus mirrored copies for a DarkLaunch.
 */
final class AgentHarness implements AutoCloseable {
  static final Duration TICK = Duration.ofMillis(250);

  final KubernetesApiEmulation api = KubernetesApiEmulation.start();
  final Vertx vertx = Vertx.vertx();
  final WorkerExecutor pool = vertx.createSharedWorkerExecutor("test-ops", 4);
  final KubernetesOps ops = new KubernetesOps(api.apiClient(), pool, () -> true, "iter8-test");
  final DeploymentControllerStandIn deployments = DeploymentControllerStandIn.start(api, Duration.ofMillis(200));
  final List<Agent> agents = new CopyOnWriteArrayList<>();
  private final Map<String, Traffic> traffic = new LinkedHashMap<>();
  private final long timer;

  /** The app behind one experiment, and how much of the baseline's traffic a DarkLaunch mirrors. */
  record Traffic(SimulatedApp app, String namespace, String experiment, int mirrorPercent) {}

  AgentHarness() throws IOException {
    for (Path p : List.of(Path.of("../manifests/metrics/http/metrics.yaml"), Path.of("../manifests/metrics/istio/metrics.yaml"))) {
      applyAll(Files.readString(p));
    }
    timer = vertx.setPeriodic(TICK.toMillis(), id -> tickAll());
  }

  AgentConfig config(String identity, boolean leaderElection) {
    return config(identity, leaderElection, Map.of());
  }

  AgentConfig config(String identity, boolean leaderElection, Map<String, String> extra) {
    Map<String, String> env = new java.util.HashMap<>(Map.of(
        "POD_NAME", identity,
        "ITER8_NAMESPACE", "iter8-system",
        "ITER8_LEADER_ELECTION", String.valueOf(leaderElection),
        "ITER8_LEASE_DURATION", "3s",
        "ITER8_RENEW_DEADLINE", "2s",
        "ITER8_RETRY_PERIOD", "1s",
        "ITER8_HEALTH_PORT", "0",
        "ITER8_WORKERS", "4"));
    env.putAll(extra);
    return AgentConfig.fromEnv(env);
  }

  Agent startAgent(String identity, boolean leaderElection, MetricsSource metrics) {
    return startAgent(config(identity, leaderElection), metrics);
  }

  Agent startAgent(AgentConfig config, MetricsSource metrics) {
    Agent agent = new Agent(config, api.apiClient(), vertx, Agent.Options.defaults().withMetricsSource(metrics));
    agent.start().toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    agents.add(agent);
    return agent;
  }

  void stopAgent(Agent agent) {
    agent.close();
    agents.remove(agent);
  }

  /** Sends simulated users to the versions of {@code namespace/experiment}, split as the agent routes them. */
  void drive(String namespace, String experiment, SimulatedApp app, int mirrorPercent) {
    synchronized (traffic) {
      traffic.put(namespace + "/" + experiment, new Traffic(app, namespace, experiment, mirrorPercent));
    }
  }

  private void tickAll() {
    List<Traffic> all;
    synchronized (traffic) {
      all = new ArrayList<>(traffic.values());
    }
    for (Traffic t : all) {
      ops.get(ResourceKind.EXPERIMENT, t.namespace(), t.experiment()).onSuccess(found -> found.ifPresent(node -> {
        Experiment e = ApiMapper.fromTree(node, Experiment.class);
        Map<String, Integer> weights = weights(e);
        if (weights.isEmpty()) {
          return;
        }
        double seconds = TICK.toMillis() / 1000.0;
        t.app().tick(seconds, weights);
        if (t.mirrorPercent() > 0 && e.spec().versionInfo().candidates() != null) {
          String baseline = e.spec().versionInfo().baseline().name();
          String candidate = e.spec().versionInfo().candidates().get(0).name();
          t.app().tick(seconds * weights.getOrDefault(baseline, 0) / 100.0 * t.mirrorPercent() / 100.0,
              Map.of(candidate, 100));
        }
      }));
    }
  }

  static Map<String, Integer> weights(Experiment e) {
    Map<String, Integer> w = new LinkedHashMap<>();
    if (e.status() != null && e.status().currentWeightDistribution() != null) {
      for (WeightData d : e.status().currentWeightDistribution()) {
        w.put(d.name(), d.value());
      }
    }
    return w;
  }

  void applyAll(String yaml) {
    for (JsonNode doc : ApiMapper.readAll(yaml)) {
      apply(doc);
    }
  }

  JsonNode apply(JsonNode doc) {
    String apiVersion = doc.path("apiVersion").asText();
    String kind = doc.path("kind").asText();
    ResourceKind rk = ResourceKind.of(apiVersion, kind)
        .or(() -> apiVersion.equals("v1") && kind.equals("Namespace")
            ? Optional.of(new ResourceKind("", "v1", "namespaces", "Namespace", false)) : Optional.empty())
        .orElseThrow(() -> new IllegalArgumentException("unknown kind " + apiVersion + " " + kind));
    String ns = doc.path("metadata").path("namespace").asText(null);
    return join(ops.create(rk, ns, doc));
  }

  Experiment experiment(String namespace, String name) {
    return join(ops.get(ResourceKind.EXPERIMENT, namespace, name)).map(n -> ApiMapper.fromTree(n, Experiment.class))
        .orElseThrow(() -> new AssertionError("no experiment " + namespace + "/" + name));
  }

  JsonNode object(ResourceKind kind, String namespace, String name) {
    return join(ops.get(kind, namespace, name)).orElseThrow(() -> new AssertionError("no " + kind + " " + namespace + "/" + name));
  }

  Experiment awaitExperiment(String namespace, String name, Predicate<Experiment> condition, Duration timeout) {
    Experiment[] last = new Experiment[1];
    Awaitility.await().atMost(timeout).pollInterval(Duration.ofMillis(200)).until(() -> {
      last[0] = join(ops.get(ResourceKind.EXPERIMENT, namespace, name)).map(n -> ApiMapper.fromTree(n, Experiment.class)).orElse(null);
      return last[0] != null && condition.test(last[0]);
    });
    return last[0];
  }

  static <T> T join(io.vertx.core.Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    vertx.cancelTimer(timer);
    agents.forEach(Agent::close);
    deployments.close();
    pool.close();
    vertx.close();
    api.close();
  }
}
