package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.failure;
import static tools.iter8.agent.routing.EmulatedCluster.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.workload.TemplateHash;

class IstioRouterTest {
  private static final String NS = "istio";
  private static EmulatedCluster kube;
  private static IstioRouter router;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    router = new IstioRouter(kube.ops(), new ReplicaSets(kube.ops()));
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  @BeforeEach
  void forgetRequests() {
    kube.api().requests().clear();
  }

  /** A hand-written experiment on VirtualService {@code vs}; {@code extra} is YAML under spec.routing. */
  private static Experiment experiment(String name, String vs, String pattern, String routingExtra) {
    return EmulatedCluster.experiment("""
        metadata: {name: %s, namespace: istio, uid: 5e1f0c2a-0000-4000-8000-000000000001}
        spec:
          target: istio/reviews
          strategy: {testingPattern: Canary, deploymentPattern: %s}
          routing:
            router: Istio
            objRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: %s}
            %s
          versionInfo:
            baseline: {name: v1}
            candidates: [{name: v2}]
        """.formatted(name, pattern, vs, routingExtra));
  }

  private static JsonNode createVirtualService(String name, String http) {
    return kube.create(ResourceKind.VIRTUAL_SERVICE, """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: %s, namespace: istio}
        spec:
          hosts: [reviews]
          http: %s
        """.formatted(name, http));
  }

  private static JsonNode vs(String name) {
    return kube.get(ResourceKind.VIRTUAL_SERVICE, NS, name);
  }

  private static final String TWO_SUBSETS_CANDIDATE_FIRST = """
      [{route: [{destination: {host: reviews, subset: v2}, weight: 0}, {destination: {host: reviews, subset: v1}, weight: 100}]}]""";

  @Test
  void findsDestinationsBySubsetNamedAfterTheVersion() {
    createVirtualService("by-subset", TWO_SUBSETS_CANDIDATE_FIRST);
    Experiment e = experiment("by-subset", "by-subset", "Progressive", "");

    assertThat(await(router.read(e))).containsExactly(Map.entry("v1", 100), Map.entry("v2", 0));
    await(router.apply(e, Map.of("v1", 60, "v2", 40)));

    assertThat(vs("by-subset").at("/spec/http/0/route/0/weight").asInt()).isEqualTo(40);
    assertThat(vs("by-subset").at("/spec/http/0/route/1/weight").asInt()).isEqualTo(60);
    assertThat(await(router.read(e))).containsExactly(Map.entry("v1", 60), Map.entry("v2", 40));
  }

  @Test
  void findsDestinationsByTheSubsetVariable() {
    createVirtualService("by-variable", """
        [{route: [{destination: {host: reviews, subset: canary}, weight: 10}, {destination: {host: reviews, subset: stable}, weight: 90}]}]""");
    Experiment e = EmulatedCluster.experiment("""
        metadata: {name: by-variable, namespace: istio}
        spec:
          target: istio/reviews
          routing: {router: Istio, objRef: {kind: VirtualService, name: by-variable}}
          versionInfo:
            baseline: {name: current, variables: [{name: subset, value: stable}]}
            candidates: [{name: next, variables: [{name: subset, value: canary}]}]
        """);

    assertThat(await(router.read(e))).containsExactly(Map.entry("current", 90), Map.entry("next", 10));
  }

  @Test
  void findsDestinationsByPositionWhenNothingNamesThem() {
    createVirtualService("by-position", """
        [{route: [{destination: {host: reviews-v1}}, {destination: {host: reviews-v2}}]}]""");
    Experiment e = experiment("by-position", "by-position", "Progressive", "");

    await(router.apply(e, Map.of("v1", 75, "v2", 25)));

    assertThat(vs("by-position").at("/spec/http/0/route/0/weight").asInt()).isEqualTo(75);
    assertThat(vs("by-position").at("/spec/http/0/route/1/weight").asInt()).isEqualTo(25);
  }

  @Test
  void darkLaunchMirrorsToTheCandidateAndKeepsLiveTrafficOnTheBaseline() {
    createVirtualService("dark", TWO_SUBSETS_CANDIDATE_FIRST);

    await(router.apply(experiment("dark", "dark", "DarkLaunch", ""), Map.of("v1", 50, "v2", 50)));

    JsonNode http = vs("dark").at("/spec/http/0");
    assertThat(http.at("/route/1/weight").asInt()).isEqualTo(100);
    assertThat(http.at("/route/0/weight").asInt()).isZero();
    assertThat(http.path("mirror")).isEqualTo(yaml("{host: reviews, subset: v2}"));
    assertThat(http.at("/mirrorPercentage/value").asInt()).isEqualTo(100);
  }

