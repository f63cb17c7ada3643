package tools.iter8.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.failure;
import static tools.iter8.agent.routing.EmulatedCluster.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.routing.EmulatedCluster;
import tools.iter8.agent.routing.ReplicaSets;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.workload.TemplateHash;

class DeploymentHandlerTest {
  private static final String NS = "deploy";
  private static final JsonNode BASELINE_TEMPLATE =
      yaml("{metadata: {labels: {app: shop}}, spec: {containers: [{name: shop, image: 'shop:1'}]}}");
  private static final JsonNode CANDIDATE_TEMPLATE =
      yaml("{metadata: {labels: {app: shop}}, spec: {containers: [{name: shop, image: 'shop:2'}]}}");
  private static final String BASELINE_HASH = TemplateHash.of(BASELINE_TEMPLATE);
  private static final String CANDIDATE_HASH = TemplateHash.of(CANDIDATE_TEMPLATE);
  private static final String EXPERIMENT_UID = "0c6e6a4e-0000-4000-8000-00000000000a";

  private static EmulatedCluster kube;
  private static DeploymentHandler handler;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    handler = handler(Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  @BeforeEach
  void forgetRequests() {
    kube.api().requests().clear();
  }

  private static DeploymentHandler handler(Duration timeout) {
    return new DeploymentHandler(
        kube.ops(), new ReplicaSets(kube.ops()),
        new DeploymentReadiness(kube.ops(), kube.vertx(), Clock.systemUTC(), Duration.ofMillis(20), timeout));
  }

  private static String candidate(String workload) {
    return workload + "-1a2b3c4d";
  }

  private static Experiment experiment(String workload, String router) {
    return EmulatedCluster.experiment("""
        metadata: {name: %2$s, namespace: deploy, uid: %3$s}
        spec:
          target: deploy/%1$s
          targetRef: {apiVersion: apps/v1, kind: Deployment, namespace: deploy, name: %1$s}
          routing: %6$s
          versionInfo:
            baseline:
              name: baseline
              variables: [{name: namespace, value: deploy}, {name: workload, value: %1$s}, {name: hash, value: %4$s}]
            candidates:
            - name: candidate
              variables: [{name: namespace, value: deploy}, {name: workload, value: %2$s}, {name: hash, value: %5$s}]
        """.formatted(workload, candidate(workload), EXPERIMENT_UID, BASELINE_HASH, CANDIDATE_HASH, router));
  }

  private static Experiment experiment(String workload) {
    return experiment(workload, "{router: Replicas}");
  }

  /**
   * A labeled Deployment as the webhook leaves it on an UPDATE: paused on the new template, with the
   * experiment recorded; and, unless told otherwise, the ReplicaSet still running the baseline next to an
   * older one.
   */
  private static JsonNode stagedWorkload(String name, String extraAnnotations, boolean baselineReplicaSet) {
    ObjectNode deployment = (ObjectNode) yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: %1$s
          namespace: deploy
          labels: {app: shop, iter8.tools/watch: "true"}
          annotations:
            iter8.tools/experiment: %2$s
            iter8.tools/experiment-spec: '{"big": "json"}'
            iter8.tools/baseline-hash: %3$s
            iter8.tools/candidate-hash: %4$s
            iter8.tools/status: experiment %2$s started for template %4$s
            %5$s
        spec:
          paused: true
          replicas: 3
          strategy: {type: RollingUpdate}
          selector: {matchLabels: {app: shop}}
        """.formatted(name, candidate(name), BASELINE_HASH, CANDIDATE_HASH, extraAnnotations));
    ((ObjectNode) deployment.get("spec")).set("template", CANDIDATE_TEMPLATE.deepCopy());
    JsonNode created = await(kube.setup().create(ResourceKind.DEPLOYMENT, NS, deployment));
    if (baselineReplicaSet) {
      replicaSet(created, name + "-7d9f8", "7d9f8", BASELINE_TEMPLATE);
    }
    replicaSet(created, name + "-5c4b3", "5c4b3", yaml("{metadata: {labels: {app: shop}}, spec: {containers: [{name: shop, image: 'shop:0'}]}}"));
    return created;
  }

  private static void replicaSet(JsonNode owner, String name, String podTemplateHash, JsonNode template) {
    ObjectNode rs = (ObjectNode) yaml("""
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: %s
          namespace: deploy
          labels: {app: shop, pod-template-hash: %s}
          ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: %s, uid: %s, controller: true}]
        spec:
          replicas: 3
          selector: {matchLabels: {app: shop, pod-template-hash: %s}}
        """.formatted(name, podTemplateHash, owner.at("/metadata/name").asText(), owner.at("/metadata/uid").asText(), podTemplateHash));
    ObjectNode withHash = template.deepCopy();
    ((ObjectNode) withHash.at("/metadata/labels")).put("pod-template-hash", podTemplateHash);
    ((ObjectNode) rs.get("spec")).set("template", withHash);
    await(kube.setup().create(ResourceKind.REPLICA_SET, NS, rs));
  }

  private static JsonNode deployment(String name) {
    return kube.get(ResourceKind.DEPLOYMENT, NS, name);
  }

  private static String annotation(JsonNode object, String key) {
    JsonNode value = object.at("/metadata/annotations").path(key);
    return value.isTextual() ? value.textValue() : null;
  }

  /** What the Deployment controller would report once the current template runs on every replica. */
  private static void rolledOut(String name) {
    long generation = deployment(name).at("/metadata/generation").asLong();
    kube.writeStatus(ResourceKind.DEPLOYMENT, NS, name,
        "{observedGeneration: %d, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}".formatted(generation));
  }

  @Test
  void prepareCreatesTheCandidateFromTheStagedTemplate() {
    stagedWorkload("shop", "", true);

    await(handler.prepare(experiment("shop")));

    JsonNode candidate = deployment(candidate("shop"));
    assertThat(candidate.at("/spec/replicas").asInt()).as("the Replicas router scales it").isZero();
    assertThat(candidate.at("/spec/paused").isMissingNode()).isTrue();
    assertThat(candidate.at("/spec/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(candidate.at("/spec/selector/matchLabels")).isEqualTo(yaml("{app: shop, iter8.tools/version: candidate}"));
    assertThat(candidate.at("/spec/template/metadata/labels")).isEqualTo(yaml("{app: shop, iter8.tools/version: candidate}"));
    assertThat(candidate.at("/spec/template/spec")).isEqualTo(CANDIDATE_TEMPLATE.path("spec"));
    assertThat(candidate.at("/metadata/labels"))
        .as("not watched itself")
        .isEqualTo(yaml("{app: shop, iter8.tools/experiment: shop-1a2b3c4d, iter8.tools/version: candidate}"));
    assertThat(candidate.at("/metadata/ownerReferences")).isEqualTo(yaml("""
        [{apiVersion: iter8.tools/v2alpha2, kind: Experiment, name: shop-1a2b3c4d, uid: %s, controller: true}]
        """.formatted(EXPERIMENT_UID)));
  }

  @Test
  void prepareTwiceLeavesOneCandidate() {
    stagedWorkload("twice", "", true);

    await(handler.prepare(experiment("twice")));
    await(handler.prepare(experiment("twice")));

    assertThat(await(kube.setup().list(ResourceKind.DEPLOYMENT, NS, "iter8.tools/experiment=twice-1a2b3c4d"))).hasSize(1);
  }

  @Test
  void prepareUnderIstioLeavesStartingTheCandidateToTheRouter() {
    stagedWorkload("meshed", "", true);

    await(handler.prepare(experiment("meshed", "{router: Istio, objRef: {kind: VirtualService, name: meshed}}")));

    assertThat(deployment(candidate("meshed")).at("/spec/replicas").asInt()).isZero();
  }

  @Test
  void prepareUnderGatewayApiStartsTheCandidateWithTheBaselinesReplicas() {
    stagedWorkload("gated", "", true);

    await(handler.prepare(experiment("gated", "{router: GatewayAPI, objRef: {kind: HTTPRoute, name: gated}}")));

    assertThat(deployment(candidate("gated")).at("/spec/replicas").asInt()).isEqualTo(3);
  }

  @Test
  void prepareWithoutTheDeploymentIsAnErrorNamingIt() {
    assertThat(failure(handler.prepare(experiment("ghost"))))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("Deployment deploy/ghost")
        .hasMessageContaining("not found");
  }

  @Test
  void promoteUnpausesWaitsUntilAvailableThenRemovesTheCandidateAndTheRecord() {
    stagedWorkload("winner", "", true);
    await(handler.prepare(experiment("winner")));

    Future<Void> promoted = handler.promote(experiment("winner"));
    await().atMost(Duration.ofSeconds(10)).until(() -> deployment("winner").at("/spec/paused").isMissingNode());

    assertThat(promoted.isComplete()).as("waits for the rollout").isFalse();
    assertThat(kube.exists(ResourceKind.DEPLOYMENT, NS, candidate("winner"))).as("the candidate serves meanwhile").isTrue();

    rolledOut("winner");
    await(promoted);

    JsonNode d = deployment("winner");
    assertThat(kube.exists(ResourceKind.DEPLOYMENT, NS, candidate("winner"))).isFalse();
    assertThat(d.at("/spec/template")).as("what the user applied").isEqualTo(CANDIDATE_TEMPLATE);
    assertThat(d.at("/metadata/annotations")).isEqualTo(yaml(
        "{iter8.tools/status: 'promoted: template %s won experiment winner-1a2b3c4d'}".formatted(CANDIDATE_HASH)));
  }

  @Test
  void promoteGivesUpAfterTheTimeoutWithTheRolloutStateAndKeepsTheCandidate() {
    stagedWorkload("stuck", "", true);
    await(handler.prepare(experiment("stuck")));

    assertThat(failure(handler(Duration.ofMillis(200)).promote(experiment("stuck"))))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("Deployment deploy/stuck did not become available")
        .hasMessageContaining("0 updated and 0 available of 3 replicas");
    assertThat(kube.exists(ResourceKind.DEPLOYMENT, NS, candidate("stuck"))).isTrue();
    assertThat(annotation(deployment("stuck"), "iter8.tools/experiment")).isEqualTo("stuck-1a2b3c4d");
  }

  @Test
  void promoteAgainAfterItCompletedChangesNothing() {
    stagedWorkload("again", "", true);
    Future<Void> first = handler.promote(experiment("again"));
    await().atMost(Duration.ofSeconds(10)).until(() -> deployment("again").at("/spec/paused").isMissingNode());
    rolledOut("again");
    await(first);
    JsonNode promoted = deployment("again");
    kube.api().requests().clear();

    await(handler.promote(experiment("again")));

    assertThat(kube.writes()).allSatisfy(w -> assertThat(w.method()).isEqualTo("DELETE"));
    assertThat(deployment("again")).isEqualTo(promoted);
  }

  @Test
  void promoteOfASupersededExperimentFailsAndTouchesNothing() {
    stagedWorkload("superseded", "", true);
    await(kube.setup().mergePatch(ResourceKind.DEPLOYMENT, NS, "superseded",
        (ObjectNode) yaml("{metadata: {annotations: {iter8.tools/experiment: superseded-99999999}}}")));
    kube.api().requests().clear();

    assertThat(failure(handler.promote(experiment("superseded"))))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("now records experiment superseded-99999999");
    assertThat(kube.writes()).isEmpty();
  }

  @Test
  void rollbackRestoresTheBaselineTemplateUnpausesAndRecordsTheRejectedTemplate() {
    stagedWorkload("loser", "iter8.tools/retry: '2'", true);
    await(handler.prepare(experiment("loser")));

    await(handler.rollback(experiment("loser"), "error-rate 0.07 above 0.01"));

    JsonNode d = deployment("loser");
    assertThat(d.at("/spec/template")).isEqualTo(BASELINE_TEMPLATE);
    assertThat(TemplateHash.of(d.at("/spec/template"))).isEqualTo(BASELINE_HASH);
    assertThat(d.at("/spec/paused").isMissingNode()).isTrue();
    assertThat(d.at("/metadata/annotations")).isEqualTo(yaml("""
        iter8.tools/retry: '2'
        iter8.tools/rejected-hash: %1$s
        iter8.tools/rejected-retry: '2'
        iter8.tools/rejected-experiment: loser-1a2b3c4d
        iter8.tools/status: 'rejected: template %1$s lost experiment loser-1a2b3c4d: error-rate 0.07 above 0.01'
        """.formatted(CANDIDATE_HASH)));
    assertThat(kube.exists(ResourceKind.DEPLOYMENT, NS, candidate("loser"))).isFalse();
  }

  @Test
  void rollbackWithoutRetryLeavesNoRejectedRetry() {
    stagedWorkload("noretry", "iter8.tools/rejected-retry: old", true);

    await(handler.rollback(experiment("noretry"), "lost"));

    assertThat(annotation(deployment("noretry"), "iter8.tools/rejected-retry")).isNull();
    assertThat(annotation(deployment("noretry"), "iter8.tools/rejected-hash")).isEqualTo(CANDIDATE_HASH);
  }

  @Test
  void rollbackWithoutTheBaselineReplicaSetChangesNothingAndSaysWhatIsLeft() {
    JsonNode staged = stagedWorkload("orphan", "", false);
    await(handler.prepare(experiment("orphan")));
    kube.api().requests().clear();

    assertThat(failure(handler.rollback(experiment("orphan"), "lost")))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("no ReplicaSet it owns runs the baseline template " + BASELINE_HASH)
        .hasMessageContaining("stays paused on the rejected template")
        .hasMessageContaining("orphan-1a2b3c4d keeps running");
    assertThat(kube.writes()).isEmpty();
    assertThat(deployment("orphan")).isEqualTo(staged);
    assertThat(kube.exists(ResourceKind.DEPLOYMENT, NS, candidate("orphan"))).isTrue();
  }

  @Test
  void aWriteThatEndsTheRecordFailsOnceTheWorkloadNamesANewerExperiment() {
    stagedWorkload("raced", "", true);
    // A newer version was applied after the handler read the workload: the webhook recorded a new experiment.
    await(kube.setup().mergePatch(ResourceKind.DEPLOYMENT, NS, "raced",
        (ObjectNode) yaml("{metadata: {annotations: {iter8.tools/experiment: raced-99999999}}}")));

    var patch = WorkloadRecord.guarded(experiment("raced")).replace("/spec/template", BASELINE_TEMPLATE);

    assertThat(failure(kube.setup().jsonPatch(ResourceKind.DEPLOYMENT, NS, "raced", patch.ops()))).isNotNull();
    assertThat(deployment("raced").at("/spec/template")).isEqualTo(CANDIDATE_TEMPLATE);
  }

  @Test
  void abandonDeletesOnlyTheCandidate() {
    JsonNode staged = stagedWorkload("old", "", true);
    await(handler.prepare(experiment("old")));

    await(handler.abandon(experiment("old"), "superseded by old-2b3c4d5e"));

    assertThat(kube.exists(ResourceKind.DEPLOYMENT, NS, candidate("old"))).isFalse();
    assertThat(deployment("old")).isEqualTo(staged);
  }
}
