package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.failure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;

class KnativeRouterTest {
  private static final String NS = "knative";
  private static EmulatedCluster kube;
  private static KnativeRouter router;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    router = new KnativeRouter(kube.ops());
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  private static Experiment generated(String name, String candidateVariables) {
    return EmulatedCluster.experiment("""
        metadata: {name: %1$s-1a2b3c4d, namespace: knative}
        spec:
          target: knative/%1$s
          targetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: %1$s}
          routing: {router: Knative}
          versionInfo:
            baseline:
              name: baseline
              variables: [{name: revision, value: %1$s-00001}]
            candidates:
            - name: candidate
              variables: [%2$s]
        """.formatted(name, candidateVariables));
  }

  /** The traffic the webhook pins while a version is staged, with the pin listed second-first to prove order does not matter. */
  private void pinnedService(String name) {
    kube.create(ResourceKind.KNATIVE_SERVICE, """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: %1$s, namespace: knative}
        spec:
          template: {spec: {containers: [{image: app:2}]}}
          traffic:
          - {latestRevision: true, percent: 0, tag: candidate}
          - {revisionName: %1$s-00001, percent: 100}
        """.formatted(name));
  }

  @Test
  void readsThePinnedSplitByContentNotPosition() {
    pinnedService("pinned");

    assertThat(await(router.read(generated("pinned", "{name: hash, value: abc}"))))
        .containsExactly(Map.entry("baseline", 100), Map.entry("candidate", 0));
  }

  @Test
  void patchesThePercentOfEachVersionsEntry() {
    pinnedService("split");

    await(router.apply(generated("split", "{name: hash, value: abc}"), Map.of("baseline", 70, "candidate", 30)));

    JsonNode traffic = kube.get(ResourceKind.KNATIVE_SERVICE, NS, "split").at("/spec/traffic");
    assertThat(traffic.get(0).path("percent").asInt()).isEqualTo(30);
    assertThat(traffic.get(0).path("tag").asText()).isEqualTo("candidate");
    assertThat(traffic.get(1).path("percent").asInt()).isEqualTo(70);
  }

  @Test
  void aCandidateRevisionVariableWinsOverTheTag() {
    kube.create(ResourceKind.KNATIVE_SERVICE, """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: named, namespace: knative}
        spec:
          traffic:
          - {revisionName: named-00001, percent: 80}
          - {revisionName: named-00002, percent: 20}
          - {latestRevision: true, percent: 0, tag: candidate}
        """);

    assertThat(await(router.read(generated("named", "{name: revision, value: named-00002}"))))
        .containsExactly(Map.entry("baseline", 80), Map.entry("candidate", 20));
  }

  @Test
  void applyingTheSameSplitTwiceWritesOnce() {
    pinnedService("twice");
    await(router.apply(generated("twice", "{name: hash, value: abc}"), Map.of("baseline", 90, "candidate", 10)));
    JsonNode first = kube.get(ResourceKind.KNATIVE_SERVICE, NS, "twice");
    kube.api().requests().clear();

    await(router.apply(generated("twice", "{name: hash, value: abc}"), Map.of("baseline", 90, "candidate", 10)));

    assertThat(kube.writes()).isEmpty();
    assertThat(kube.get(ResourceKind.KNATIVE_SERVICE, NS, "twice")).isEqualTo(first);
  }

  @Test
  void aServiceWithoutTrafficIsAnError() {
    kube.create(ResourceKind.KNATIVE_SERVICE, """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: unpinned, namespace: knative}
        spec: {template: {spec: {containers: [{image: app:1}]}}}
        """);

    assertThat(failure(router.read(generated("unpinned", "{name: hash, value: abc}"))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("Knative Service knative/unpinned has no spec.traffic");
  }

  @Test
  void aMissingServiceIsAnErrorNamingIt() {
    assertThat(failure(router.apply(generated("absent", "{name: hash, value: abc}"), Map.of("baseline", 100, "candidate", 0))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("Knative Service knative/absent")
        .hasMessageContaining("not found");
  }
}