  @Test
  void darkLaunchMirrorsTheConfiguredPercent() {
    createVirtualService("dark-25", TWO_SUBSETS_CANDIDATE_FIRST);

    await(router.apply(experiment("dark-25", "dark-25", "DarkLaunch", "mirrorPercent: 25"), Map.of("v1", 100, "v2", 0)));

    assertThat(vs("dark-25").at("/spec/http/0/mirrorPercentage/value").asInt()).isEqualTo(25);
  }

  private static final String MATCH = """
      match:
            - headers:
              - {name: User-Agent, exact: beta-tester}
              - {name: x-group, prefix: canary}
            - headers:
              - {name: Cookie, regex: '.*user=(alice|bob).*'}""";

  @Test
  void requestRoutingSendsMatchingRequestsToTheCandidateAndTheRestToTheBaseline() {
    createVirtualService("match", """
        [{name: default, match: [{uri: {prefix: /api}}], timeout: 5s,
          route: [{destination: {host: reviews, subset: v1}, weight: 50}, {destination: {host: reviews, subset: v2}, weight: 50}]}]""");

    await(router.apply(experiment("ab", "match", "Progressive", MATCH), Map.of("v1", 50, "v2", 50)));

    JsonNode http = vs("match").at("/spec/http");
    assertThat(http).hasSize(2);
    assertThat(http.get(0)).isEqualTo(yaml("""
        name: iter8-ab-match
        timeout: 5s
        match:
        - uri: {prefix: /api}
          headers: {user-agent: {exact: beta-tester}, x-group: {prefix: canary}}
        - uri: {prefix: /api}
          headers: {cookie: {regex: '.*user=(alice|bob).*'}}
        route: [{destination: {host: reviews, subset: v2}}]
        """));
    assertThat(http.get(1).path("name").asText()).isEqualTo("default");
    assertThat(http.at("/1/route/0/weight").asInt()).isEqualTo(100);
    assertThat(http.at("/1/route/1/weight").asInt()).isZero();
    assertThat(await(router.read(experiment("ab", "match", "Progressive", MATCH))))
        .containsExactly(Map.entry("v1", 100), Map.entry("v2", 0));
  }

  @Test
  void stickySessionsHashByHeaderInADestinationRuleOwnedByTheExperiment() {
    createVirtualService("sticky", TWO_SUBSETS_CANDIDATE_FIRST);

    await(router.apply(experiment("sticky", "sticky", "Progressive", "sticky: {httpHeaderName: x-user}"), Map.of("v1", 90, "v2", 10)));

    JsonNode rule = kube.get(ResourceKind.DESTINATION_RULE, NS, "sticky-sticky");
    assertThat(rule.path("spec")).isEqualTo(yaml("""
        host: reviews
        trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}}
        """));
    assertThat(rule.at("/metadata/ownerReferences/0/uid").asText()).isEqualTo("5e1f0c2a-0000-4000-8000-000000000001");
    assertThat(rule.at("/metadata/labels/iter8.tools~1experiment").asText()).isEqualTo("sticky");
  }

  @Test
  void switchingStickinessToACookieLeavesOnlyTheCookie() {
    createVirtualService("cookie", TWO_SUBSETS_CANDIDATE_FIRST);
    await(router.apply(experiment("cookie", "cookie", "Progressive", "sticky: {httpHeaderName: x-user}"), Map.of("v1", 90, "v2", 10)));

    await(router.apply(
        experiment("cookie", "cookie", "Progressive", "sticky: {httpCookie: {name: session, path: /}}"), Map.of("v1", 90, "v2", 10)));

    assertThat(kube.get(ResourceKind.DESTINATION_RULE, NS, "cookie-sticky").at("/spec/trafficPolicy/loadBalancer/consistentHash"))
        .isEqualTo(yaml("{httpCookie: {name: session, path: /, ttl: 0s}}"));
  }

