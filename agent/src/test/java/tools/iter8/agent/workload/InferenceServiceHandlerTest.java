package tools.iter8.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.failure;
import static tools.iter8.agent.routing.EmulatedCluster.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.routing.EmulatedCluster;
import tools.iter8.core.api.Experiment;

class InferenceServiceHandlerTest {
  private static final String NS = "kserve-handler";
  private static EmulatedCluster kube;
  private static InferenceServiceHandler handler;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    handler = new InferenceServiceHandler(kube.ops());
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  @BeforeEach
  void forgetRequests() {
    kube.api().requests().clear();
  }

  private static Experiment experiment(String name) {
    return EmulatedCluster.experiment("""
        metadata: {name: %1$s-1a2b3c4d, namespace: kserve-handler}
        spec:
          target: kserve-handler/%1$s
          targetRef: {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: %1$s}
          routing: {router: KServe}
          versionInfo:
            baseline: {name: baseline, variables: [{name: hash, value: aaaa}]}
            candidates: [{name: candidate, variables: [{name: hash, value: bbbb}]}]
        """.formatted(name));
  }

  private static final String BASELINE_PREDICTOR =
      "{\"model\":{\"modelFormat\":{\"name\":\"sklearn\"},\"storageUri\":\"gs://models/v1\"},\"canaryTrafficPercent\":20}";

  private static JsonNode staged(String name, String baselineSpecAnnotation) {
    return kube.create(ResourceKind.INFERENCE_SERVICE, """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata:
          name: %1$s
          namespace: kserve-handler
          annotations:
            iter8.tools/experiment: %1$s-1a2b3c4d
            iter8.tools/experiment-spec: '{}'
            iter8.tools/baseline-hash: aaaa
            iter8.tools/candidate-hash: bbbb
            %2$s
        spec:
          predictor:
            canaryTrafficPercent: 30
            model: {modelFormat: {name: sklearn}, storageUri: 'gs://models/v2'}
        """.formatted(name, baselineSpecAnnotation));
  }

  private static JsonNode isvc(String name) {
    return kube.get(ResourceKind.INFERENCE_SERVICE, NS, name);
  }

  @Test
  void promoteRemovesCanaryTrafficPercentAndEndsTheRecord() {
    staged("winner", "iter8.tools/baseline-spec: '" + BASELINE_PREDICTOR + "'");

    await(handler.promote(experiment("winner")));

    JsonNode i = isvc("winner");
    assertThat(i.at("/spec/predictor")).isEqualTo(yaml("{model: {modelFormat: {name: sklearn}, storageUri: 'gs://models/v2'}}"));
    assertThat(i.at("/metadata/annotations"))
        .isEqualTo(yaml("{iter8.tools/status: 'promoted: template bbbb won experiment winner-1a2b3c4d'}"));
  }

  @Test
  void rollbackRestoresThePreviousPredictorWithoutCanaryTrafficPercent() {
    staged("loser", "iter8.tools/baseline-spec: '" + BASELINE_PREDICTOR + "'");

    await(handler.rollback(experiment("loser"), "accuracy below 0.9"));

    JsonNode i = isvc("loser");
    assertThat(i.at("/spec/predictor")).isEqualTo(yaml("{model: {modelFormat: {name: sklearn}, storageUri: 'gs://models/v1'}}"));
    assertThat(i.at("/metadata/annotations")).isEqualTo(yaml("""
        iter8.tools/rejected-hash: bbbb
        iter8.tools/rejected-experiment: loser-1a2b3c4d
        iter8.tools/status: 'rejected: template bbbb lost experiment loser-1a2b3c4d: accuracy below 0.9'
        """));
  }

  @Test
  void rollbackWithoutTheSavedPredictorChangesNothing() {
    JsonNode before = staged("unsaved", "");
    kube.api().requests().clear();

    assertThat(failure(handler.rollback(experiment("unsaved"), "lost")))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("InferenceService kserve-handler/unsaved")
        .hasMessageContaining("iter8.tools/baseline-spec is missing");
    assertThat(kube.writes()).isEmpty();
    assertThat(isvc("unsaved")).isEqualTo(before);
  }

  @Test
  void rollbackTwiceWritesOnce() {
    staged("twice", "iter8.tools/baseline-spec: '" + BASELINE_PREDICTOR + "'");
    await(handler.rollback(experiment("twice"), "lost"));
    kube.api().requests().clear();

    await(handler.rollback(experiment("twice"), "lost"));

    assertThat(kube.writes()).isEmpty();
  }
}
