package tools.iter8.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.Agent;
import tools.iter8.agent.AgentConfig;
import tools.iter8.agent.kube.KubernetesApiException;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.workload.TemplateHash;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.sandbox.WebhookRelay.FailurePolicy;
import tools.iter8.testkit.kube.DeploymentControllerStandIn;
import tools.iter8.testkit.kube.KubernetesApiEmulation;
import tools.iter8.webhook.Webhook;
import tools.iter8.webhook.WebhookConfig;

/**
 * What happens to writes while the webhook is down, under the {@code failurePolicy} of each webhook as
 * shipped in {@code manifests/webhook} (docs/reliability.md, "Webhook outage"): the Kubernetes API emulation
 * with the admission relay honouring the policies, the real webhook started and then stopped, the real agent.
 *
 * <ul>
 *   <li>workloads, {@code Ignore}: a labeled Deployment's new version is stored as the user wrote it, unstaged;
 *       the agent reports it ({@code BypassedWebhook} Warning Event and {@code iter8.tools/status}) and starts
 *       no experiment; once the webhook is back, the next version is staged again;
 *   <li>workloads switched to {@code Fail}: the write is refused with the webhook's unreachability;
 *   <li>Experiments and Metrics (defaults {@code Ignore}, validation {@code Fail}): refused.
 * </ul>
 */
class WebhookOutageTest {
  private static final String NS = "shop";
  private static Map<String, FailurePolicy> shipped;

  private KubernetesApiEmulation api;
  private Vertx vertx;
  private WorkerExecutor pool;
  private KubernetesOps kubectl;
  private DeploymentControllerStandIn deployments;
  private SelfSignedCertificate certificate;
  private int port;
  private Webhook webhook;
  private WebhookRelay relay;
  private Agent agent;

  /** The failurePolicy of every webhook in manifests/webhook, by name. */
  @BeforeAll
  static void readShippedPolicies() throws IOException {
    shipped = new HashMap<>();
    for (String file : List.of("mutatingwebhookconfiguration.yaml", "validatingwebhookconfiguration.yaml")) {
      for (JsonNode doc : ApiMapper.readAll(Files.readString(Path.of("../manifests/webhook", file)))) {
        for (JsonNode w : doc.path("webhooks")) {
          shipped.put(w.path("name").asText(), FailurePolicy.parse(w.path("failurePolicy").asText()));
        }
      }
    }
    assertThat(shipped).containsOnlyKeys(
        WebhookRelay.WORKLOADS_WEBHOOK, WebhookRelay.DEFAULTS_WEBHOOK, WebhookRelay.VALIDATE_WEBHOOK);
  }

  private void start(Map<String, FailurePolicy> policies) throws IOException {
    api = KubernetesApiEmulation.start();
    vertx = Vertx.vertx();
    pool = vertx.createSharedWorkerExecutor("outage-kubectl", 4);
    kubectl = new KubernetesOps(api.apiClient(), pool, () -> true, "kubectl/v1.32 (outage test)");
    deployments = DeploymentControllerStandIn.start(api, Duration.ofMillis(200));
    certificate = SelfSignedCertificate.create();
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    webhookUp();
    relay = new WebhookRelay(certificate.trust(), port, w -> { }, policies, Duration.ofSeconds(5));
    api.admission(relay);
    agent = new Agent(
        AgentConfig.fromEnv(Map.of(
            "POD_NAME", "iter8-agent-outage", "ITER8_LEADER_ELECTION", "false", "ITER8_HEALTH_PORT", "0",
            "ITER8_WORKERS", "2", "ITER8_KUBERNETES_POOL_SIZE", "4")),
        api.apiClient(), vertx, Agent.Options.defaults());
    await(agent.start());
    await(kubectl.create(new ResourceKind("", "v1", "namespaces", "Namespace", false), null,
        ApiMapper.read("{apiVersion: v1, kind: Namespace, metadata: {name: " + NS + "}}", JsonNode.class)));
  }

