package tools.iter8.agent.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.kube.KubernetesApiEmulation;

class KubernetesOpsTest {
  private static KubernetesApiEmulation api;
  private static Vertx vertx;
  private static WorkerExecutor pool;
  private static KubernetesOps ops;

  @BeforeAll
  static void start() {
    api = KubernetesApiEmulation.start();
    vertx = Vertx.vertx();
    pool = vertx.createSharedWorkerExecutor("kubernetes-ops", 4);
    ops = new KubernetesOps(api.apiClient(), pool, () -> true, "iter8-test");
  }

  @AfterAll
  static void stop() {
    pool.close();
    vertx.close();
    api.close();
  }

  static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
  }

  static ObjectNode experiment(String name) {
    return (ObjectNode)
        ApiMapper.read(
            "{apiVersion: iter8.tools/v2alpha2, kind: Experiment, metadata: {name: " + name
                + ", namespace: ops}, spec: {target: ops/app, futureField: {keep: [1, 2]}}}",
            JsonNode.class);
  }

  @Test
  void objectsKeepFieldsTheAgentDoesNotModel() {
    await(ops.create(ResourceKind.EXPERIMENT, "ops", experiment("keep")));

    JsonNode read = await(ops.get(ResourceKind.EXPERIMENT, "ops", "keep")).orElseThrow();

    assertThat(read.at("/spec/futureField/keep/1").asInt()).isEqualTo(2);
    assertThat(read.at("/metadata/resourceVersion").asText()).isNotEmpty();
  }

  @Test
  void absentObjectIsEmptyNotAnError() {
    assertThat(await(ops.get(ResourceKind.EXPERIMENT, "ops", "nope"))).isEmpty();
  }

  @Test
  void statusReplaceChangesOnlyTheStatus() {
    JsonNode created = await(ops.create(ResourceKind.EXPERIMENT, "ops", experiment("status")));
    ObjectNode withStatus = created.deepCopy();
    withStatus.putObject("status").put("stage", "Running");
    ((ObjectNode) withStatus.get("spec")).put("target", "changed-by-mistake");

    await(ops.replaceStatus(ResourceKind.EXPERIMENT, "ops", "status", withStatus));
    JsonNode read = await(ops.get(ResourceKind.EXPERIMENT, "ops", "status")).orElseThrow();

    assertThat(read.at("/status/stage").asText()).isEqualTo("Running");
    assertThat(read.at("/spec/target").asText()).isEqualTo("ops/app");
    assertThat(read.at("/metadata/generation").asLong()).isEqualTo(created.at("/metadata/generation").asLong());
  }

  @Test
  void staleStatusReplaceIsAConflict() {
    JsonNode created = await(ops.create(ResourceKind.EXPERIMENT, "ops", experiment("stale")));
    ObjectNode first = created.deepCopy();
    first.putObject("status").put("stage", "Initializing");
    await(ops.replaceStatus(ResourceKind.EXPERIMENT, "ops", "stale", first));
    ObjectNode second = created.deepCopy();
    second.putObject("status").put("stage", "Running");

    assertThatThrownBy(() -> await(ops.replaceStatus(ResourceKind.EXPERIMENT, "ops", "stale", second)))
        .isInstanceOf(CompletionException.class)
        .cause()
        .isInstanceOfSatisfying(KubernetesApiException.class, e -> assertThat(e.isConflict()).isTrue());
  }

  @Test
  void jsonPatchAndMergePatchReachTheStoredObject() {
    await(ops.create(ResourceKind.EXPERIMENT, "ops", experiment("patch")));
    ArrayNode ops1 = ApiMapper.json().createArrayNode();
    ops1.addObject().put("op", "replace").put("path", "/spec/target").put("value", "ops/other");
    ObjectNode merge = ApiMapper.json().createObjectNode();
    merge.putObject("metadata").putObject("annotations").put("iter8.tools/status", "hello");

    await(ops.jsonPatch(ResourceKind.EXPERIMENT, "ops", "patch", ops1));
    await(ops.mergePatch(ResourceKind.EXPERIMENT, "ops", "patch", merge));
    JsonNode read = await(ops.get(ResourceKind.EXPERIMENT, "ops", "patch")).orElseThrow();

    assertThat(read.at("/spec/target").asText()).isEqualTo("ops/other");
    assertThat(read.at("/metadata/annotations/iter8.tools~1status").asText()).isEqualTo("hello");
  }

  @Test
  void serverErrorsAreTransientAndNamed() {
    api.faults().when("GET", "/apis/iter8.tools/v2alpha2/namespaces/ops/experiments/flaky").times(1).respondWith(503);

    assertThatThrownBy(() -> await(ops.get(ResourceKind.EXPERIMENT, "ops", "flaky")))
        .cause()
        .isInstanceOfSatisfying(
            KubernetesApiException.class,
            e -> {
              assertThat(e.isTransient()).isTrue();
              assertThat(e.getMessage()).contains("GET /apis/iter8.tools/v2alpha2/namespaces/ops/experiments/flaky").contains("503");
            });
  }

  @Test
  void listFiltersByLabel() {
    ObjectNode a = experiment("labeled-a");
    ((ObjectNode) a.get("metadata")).putObject("labels").put("team", "a");
    await(ops.create(ResourceKind.EXPERIMENT, "ops", a));
    await(ops.create(ResourceKind.EXPERIMENT, "ops", experiment("labeled-none")));

    assertThat(await(ops.list(ResourceKind.EXPERIMENT, "ops", "team=a")))
        .extracting(n -> n.at("/metadata/name").asText())
        .containsExactly("labeled-a");
  }

  @Test
  void deleteOfAnAbsentObjectSucceeds() {
    await(ops.delete(ResourceKind.EXPERIMENT, "ops", "never-existed"));
  }

  @Test
  void accessedRecordsVerbsOnResources() {
    await(ops.get(ResourceKind.DEPLOYMENT, "ops", "x"));

    assertThat(ops.accessed()).contains(new KubernetesOps.Access("get", "apps", "deployments"));
  }

  @Test
  void callsDoNotWaitForEachOther() {
    api.faults().when("GET", "/apis/apps/v1/namespaces/ops/deployments/slow").times(1).delayBy(Duration.ofSeconds(2));
    Future<?> slow = ops.get(ResourceKind.DEPLOYMENT, "ops", "slow");

    await(ops.get(ResourceKind.DEPLOYMENT, "ops", "fast"));
    boolean fastFinishedFirst = !slow.isComplete();
    await(slow);

    assertThat(fastFinishedFirst).as("an unrelated call is not queued behind a slow one").isTrue();
  }
}
