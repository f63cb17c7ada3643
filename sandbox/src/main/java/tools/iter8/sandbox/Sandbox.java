package tools.iter8.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.iter8.agent.Agent;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.metrics.DispatchingMetricsSource;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.testkit.kube.DeploymentControllerStandIn;
import tools.iter8.testkit.kube.KubernetesApiEmulation;
import tools.iter8.testkit.prometheus.PrometheusProcess;
import tools.iter8.testkit.prometheus.ScrapeTarget;
import tools.iter8.webhook.Webhook;
import tools.iter8.webhook.WebhookConfig;

/**
 * The real system in one process: the Kubernetes API emulation whose writes of labeled objects go through
 * the real webhook over TLS (the admission relay), the real agent, a Deployment controller stand-in, the
 * demo app's pods under simulated users, and a real Prometheus scraping them when one is installed (else
 * the embedded metrics source feeds the same numbers). Only the cluster itself is emulated.
 */
final class Sandbox implements AutoCloseable {
  static final String NAMESPACE = "demo";
  static final String APP = "myapp";

  private final KubernetesApiEmulation api;
  private final Vertx vertx;
  private final WorkerExecutor pool;
  private final KubernetesOps kubectl;
  private final DeploymentControllerStandIn deployments;
  private final SelfSignedCertificate certificate;
  private final Webhook webhook;
  private final WebhookRelay relay;
  private final DemoPods pods;
  private final UserTraffic traffic;
  private final PrometheusProcess prometheus;
  private final Agent agent;

  /** What to run: the candidate's behaviour, whether to use Prometheus, the users' request rate. */
  record Options(AppProfile candidate, boolean usePrometheus, double requestsPerSecond, Consumer<String> warnings) {}

  private Sandbox(Options options) {
    api = KubernetesApiEmulation.start();
    vertx = Vertx.vertx();
    pool = vertx.createSharedWorkerExecutor("sandbox-kubectl", 4);
    kubectl = new KubernetesOps(api.apiClient(), pool, () -> true, "kubectl/v1.32 (sandbox)");
    deployments = DeploymentControllerStandIn.start(api, Duration.ofMillis(200));
    certificate = SelfSignedCertificate.create();
    webhook = await(Webhook.start(vertx, WebhookConfig.fromEnv(Map.of(
        "ITER8_WEBHOOK_HOST", "127.0.0.1",
        "ITER8_WEBHOOK_PORT", "0",
        "ITER8_WEBHOOK_CERT_DIR", certificate.directory().toString(),
        "ITER8_WEBHOOK_INSTANCES", "1",
        "ITER8_WEBHOOK_SHUTDOWN_DRAIN", "0s",
        "ITER8_WEBHOOK_SHUTDOWN_TIMEOUT", "1s")), Webhook.registry()));
    relay = new WebhookRelay(certificate.trust(), webhook.port(), options.warnings());
    api.admission(relay);
    pods = new DemoPods(vertx, kubectl, NAMESPACE, APP,
        image -> image.endsWith(":v1") ? AppProfile.V1 : options.candidate());
    prometheus = options.usePrometheus() ? PrometheusProcess.builder().scrapeInterval(Duration.ofSeconds(1)).start() : null;
    if (prometheus != null) {
      pods.onPodsChanged(all -> prometheus.reload(all.stream()
          .map(p -> new ScrapeTarget("demo-app", "127.0.0.1:" + p.port(), "/metrics",
              Map.of("namespace", NAMESPACE, "pod", p.name())))
          .toList()));
    }
    MetricsSource metrics = prometheus != null
        ? DispatchingMetricsSource.create(vertx, agentConfig(), SecretSource.of(Map.of()))
        : new EmbeddedMetricsSource(pods);
    traffic = new UserTraffic(vertx, pods, options.requestsPerSecond());
    agent = new Agent(agentConfig(), api.apiClient(), vertx, Agent.Options.defaults().withMetricsSource(metrics));
    await(agent.start());
    pods.start();
    traffic.start();
  }

  static Sandbox start(Options options) {
    return new Sandbox(options);
  }