  @Test
  void applyingTheSameStateTwiceLeavesEverythingAsItWas() {
    createVirtualService("twice", TWO_SUBSETS_CANDIDATE_FIRST);
    Experiment e = experiment("twice", "twice", "DarkLaunch", "sticky: {httpHeaderName: x-user}\n    " + MATCH);
    await(router.apply(e, Map.of("v1", 100, "v2", 0)));
    JsonNode first = vs("twice");
    kube.api().requests().clear();

    await(router.apply(e, Map.of("v1", 100, "v2", 0)));

    assertThat(kube.writes()).isEmpty();
    assertThat(vs("twice")).isEqualTo(first);
  }

  @Test
  void cleanupRemovesMirrorMatchRouteAndStickyRuleAndKeepsTheWeights() {
    createVirtualService("clean", TWO_SUBSETS_CANDIDATE_FIRST);
    Experiment e = experiment("clean", "clean", "DarkLaunch", "sticky: {httpHeaderName: x-user}\n    " + MATCH);
    await(router.apply(e, Map.of("v1", 100, "v2", 0)));

    await(router.cleanup(e, Map.of("v1", 0, "v2", 100)));

    JsonNode http = vs("clean").at("/spec/http");
    assertThat(http).hasSize(1);
    assertThat(http.get(0).has("mirror")).isFalse();
    assertThat(http.get(0).has("mirrorPercentage")).isFalse();
    assertThat(http.at("/0/route/0/weight").asInt()).isEqualTo(100);
    assertThat(http.at("/0/route/1/weight").asInt()).isZero();
    assertThat(kube.exists(ResourceKind.DESTINATION_RULE, NS, "clean-sticky")).isFalse();
  }

  @Test
  void aMirrorTheUserSetToAnotherHostIsNotIter8sToRemove() {
    createVirtualService("user-mirror", """
        [{route: [{destination: {host: reviews, subset: v1}, weight: 100}, {destination: {host: reviews, subset: v2}, weight: 0}],
          mirror: {host: shadow}}]""");

    await(router.cleanup(experiment("user-mirror", "user-mirror", "Progressive", ""), Map.of("v1", 100, "v2", 0)));

    assertThat(vs("user-mirror").at("/spec/http/0/mirror/host").asText()).isEqualTo("shadow");
  }