  private void webhookUp() {
    webhook = await(Webhook.start(vertx, WebhookConfig.fromEnv(Map.of(
        "ITER8_WEBHOOK_HOST", "127.0.0.1",
        "ITER8_WEBHOOK_PORT", String.valueOf(port),
        "ITER8_WEBHOOK_CERT_DIR", certificate.directory().toString(),
        "ITER8_WEBHOOK_INSTANCES", "1",
        "ITER8_WEBHOOK_SHUTDOWN_DRAIN", "0s",
        "ITER8_WEBHOOK_SHUTDOWN_TIMEOUT", "1s")), Webhook.registry()));
  }

  private void webhookDown() {
    await(webhook.stop());
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    try {
      await(webhook.stop());
    } catch (RuntimeException e) {
      // stopped by the test
    }
    deployments.close();
    pool.close();
    await(vertx.close());
    certificate.close();
    api.close();
  }

  private static ObjectNode deployment(String image) {
    return (ObjectNode) ApiMapper.read(Sandbox.deploymentYaml(image).replace("namespace: demo", "namespace: " + NS),
        JsonNode.class);
  }

  /** {@code kubectl apply} of a new image over the stored Deployment. */
  private JsonNode applyImage(String image) {
    ObjectNode next = await(kubectl.get(ResourceKind.DEPLOYMENT, NS, Sandbox.APP)).orElseThrow().deepCopy();
    ((ObjectNode) next.get("spec")).set("template", deployment(image).at("/spec/template"));
    return await(kubectl.replace(ResourceKind.DEPLOYMENT, NS, Sandbox.APP, next));
  }

  private JsonNode stored() {
    return await(kubectl.get(ResourceKind.DEPLOYMENT, NS, Sandbox.APP)).orElseThrow();
  }

  private List<JsonNode> list(ResourceKind kind) {
    return await(kubectl.list(kind, NS, null));
  }

  /** v1 created with the webhook up, rolled out by the Deployment controller. */
  private void firstVersion() {
    await(kubectl.create(ResourceKind.DEPLOYMENT, NS, deployment("ghcr.io/iter8-java/demo-app:v1")));
    until(Duration.ofSeconds(10), () -> !list(ResourceKind.REPLICA_SET).isEmpty());
  }

  @Test
  void workloadsIgnoreANewVersionRollsOutUnstagedAndTheAgentReportsIt() throws IOException {
    start(shipped);
    assertThat(shipped.get(WebhookRelay.WORKLOADS_WEBHOOK)).as("as shipped").isEqualTo(FailurePolicy.IGNORE);
    firstVersion();

    webhookDown();
    JsonNode v2 = applyImage("ghcr.io/iter8-java/demo-app:v2");

    // The write succeeded as the user sent it: not paused, nothing staged.
    assertThat(v2.at("/spec/template/spec/containers/0/image").asText()).endsWith(":v2");
    assertThat(v2.at("/spec/paused").asBoolean(false)).isFalse();
    assertThat(v2.at("/metadata/annotations").has(WorkloadKeys.CANDIDATE_HASH)).isFalse();
    assertThat(relay.log()).anyMatch(l -> l.contains("ignored (failurePolicy Ignore)") && l.contains("/mutate"));
    String hash = TemplateHash.of(WorkloadKind.DEPLOYMENT, v2);

    // The agent noticed the template it never saw staged, and says so instead of leaving a half-state.
    until(Duration.ofSeconds(15), () -> stored().at("/metadata/annotations").path(WorkloadKeys.STATUS).asText()
        .contains("without an experiment"));
    assertThat(stored().at("/metadata/annotations").path(WorkloadKeys.STATUS).asText()).contains(hash).contains("webhook");
    until(Duration.ofSeconds(5), () -> list(ResourceKind.EVENT).stream().anyMatch(e ->
        "BypassedWebhook".equals(e.path("reason").asText()) && "Warning".equals(e.path("type").asText())
            && e.path("message").asText().contains(hash)));
    assertThat(list(ResourceKind.EXPERIMENT)).as("no experiment after the fact").isEmpty();
    until(Duration.ofSeconds(10), () -> list(ResourceKind.REPLICA_SET).size() == 2); // v2 rolled out, unstaged

    // The webhook is back: the next version is staged again, and its experiment starts.
    webhookUp();
    JsonNode v3 = applyImage("ghcr.io/iter8-java/demo-app:v3");
    assertThat(v3.at("/spec/paused").asBoolean(false)).as("staged").isTrue();
    String experiment = v3.at("/metadata/annotations").path(WorkloadKeys.EXPERIMENT).asText();
    assertThat(experiment).isNotEmpty();
    until(Duration.ofSeconds(15), () -> list(ResourceKind.EXPERIMENT).stream()
        .anyMatch(e -> experiment.equals(e.at("/metadata/name").asText())));
  }

