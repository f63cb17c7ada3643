package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.await;
import static tools.iter8.agent.tasks.TaskTestSupport.context;
import static tools.iter8.agent.tasks.TaskTestSupport.experiment;
import static tools.iter8.agent.tasks.TaskTestSupport.failure;
import static tools.iter8.agent.tasks.TaskTestSupport.when;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.testkit.kube.KubernetesApiEmulation;

/**
 * {@link ReadinessTask} against the Kubernetes API emulation: objects that appear late, conditions that
 * never come, kubectl's condition and jsonpath forms, weightObjRef objects, and inputs rejected up front.
 */
class ReadinessTaskTest {
  private static KubernetesApiEmulation api;
  private static Vertx vertx;
  private static WorkerExecutor pool;
  private static KubernetesOps ops;
  private static ReadinessTask task;

  @BeforeAll
  static void start() {
    api = KubernetesApiEmulation.start();
    vertx = Vertx.vertx();
    pool = vertx.createSharedWorkerExecutor("kubernetes-ops", 4);
    ops = new KubernetesOps(api.apiClient(), pool, () -> true, "iter8-test");
    task = new ReadinessTask(vertx, new KubernetesOps(api.apiClient(), pool));
  }

  @AfterAll
  static void stop() {
    pool.close();
    await(vertx.close());
    api.close();
  }

  private static TaskSpec spec(String with) {
    return TaskTestSupport.spec("common/readiness", with);
  }

  private static Future<TaskOutcome> run(String with) {
    return run(experiment(TaskTestSupport.CANARY), with);
  }

  private static Future<TaskOutcome> run(Experiment e, String with) {
    return task.run(context(e, ActionKind.START), spec(with));
  }

