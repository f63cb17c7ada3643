package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.failure;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;

class KServeRouterTest {
  private static final String NS = "kserve";
  private static EmulatedCluster kube;
  private static KServeRouter router;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    router = new KServeRouter(kube.ops());
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  private static Experiment experiment(String name) {
    return EmulatedCluster.experiment("""
        metadata: {name: %1$s-1a2b3c4d, namespace: kserve}
        spec:
          target: kserve/%1$s
          targetRef: {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: %1$s}
          routing: {router: KServe}
          versionInfo: {baseline: {name: baseline}, candidates: [{name: candidate}]}
        """.formatted(name));
  }

  private void inferenceService(String name, String canary) {
    kube.create(ResourceKind.INFERENCE_SERVICE, """
        apiVersion: serving.kserve.io/v1beta1
        kind: InferenceService
        metadata: {name: %s, namespace: kserve}
        spec: {predictor: {%s model: {modelFormat: {name: sklearn}, storageUri: "gs://models/v2"}}}
        """.formatted(name, canary));
  }

  @Test
  void theCandidateGetsCanaryTrafficPercentAndTheBaselineTheRest() {
    inferenceService("staged", "canaryTrafficPercent: 0,");

    assertThat(await(router.read(experiment("staged")))).containsExactly(Map.entry("baseline", 100), Map.entry("candidate", 0));

    await(router.apply(experiment("staged"), Map.of("baseline", 85, "candidate", 15)));

    assertThat(kube.get(ResourceKind.INFERENCE_SERVICE, NS, "staged").at("/spec/predictor/canaryTrafficPercent").asInt())
        .isEqualTo(15);
    assertThat(await(router.read(experiment("staged")))).containsExactly(Map.entry("baseline", 85), Map.entry("candidate", 15));
  }

  @Test
  void withoutCanaryTrafficPercentTheLatestRevisionGetsEverything() {
    inferenceService("unstaged", "");

    assertThat(await(router.read(experiment("unstaged")))).containsExactly(Map.entry("baseline", 0), Map.entry("candidate", 100));
  }

  @Test
  void applyingTheSameWeightTwiceWritesOnce() {
    inferenceService("twice", "canaryTrafficPercent: 0,");
    await(router.apply(experiment("twice"), Map.of("baseline", 70, "candidate", 30)));
    kube.api().requests().clear();

    await(router.apply(experiment("twice"), Map.of("baseline", 70, "candidate", 30)));

    assertThat(kube.writes()).isEmpty();
  }

  @Test
  void aMissingInferenceServiceIsAnErrorNamingIt() {
    assertThat(failure(router.read(experiment("absent"))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("InferenceService kserve/absent")
        .hasMessageContaining("not found");
  }
}
