package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.experiment;
import static tools.iter8.agent.routing.EmulatedCluster.failure;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;

class ReplicaRouterTest {
  private static final String NS = "replicas";
  private static EmulatedCluster kube;
  private static ReplicaRouter router;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    router = new ReplicaRouter(kube.ops());
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  @ParameterizedTest(name = "N={0}, w={1}% -> k={2}")
  @CsvSource({
    // N, w, k: smallest k with k/(N+k) >= w/100, at most N
    "4, 0, 0",
    "4, 20, 1",
    "4, 21, 2",
    "4, 34, 3",
    "4, 50, 4",
    "4, 80, 4",
    "4, 100, 4",
    "3, 10, 1",
    "9, 10, 1",
    "10, 10, 2",
    "1, 1, 1",
    "1, 50, 1",
    "0, 30, 0",
    "20, 5, 2"
  })
  void candidateReplicasAreTheSmallestCountReachingTheWeightCappedAtTheBaseline(int n, int w, int k) {
    assertThat(ReplicaRouter.candidateReplicas(n, w)).isEqualTo(k);
  }

  @ParameterizedTest(name = "N={0}, k={1} -> {2}%")
  @CsvSource({"4, 0, 0", "4, 1, 20", "4, 4, 50", "3, 1, 25", "3, 2, 40", "0, 0, 0", "2, 1, 33"})
  void candidateWeightIsItsRoundedShareOfPods(int n, int k, int w) {
    assertThat(ReplicaRouter.candidateWeight(n, k)).isEqualTo(w);
  }

  private static Experiment experiment(String name, String candidateWorkload) {
    return EmulatedCluster.experiment("""
        metadata: {name: %1$s, namespace: replicas}
        spec:
          target: replicas/%1$s
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: %1$s}
          routing: {router: Replicas}
          versionInfo:
            baseline:
              name: baseline
              variables: [{name: workload, value: %1$s}]
            candidates:
            - name: candidate
              variables: [{name: workload, value: %2$s}]
        """.formatted(name, candidateWorkload));
  }

  private void deployment(String name, int replicas) {
    kube.create(ResourceKind.DEPLOYMENT, """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: replicas}
        spec:
          replicas: %d
          selector: {matchLabels: {app: shop}}
          template: {metadata: {labels: {app: shop}}, spec: {containers: [{name: app, image: shop:1}]}}
        """.formatted(name, replicas));
  }

  @Test
  void scalesOnlyTheCandidateToReachTheWeight() {
    deployment("shop", 4);
    deployment("shop-1a2b3c4d", 0);

    await(router.apply(experiment("shop", "shop-1a2b3c4d"), Map.of("baseline", 80, "candidate", 20)));

    assertThat(kube.get(ResourceKind.DEPLOYMENT, NS, "shop-1a2b3c4d").at("/spec/replicas").asInt()).isEqualTo(1);
    assertThat(kube.get(ResourceKind.DEPLOYMENT, NS, "shop").at("/spec/replicas").asInt())
        .as("the user's replicas never drift").isEqualTo(4);
    assertThat(await(router.read(experiment("shop", "shop-1a2b3c4d"))))
        .containsExactly(Map.entry("baseline", 80), Map.entry("candidate", 20));
  }

  @Test
  void weightZeroScalesTheCandidateToZero() {
    deployment("zero", 3);
    deployment("zero-cand", 2);

    await(router.apply(experiment("zero", "zero-cand"), Map.of("baseline", 100, "candidate", 0)));

    assertThat(kube.get(ResourceKind.DEPLOYMENT, NS, "zero-cand").at("/spec/replicas").asInt()).isZero();
    assertThat(await(router.read(experiment("zero", "zero-cand"))))
        .containsExactly(Map.entry("baseline", 100), Map.entry("candidate", 0));
  }

  @Test
  void weightsAboveHalfAreCappedAtTheBaselinesReplicas() {
    deployment("cap", 2);
    deployment("cap-cand", 0);

    await(router.apply(experiment("cap", "cap-cand"), Map.of("baseline", 10, "candidate", 90)));

    assertThat(kube.get(ResourceKind.DEPLOYMENT, NS, "cap-cand").at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(await(router.read(experiment("cap", "cap-cand"))))
        .containsExactly(Map.entry("baseline", 50), Map.entry("candidate", 50));
  }

  @Test
  void applyingTheSameWeightTwiceWritesOnce() {
    deployment("twice", 4);
    deployment("twice-cand", 0);
    await(router.apply(experiment("twice", "twice-cand"), Map.of("baseline", 60, "candidate", 40)));
    var first = kube.get(ResourceKind.DEPLOYMENT, NS, "twice-cand");
    kube.api().requests().clear();

    await(router.apply(experiment("twice", "twice-cand"), Map.of("baseline", 60, "candidate", 40)));

    assertThat(kube.writes()).isEmpty();
    assertThat(kube.get(ResourceKind.DEPLOYMENT, NS, "twice-cand")).isEqualTo(first);
  }

  @Test
  void aMissingCandidateDeploymentIsAnErrorNamingIt() {
    deployment("lonely", 2);

    assertThat(failure(router.read(experiment("lonely", "lonely-gone"))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("candidate Deployment replicas/lonely-gone")
        .hasMessageContaining("does not exist");
  }

  @Test
  void aTargetThatIsNotADeploymentIsAnError() {
    Experiment e = EmulatedCluster.experiment("""
        metadata: {name: ksvc, namespace: replicas}
        spec:
          target: replicas/ksvc
          targetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: ksvc}
          versionInfo: {baseline: {name: baseline}, candidates: [{name: candidate}]}
        """);

    assertThat(failure(router.apply(e, Map.of("baseline", 50, "candidate", 50))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("is a Service");
  }
}