  private static ObjectNode deployment(String name) {
    return (ObjectNode) ApiMapper.read("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: shop}
        spec:
          replicas: 2
          selector: {matchLabels: {app: %s}}
          template:
            metadata: {labels: {app: %s}}
            spec: {containers: [{name: app, image: "app:1"}]}
        """.formatted(name, name, name), JsonNode.class);
  }

  /** Creates the Deployment and writes its status, as the Deployment controller would. */
  private static JsonNode deploymentWithStatus(String name, String status) {
    JsonNode created = await(ops.create(ResourceKind.DEPLOYMENT, "shop", deployment(name)));
    ObjectNode withStatus = created.deepCopy();
    withStatus.set("status", ApiMapper.read(status, JsonNode.class));
    return await(ops.replaceStatus(ResourceKind.DEPLOYMENT, "shop", name, withStatus));
  }

  private static long gets(String path) {
    return api.requests().entries().stream().filter(r -> r.method().equals("GET") && r.path().equals(path)).count();
  }

  @Test
  void anObjectThatAppearsAfterTheFirstCheckIsFoundOnARetry() {
    String path = "/apis/apps/v1/namespaces/shop/deployments/late";
    Future<TaskOutcome> outcome =
        run("{initialDelaySeconds: 0, intervalSeconds: 0.02, numRetries: 500, objRefs: [{kind: Deployment, name: late}]}");

    await(when(vertx, () -> gets(path) > 0).compose(v -> ops.create(ResourceKind.DEPLOYMENT, "shop", deployment("late"))));

    assertThat(await(outcome).message()).isEqualTo("1 object(s) ready: Deployment shop/late (apps/v1)");
    assertThat(gets(path)).isGreaterThan(1);
  }

  @Test
  void aConditionThatNeverComesFailsAfterOnePlusNumRetriesChecksNamingTheObject() {
    deploymentWithStatus("stuck", """
        observedGeneration: 1
        conditions:
        - {type: Available, status: "False", reason: MinimumReplicasUnavailable, message: Deployment does not have minimum availability.}
        """);

    Throwable e = failure(run("""
        {initialDelaySeconds: 0, intervalSeconds: 0.01, numRetries: 3,
         objRefs: [{kind: Deployment, name: stuck, waitFor: condition=Available}]}
        """));

    assertThat(e).isInstanceOf(TaskException.class).hasMessage(
        "not ready after 4 checks: Deployment shop/stuck (apps/v1): condition Available is False, not True "
            + "(MinimumReplicasUnavailable: Deployment does not have minimum availability.)");
    assertThat(gets("/apis/apps/v1/namespaces/shop/deployments/stuck")).isEqualTo(4);
  }

  @Test
  void conditionAvailableInTheOriginalsLowerCaseIsMetByAnAvailableDeployment() {
    deploymentWithStatus("ready", """
        observedGeneration: 1
        readyReplicas: 2
        conditions: [{type: Available, status: "True"}, {type: Progressing, status: "True"}]
        """);

    TaskOutcome outcome = await(run("""
        {initialDelaySeconds: 0, objRefs: [
          {kind: deployment, name: ready, waitFor: condition=available},
          {kind: deployments.apps, namespace: shop, name: ready, waitFor: "jsonpath={.status.readyReplicas}=2"}]}
        """));

    assertThat(outcome.message()).startsWith("1 object(s) ready");
    assertThat(gets("/apis/apps/v1/namespaces/shop/deployments/ready")).isEqualTo(1);
  }

  @Test
  void aConditionFromAnOlderGenerationIsNotReady() {
    JsonNode ready = deploymentWithStatus("updated", """
        observedGeneration: 1
        conditions: [{type: Available, status: "True"}]
        """);
    ObjectNode newSpec = ready.deepCopy();
    ((ObjectNode) newSpec.get("spec")).put("replicas", 3);
    await(ops.replace(ResourceKind.DEPLOYMENT, "shop", "updated", newSpec));

    Throwable e = failure(run("{initialDelaySeconds: 0, numRetries: 0, objRefs: [{kind: Deployment, name: updated, waitFor: condition=Available}]}"));

    assertThat(e).hasMessageContaining("condition Available is from generation 1, the object is at generation 2");
  }

  @Test
  void knativeServicesAreFoundByTheirShortName() {
    JsonNode created = await(ops.create(ResourceKind.KNATIVE_SERVICE, "shop", ApiMapper.read("""
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: hello, namespace: shop}
        spec: {template: {spec: {containers: [{image: "hello:1"}]}}}
        """, JsonNode.class)));
    ObjectNode ready = created.deepCopy();
    ready.set("status", ApiMapper.read("{conditions: [{type: Ready, status: \"True\"}]}", JsonNode.class));
    await(ops.replaceStatus(ResourceKind.KNATIVE_SERVICE, "shop", "hello", ready));

    TaskOutcome outcome = await(run("{initialDelaySeconds: 0, numRetries: 0, objRefs: [{kind: ksvc, name: hello, waitFor: condition=Ready}]}"));

    assertThat(outcome.message()).isEqualTo("1 object(s) ready: Service shop/hello (serving.knative.dev/v1)");
  }

  @Test
  void everyWeightObjRefObjectMustExistToo() {
    Experiment istio = experiment("""
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: exp, namespace: shop}
        spec:
          target: shop/backend
          strategy: {testingPattern: Canary}
          versionInfo:
            baseline:
              name: baseline
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: routes, fieldPath: ".spec.http[0].route[0].weight"}
            candidates:
            - name: candidate
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: routes, fieldPath: ".spec.http[0].route[1].weight"}
        """);
    String with = "{initialDelaySeconds: 0, numRetries: 0}";

    Throwable missing = failure(run(istio, with));
    await(ops.create(ResourceKind.VIRTUAL_SERVICE, "shop", ApiMapper.read("""
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: routes, namespace: shop}
        spec: {hosts: [backend]}
        """, JsonNode.class)));
    TaskOutcome present = await(run(istio, with));

    assertThat(missing).hasMessage(
        "not ready after 1 checks: VirtualService shop/routes (networking.istio.io/v1beta1): not found");
    assertThat(present.message()).isEqualTo("1 object(s) ready: VirtualService shop/routes (networking.istio.io/v1beta1)");
  }

  @Test
  void anUnknownKindFailsAtOnceWithoutWaiting() {
    int before = api.requests().entries().size();

    Throwable e = failure(run("{initialDelaySeconds: 600, objRefs: [{kind: Gadget, name: g}]}"));

    assertThat(e).hasMessageStartingWith("with.objRefs[0]: unknown kind Gadget; the agent knows ")
        .hasMessageContaining("Deployment.apps/v1");
    assertThat(api.requests().entries()).hasSize(before);
  }

  @Test
  void unsupportedWaitForAndOverlongWaitsAreRejectedUpFront() {
    assertThat(failure(run("{objRefs: [{kind: Deployment, name: x, waitFor: delete}]}")))
        .hasMessageStartingWith("with.objRefs[0].waitFor: waitFor \"delete\" is not supported");
    assertThat(failure(run("{numRetries: 100000, intervalSeconds: 5, objRefs: [{kind: Deployment, name: x}]}")))
        .hasMessage("initialDelaySeconds + numRetries × intervalSeconds is 500005 s, more than the 3600 s a readiness task may wait");
    assertThat(failure(run("{objRefs: [{kind: Deployment}]}"))).hasMessage("with.objRefs[0].name is required");
  }

  @Test
  void nothingToCheckSucceeds() {
    assertThat(await(run("{}")).message()).isEqualTo("nothing to check: no objRefs and no weightObjRefs");
  }
}
