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

class KnativeServiceHandlerTest {
  private static final String NS = "knative-handler";
  private static EmulatedCluster kube;
  private static KnativeServiceHandler handler;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    handler = new KnativeServiceHandler(kube.ops());
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
        metadata: {name: %1$s-1a2b3c4d, namespace: knative-handler}
        spec:
          target: knative-handler/%1$s
          targetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: %1$s}
          routing: {router: Knative}
          versionInfo:
            baseline: {name: baseline, variables: [{name: revision, value: %1$s-00001}, {name: hash, value: aaaa}]}
            candidates: [{name: candidate, variables: [{name: hash, value: bbbb}]}]
        """.formatted(name));
  }

  /** A Service as the webhook stages it, with the user's own traffic saved as {@code userTraffic}. */
  private static JsonNode staged(String name, String userTraffic) {
    return kube.create(ResourceKind.KNATIVE_SERVICE, """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata:
          name: %1$s
          namespace: knative-handler
          annotations:
            iter8.tools/experiment: %1$s-1a2b3c4d
            iter8.tools/experiment-spec: '{}'
            iter8.tools/baseline-hash: aaaa
            iter8.tools/candidate-hash: bbbb
            iter8.tools/baseline-traffic: '%2$s'
        spec:
          template: {spec: {containers: [{image: 'app:2'}]}}
          traffic:
          - {revisionName: %1$s-00001, percent: 60}
          - {latestRevision: true, percent: 40, tag: candidate}
        """.formatted(name, userTraffic));
  }

  private static JsonNode service(String name) {
    return kube.get(ResourceKind.KNATIVE_SERVICE, NS, name);
  }

  @Test
  void promoteRestoresTheUsersOwnTrafficAndEndsTheRecord() {
    staged("own", "[{\"latestRevision\":true,\"percent\":100,\"tag\":\"live\"}]");

    await(handler.promote(experiment("own")));

    JsonNode s = service("own");
    assertThat(s.at("/spec/traffic")).isEqualTo(yaml("[{latestRevision: true, percent: 100, tag: live}]"));
    assertThat(s.at("/metadata/annotations"))
        .isEqualTo(yaml("{iter8.tools/status: 'promoted: template bbbb won experiment own-1a2b3c4d'}"));
  }

  @Test
  void promoteWithoutUserTrafficRemovesItSoKnativeRoutesToTheLatest() {
    staged("none", "null");

    await(handler.promote(experiment("none")));

    assertThat(service("none").at("/spec/traffic").isMissingNode()).isTrue();
  }

  @Test
  void rollbackSendsEverythingToTheBaselineRevisionAndStaysStaged() {
    staged("loser", "null");

    await(handler.rollback(experiment("loser"), "latency-p95 above 300"));

    JsonNode s = service("loser");
    assertThat(s.at("/spec/traffic")).isEqualTo(yaml("[{revisionName: loser-00001, percent: 100}]"));
    assertThat(s.at("/metadata/annotations")).isEqualTo(yaml("""
        iter8.tools/baseline-hash: aaaa
        iter8.tools/baseline-traffic: 'null'
        iter8.tools/rejected-hash: bbbb
        iter8.tools/rejected-experiment: loser-1a2b3c4d
        iter8.tools/status: 'rejected: template bbbb lost experiment loser-1a2b3c4d: latency-p95 above 300'
        """));
  }

  @Test
  void promoteTwiceWritesOnce() {
    staged("twice", "null");
    await(handler.promote(experiment("twice")));
    kube.api().requests().clear();

    await(handler.promote(experiment("twice")));

    assertThat(kube.writes()).isEmpty();
  }

  @Test
  void prepareAndAbandonHaveNothingToDo() {
    JsonNode before = staged("idle", "null");

    await(handler.prepare(experiment("idle")));
    await(handler.abandon(experiment("idle"), "superseded"));

    assertThat(kube.writes()).hasSize(1); // the create above
    assertThat(service("idle")).isEqualTo(before);
  }

  @Test
  void aMissingServiceIsAnErrorNamingIt() {
    assertThat(failure(handler.promote(experiment("ghost"))))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("Service knative-handler/ghost")
        .hasMessageContaining("not found");
  }
}