  @Test
  void workloadsFailTheNewVersionIsRefusedWithTheWebhooksUnreachability() throws IOException {
    Map<String, FailurePolicy> policies = new HashMap<>(shipped);
    policies.put(WebhookRelay.WORKLOADS_WEBHOOK, FailurePolicy.FAIL); // the documented opt-in
    start(policies);
    firstVersion();
    webhookDown();

    assertThatThrownBy(() -> applyImage("ghcr.io/iter8-java/demo-app:v2"))
        .satisfies(e -> {
          KubernetesApiException k = cause(e);
          assertThat(k.code()).isEqualTo(500);
          assertThat(k.getMessage()).contains("failed calling webhook \"workloads.webhook.iter8.tools\"")
              .contains("/mutate").containsIgnoringCase("connect");
        });
    assertThat(stored().at("/spec/template/spec/containers/0/image").asText()).endsWith(":v1");
    assertThat(stored().at("/metadata/annotations").has(WorkloadKeys.STATUS)).isFalse();
    assertThat(list(ResourceKind.EXPERIMENT)).isEmpty();
    assertThat(list(ResourceKind.REPLICA_SET)).hasSize(1);
  }

  @Test
  void experimentsAndMetricsAreRefusedByTheValidationWebhooksFail() throws IOException {
    start(shipped);
    assertThat(shipped.get(WebhookRelay.DEFAULTS_WEBHOOK)).isEqualTo(FailurePolicy.IGNORE);
    assertThat(shipped.get(WebhookRelay.VALIDATE_WEBHOOK)).isEqualTo(FailurePolicy.FAIL);
    webhookDown();

    JsonNode experiment = ApiMapper.read("""
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: by-hand, namespace: shop}
        spec:
          target: shop/myapp
          strategy: {testingPattern: Conformance}
          versionInfo: {baseline: {name: v1}}
        """, JsonNode.class);
    JsonNode metric = ApiMapper.read("""
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: my-rate, namespace: shop}
        spec: {urlTemplate: "http://prometheus:9090/api/v1/query", jqExpression: ".data.result[0].value[1] | tonumber",
               params: [{name: query, value: "sum(rate(x[1m]))"}]}
        """, JsonNode.class);
    for (var write : List.of(Map.entry(ResourceKind.EXPERIMENT, experiment), Map.entry(ResourceKind.METRIC, metric))) {
      assertThatThrownBy(() -> await(kubectl.create(write.getKey(), NS, write.getValue())))
          .satisfies(e -> assertThat(cause(e).getMessage())
              .contains("failed calling webhook \"validate.webhook.iter8.tools\""));
    }
    assertThat(list(ResourceKind.EXPERIMENT)).isEmpty();
    assertThat(list(ResourceKind.METRIC)).isEmpty();
    // The defaults webhook (Ignore) was passed over first, as kube-apiserver calls mutating webhooks first.
    assertThat(relay.log()).anyMatch(l -> l.contains("defaults.webhook.iter8.tools ignored (failurePolicy Ignore)"));
  }

  private static KubernetesApiException cause(Throwable e) {
    Throwable t = e;
    while (t != null && !(t instanceof KubernetesApiException)) {
      t = t.getCause();
    }
    assertThat(t).as("a KubernetesApiException in %s", e).isNotNull();
    return (KubernetesApiException) t;
  }

  private static void until(Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + limit);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
    } catch (CompletionException e) {
      throw e;
    }
  }
}