  @Test
  void aMissingVirtualServiceIsAnErrorNamingIt() {
    assertThat(failure(router.apply(experiment("nowhere", "nowhere", "Progressive", ""), Map.of("v1", 100, "v2", 0))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("VirtualService istio/nowhere")
        .hasMessageContaining("not found");
  }

  @Test
  void aVersionWithoutDestinationIsAnErrorNamingIt() {
    createVirtualService("one-host", "[{route: [{destination: {host: reviews, subset: v1}}]}]");

    assertThat(failure(router.read(experiment("one-host", "one-host", "Progressive", ""))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("VirtualService istio/one-host: no destination for version v2");
  }

  /** A generated Deployment experiment whose VirtualService routes to the one Service in front of both. */
  @Nested
  class ManagedSubsets {
    private final JsonNode baselineTemplate =
        yaml("{metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: 'web:1'}]}}");
    private final String baselineHash = TemplateHash.of(baselineTemplate);

    private Experiment generated(String name, String workload, String routingExtra) {
      return EmulatedCluster.experiment("""
          metadata: {name: %1$s, namespace: istio}
          spec:
            target: istio/%2$s
            targetRef: {apiVersion: apps/v1, kind: Deployment, name: %2$s}
            strategy: {testingPattern: Canary, deploymentPattern: Progressive}
            routing:
              router: Istio
              objRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: %2$s}
              %4$s
            versionInfo:
              baseline:
                name: baseline
                variables: [{name: workload, value: %2$s}, {name: hash, value: %3$s}]
              candidates:
              - name: candidate
                variables: [{name: workload, value: %1$s}, {name: hash, value: 5b0e7d4e3f9a1c2b}]
          """.formatted(name, workload, baselineHash, routingExtra));
    }

    /** The paused Deployment, the ReplicaSet still running the baseline, and the user's VirtualService. */
    private void workload(String name, boolean withBaselineReplicaSet) {
      JsonNode deployment = kube.create(ResourceKind.DEPLOYMENT, """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: %s, namespace: istio, annotations: {iter8.tools/baseline-hash: %s}}
          spec:
            paused: true
            replicas: 2
            selector: {matchLabels: {app: web}}
            template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: 'web:2'}]}}
          """.formatted(name, baselineHash));
      if (withBaselineReplicaSet) {
        ObjectNode rs = (ObjectNode) yaml("""
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata:
              name: %s-7d9f8
              namespace: istio
              labels: {app: web, pod-template-hash: 7d9f8}
              ownerReferences: [{apiVersion: apps/v1, kind: Deployment, name: %s, uid: %s, controller: true}]
            spec:
              replicas: 2
              selector: {matchLabels: {app: web, pod-template-hash: 7d9f8}}
            """.formatted(name, name, deployment.at("/metadata/uid").asText()));
        ObjectNode template = baselineTemplate.deepCopy();
        ((ObjectNode) template.at("/metadata/labels")).put("pod-template-hash", "7d9f8");
        ((ObjectNode) rs.get("spec")).set("template", template);
        await(kube.setup().create(ResourceKind.REPLICA_SET, NS, rs));
      }
      createVirtualService(name, "[{route: [{destination: {host: %s, port: {number: 80}}}]}]".formatted(name));
    }

    /** The candidate Deployment as the handler creates it (0 replicas), optionally with an available pod. */
    private void candidate(String name, boolean available) {
      kube.create(ResourceKind.DEPLOYMENT, """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: %s, namespace: istio}
          spec:
            replicas: %d
            selector: {matchLabels: {app: web, iter8.tools/version: candidate}}
            template: {metadata: {labels: {app: web, iter8.tools/version: candidate}}, spec: {containers: [{name: web, image: 'web:2'}]}}
          """.formatted(name, available ? 2 : 0));
      if (available) {
        kube.writeStatus(ResourceKind.DEPLOYMENT, NS, name, "{replicas: 2, availableReplicas: 2}");
      }
    }

    @Test
    void beforeTheFirstApplyAllMeshTrafficGoesToTheBaseline() {
      workload("early", true);

      assertThat(await(router.read(generated("early-1a2b3c4d", "early", ""))))
          .containsExactly(Map.entry("baseline", 100), Map.entry("candidate", 0));
    }

    @Test
    void splitsTheOneDestinationIntoVersionSubsetsAndSavesTheUsersRoute() {
      workload("web", true);
      candidate("web-1a2b3c4d", true);
      Experiment e = generated("web-1a2b3c4d", "web", "");

      await(router.apply(e, Map.of("baseline", 90, "candidate", 10)));

      assertThat(kube.get(ResourceKind.DESTINATION_RULE, NS, "web-iter8").path("spec")).isEqualTo(yaml("""
          host: web
          subsets:
          - {name: baseline, labels: {pod-template-hash: 7d9f8}}
          - {name: candidate, labels: {iter8.tools/version: candidate}}
          """));
      JsonNode vs = vs("web");
      assertThat(vs.at("/spec/http/0/route")).isEqualTo(yaml("""
          - {destination: {host: web, port: {number: 80}, subset: baseline}, weight: 90}
          - {destination: {host: web, port: {number: 80}, subset: candidate}, weight: 10}
          """));
      assertThat(ApiMapper.read(vs.at("/metadata/annotations/iter8.tools~1original-route").asText(), JsonNode.class))
          .isEqualTo(yaml("{experiment: web-1a2b3c4d, route: [{destination: {host: web, port: {number: 80}}}]}"));
      assertThat(await(router.read(e))).containsExactly(Map.entry("baseline", 90), Map.entry("candidate", 10));
    }

    @Test
    void cleanupRestoresTheUsersRouteAndDeletesTheSubsets() {
      workload("restore", true);
      candidate("restore-1a2b3c4d", true);
      Experiment e = generated("restore-1a2b3c4d", "restore", "");
      await(router.apply(e, Map.of("baseline", 50, "candidate", 50)));

      await(router.cleanup(e, Map.of("baseline", 0, "candidate", 100)));

      JsonNode vs = vs("restore");
      assertThat(vs.at("/spec/http/0/route")).isEqualTo(yaml("[{destination: {host: restore, port: {number: 80}}}]"));
      assertThat(vs.at("/metadata/annotations").has("iter8.tools/original-route")).isFalse();
      assertThat(kube.exists(ResourceKind.DESTINATION_RULE, NS, "restore-iter8")).isFalse();
    }

    @Test
    void stickySessionsGoIntoTheSubsetsRule() {
      workload("stick", true);

      await(router.apply(generated("stick-1a2b3c4d", "stick", "sticky: {httpHeaderName: x-user}"), Map.of("baseline", 90, "candidate", 10)));

      assertThat(kube.get(ResourceKind.DESTINATION_RULE, NS, "stick-iter8").at("/spec/trafficPolicy/loadBalancer/consistentHash/httpHeaderName").asText())
          .isEqualTo("x-user");
      assertThat(kube.exists(ResourceKind.DESTINATION_RULE, NS, "stick-1a2b3c4d-sticky")).isFalse();
    }

    @Test
    void aNewerExperimentTakesOverAndTheSupersededCleanupLeavesItsRouteAlone() {
      workload("newer", true);
      candidate("newer-00000001", true);
      candidate("newer-00000002", true);
      Experiment first = generated("newer-00000001", "newer", "");
      Experiment second = generated("newer-00000002", "newer", "");
      await(router.apply(first, Map.of("baseline", 80, "candidate", 20)));
      await(router.apply(second, Map.of("baseline", 95, "candidate", 5)));

      await(router.cleanup(first, Map.of("baseline", 100, "candidate", 0)));

      assertThat(vs("newer").at("/spec/http/0/route/1/weight").asInt()).isEqualTo(5);
      assertThat(kube.exists(ResourceKind.DESTINATION_RULE, NS, "newer-iter8")).isTrue();

      await(router.cleanup(second, Map.of("baseline", 100, "candidate", 0)));

      assertThat(vs("newer").at("/spec/http/0/route")).isEqualTo(yaml("[{destination: {host: newer, port: {number: 80}}}]"));
      assertThat(kube.exists(ResourceKind.DESTINATION_RULE, NS, "newer-iter8")).isFalse();
    }

    @Test
    void theCandidateIsStartedWhenTheRouteCanTellItApartAndGetsTrafficOnceAvailable() {
      workload("start", true);
      candidate("start-1a2b3c4d", false);
      Experiment e = generated("start-1a2b3c4d", "start", MATCH_BETA);

      await(router.apply(e, Map.of("baseline", 90, "candidate", 10)));

      assertThat(kube.get(ResourceKind.DEPLOYMENT, NS, "start-1a2b3c4d").at("/spec/replicas").asInt())
          .as("the baseline's replicas").isEqualTo(2);
      assertThat(await(router.read(e))).containsExactly(Map.entry("baseline", 100), Map.entry("candidate", 0));
      assertThat(vs("start").at("/spec/http")).as("no match route yet").hasSize(1);

      kube.writeStatus(ResourceKind.DEPLOYMENT, NS, "start-1a2b3c4d", "{replicas: 2, availableReplicas: 1}");
      await(router.apply(e, Map.of("baseline", 90, "candidate", 10)));

      assertThat(vs("start").at("/spec/http/0/name").asText()).isEqualTo("iter8-start-1a2b3c4d-match");
      assertThat(vs("start").at("/spec/http/0/route/0/destination/subset").asText()).isEqualTo("candidate");
    }

    @Test
    void applyingBeforeTheCandidateExistsSplitsTheRouteWithEverythingOnTheBaseline() {
      workload("first", true);

      await(router.apply(generated("first-1a2b3c4d", "first", ""), Map.of("baseline", 95, "candidate", 5)));

      assertThat(vs("first").at("/spec/http/0/route")).isEqualTo(yaml("""
          - {destination: {host: first, port: {number: 80}, subset: baseline}, weight: 100}
          - {destination: {host: first, port: {number: 80}, subset: candidate}, weight: 0}
          """));
    }

    private static final String MATCH_BETA = "match: [{headers: [{name: x-beta, exact: 'yes'}]}]";

    @Test
    void withoutTheBaselineReplicaSetNothingIsWrittenAndTheErrorSaysWhy() {
      workload("orphan", false);
      JsonNode before = vs("orphan");
      kube.api().requests().clear();

      assertThat(failure(router.apply(generated("orphan-1a2b3c4d", "orphan", ""), Map.of("baseline", 90, "candidate", 10))))
          .isInstanceOf(RoutingException.class)
          .hasMessageContaining("Deployment istio/orphan has no ReplicaSet")
          .hasMessageContaining(baselineHash);
      assertThat(kube.writes()).isEmpty();
      assertThat(vs("orphan")).isEqualTo(before);
    }
  }
}