  private static AgentConfig agentConfig() {
    return AgentConfig.fromEnv(Map.of(
        "POD_NAME", "iter8-agent-sandbox",
        "ITER8_LEADER_ELECTION", "false",
        "ITER8_HEALTH_PORT", "0",
        "ITER8_WORKERS", "2",
        "ITER8_KUBERNETES_POOL_SIZE", "4"));
  }

  boolean usesPrometheus() {
    return prometheus != null;
  }

  /** The namespaces and the built-in http metric set (pointed at this sandbox's Prometheus, if any). */
  void install() {
    apply("{apiVersion: v1, kind: Namespace, metadata: {name: " + NAMESPACE + "}}");
    apply("{apiVersion: v1, kind: Namespace, metadata: {name: iter8-http}}");
    for (JsonNode m : ApiMapper.readAll(resource("tools/iter8/sandbox/metrics-http/metrics.yaml"))) {
      if (!"Metric".equals(m.path("kind").asText())) {
        continue;
      }
      ObjectNode metric = m.deepCopy();
      if (prometheus != null) {
        metric.with("spec").put("urlTemplate", prometheus.queryUrl());
      }
      await(kubectl.create(ResourceKind.METRIC, "iter8-http", metric));
    }
  }

  /** {@code kubectl apply} of the app's Deployment at {@code image}: created, or updated in place. */
  JsonNode applyDeployment(String image) {
    ObjectNode desired = (ObjectNode) ApiMapper.read(deploymentYaml(image), JsonNode.class);
    Optional<JsonNode> stored = await(kubectl.get(ResourceKind.DEPLOYMENT, NAMESPACE, APP));
    if (stored.isEmpty()) {
      return await(kubectl.create(ResourceKind.DEPLOYMENT, NAMESPACE, desired));
    }
    // What kubectl apply sends: the user's fields over the stored object (metadata and status kept).
    ObjectNode next = stored.get().deepCopy();
    ((ObjectNode) next.get("spec")).set("template", desired.at("/spec/template"));
    next.with("metadata").with("annotations").setAll((ObjectNode) desired.at("/metadata/annotations"));
    return await(kubectl.replace(ResourceKind.DEPLOYMENT, NAMESPACE, APP, next));
  }

  static String deploymentYaml(String image) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %s
          namespace: %s
          labels: {app: %s, iter8.tools/watch: "true"}
          annotations:
            iter8.tools/metrics: http
            iter8.tools/objectives: error-rate<=0.01,latency-p95<=200
            iter8.tools/interval: 2s
            iter8.tools/iterations: "40"
        spec:
          replicas: 4
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: app, image: "%s", ports: [{containerPort: 8080}]}]}
        """.formatted(APP, NAMESPACE, APP, APP, APP, image);
  }

  Optional<JsonNode> deployment() {
    return await(kubectl.get(ResourceKind.DEPLOYMENT, NAMESPACE, APP));
  }

  Optional<Experiment> experiment(String name) {
    return await(kubectl.get(ResourceKind.EXPERIMENT, NAMESPACE, name)).map(n -> ApiMapper.fromTree(n, Experiment.class));
  }

  boolean exists(ResourceKind kind, String name) {
    return await(kubectl.get(kind, NAMESPACE, name)).isPresent();
  }

  int podCount() {
    return pods.endpoints().size();
  }

  long requestsSent() {
    return traffic.sent();
  }

  List<String> admissions() {
    return relay.log();
  }

  private void apply(String yaml) {
    JsonNode doc = ApiMapper.read(yaml, JsonNode.class);
    await(kubectl.create(new ResourceKind("", "v1", "namespaces", "Namespace", false), null, doc));
  }

  private static String resource(String name) {
    try (InputStream in = Sandbox.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    traffic.stop();
    agent.close();
    try {
      await(webhook.stop());
    } catch (RuntimeException e) {
      // shutting down anyway
    }
    await(pods.stop());
    if (prometheus != null) {
      prometheus.close();
    }
    deployments.close();
    pool.close();
    await(vertx.close());
    certificate.close();
    api.close();
  }
}
