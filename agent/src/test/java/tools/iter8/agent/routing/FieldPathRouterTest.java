package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.experiment;
import static tools.iter8.agent.routing.EmulatedCluster.failure;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.testkit.kube.ResourceType;

class FieldPathRouterTest {
  private static final String NS = "fieldpath";
  private static EmulatedCluster kube;
  private static FieldPathRouter router;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    router = new FieldPathRouter(kube.ops(), new ResourceKinds(kube.ops()));
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  @BeforeEach
  void forgetRequests() {
    kube.api().requests().clear();
  }

  /** The original's Istio sample: one VirtualService, two weighted routes. */
  private static Experiment istioSample(String vs) {
    return experiment("""
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: %1$s, namespace: fieldpath}
        spec:
          target: fieldpath/reviews
          strategy: {testingPattern: Canary}
          versionInfo:
            baseline:
              name: reviews-v1
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: %1$s, fieldPath: '.spec.http[0].route[0].weight'}
            candidates:
            - name: reviews-v2
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: %1$s, fieldPath: '.spec.http[0].route[1].weight'}
        """.formatted(vs));
  }

  private void createVirtualService(String name) {
    kube.create(ResourceKind.VIRTUAL_SERVICE, """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: %s, namespace: fieldpath}
        spec:
          hosts: [reviews]
          http:
          - route:
            - destination: {host: reviews, subset: v1}
              weight: 100
            - destination: {host: reviews, subset: v2}
              weight: 0
        """.formatted(name));
  }

  @Test
  void appliesIstioWeightsWithOneJsonPatchAtTheConvertedPaths() {
    createVirtualService("vs-apply");
    kube.api().requests().clear();

    await(router.apply(istioSample("vs-apply"), Map.of("reviews-v1", 70, "reviews-v2", 30)));

    JsonNode vs = kube.get(ResourceKind.VIRTUAL_SERVICE, NS, "vs-apply");
    assertThat(vs.at("/spec/http/0/route/0/weight").asInt()).isEqualTo(70);
    assertThat(vs.at("/spec/http/0/route/1/weight").asInt()).isEqualTo(30);
    assertThat(kube.writes())
        .singleElement()
        .satisfies(w -> assertThat(w.method() + " " + w.path())
            .isEqualTo("PATCH /apis/networking.istio.io/v1beta1/namespaces/fieldpath/virtualservices/vs-apply"));
  }

  @Test
  void readsIstioWeightsByVersionName() {
    createVirtualService("vs-read");

    assertThat(await(router.read(istioSample("vs-read"))))
        .containsExactly(Map.entry("reviews-v1", 100), Map.entry("reviews-v2", 0));
  }

  @Test
  void applyingTheCurrentWeightsAgainWritesNothing() {
    createVirtualService("vs-again");
    await(router.apply(istioSample("vs-again"), Map.of("reviews-v1", 60, "reviews-v2", 40)));
    JsonNode first = kube.get(ResourceKind.VIRTUAL_SERVICE, NS, "vs-again");
    kube.api().requests().clear();

    await(router.apply(istioSample("vs-again"), Map.of("reviews-v1", 60, "reviews-v2", 40)));

    assertThat(kube.writes()).isEmpty();
    assertThat(kube.get(ResourceKind.VIRTUAL_SERVICE, NS, "vs-again")).isEqualTo(first);
  }

  @Test
  void skipsVersionsWhoseWeightIsUnchanged() {
    createVirtualService("vs-skip");
    kube.api().requests().clear();

    // Only the baseline's field differs from what is stored (v2 keeps 0).
    await(router.apply(istioSample("vs-skip"), Map.of("reviews-v1", 90, "reviews-v2", 0)));

    JsonNode vs = kube.get(ResourceKind.VIRTUAL_SERVICE, NS, "vs-skip");
    assertThat(vs.at("/spec/http/0/route/0/weight").asInt()).isEqualTo(90);
    assertThat(kube.writes()).hasSize(1);
  }

  @Test
  void splitsKnativeTrafficByPercentFieldPaths() {
    kube.create(ResourceKind.KNATIVE_SERVICE, """
        apiVersion: serving.knative.dev/v1
        kind: Service
        metadata: {name: sample-app, namespace: fieldpath}
        spec:
          template: {metadata: {name: sample-app-v2}}
          traffic:
          - {tag: current, revisionName: sample-app-v1, percent: 100}
          - {tag: candidate, latestRevision: true, percent: 0}
        """);
    Experiment knative = experiment("""
        metadata: {name: knative-fp, namespace: fieldpath}
        spec:
          target: fieldpath/sample-app
          strategy: {testingPattern: Canary}
          versionInfo:
            baseline:
              name: current
              weightObjRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: sample-app, fieldPath: '.spec.traffic[0].percent'}
            candidates:
            - name: candidate
              weightObjRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: sample-app, fieldPath: '.spec.traffic[1].percent'}
        """);

    await(router.apply(knative, Map.of("current", 80, "candidate", 20)));

    assertThat(kube.get(ResourceKind.KNATIVE_SERVICE, NS, "sample-app").at("/spec/traffic/1/percent").asInt()).isEqualTo(20);
    assertThat(await(router.read(knative))).containsExactly(Map.entry("current", 80), Map.entry("candidate", 20));
  }

  /** KFServing: only the candidate carries a ref; the baseline is 100 − sum, and listed first by name. */
  @Test
  void computesTheRefLessBaselineAsOneHundredMinusTheOthersKeyedByName() {
    kube.create(new ResourceKind("serving.kubeflow.org", "v1alpha2", "inferenceservices", "InferenceService", true), """
        apiVersion: serving.kubeflow.org/v1alpha2
        kind: InferenceService
        metadata: {name: sklearn-iris, namespace: fieldpath}
        spec: {canaryTrafficPercent: 25, default: {predictor: {sklearn: {storageUri: gs://a}}}}
        """);
    Experiment kfserving = experiment("""
        metadata: {name: kfserving-fp, namespace: fieldpath}
        spec:
          target: fieldpath/sklearn-iris
          strategy: {testingPattern: Canary}
          versionInfo:
            baseline: {name: default}
            candidates:
            - name: canary
              weightObjRef: {apiVersion: serving.kubeflow.org/v1alpha2, kind: InferenceService, name: sklearn-iris, fieldPath: '.spec.canaryTrafficPercent'}
        """);

    assertThat(await(router.read(kfserving))).containsExactly(Map.entry("default", 75), Map.entry("canary", 25));

    await(router.apply(kfserving, Map.of("default", 60, "canary", 40)));
    assertThat(await(router.read(kfserving))).containsExactly(Map.entry("default", 60), Map.entry("canary", 40));
  }

  @Test
  void moreThanOneVersionWithoutRefIsAnErrorUnlessFixedSplit() {
    createVirtualService("vs-fixed");
    String spec = """
        metadata: {name: two-missing, namespace: fieldpath}
        spec:
          target: fieldpath/reviews
          strategy: {testingPattern: A/B/N, deploymentPattern: %s}
          versionInfo:
            baseline: {name: a}
            candidates:
            - {name: b}
            - name: c
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs-fixed, fieldPath: '.spec.http[0].route[1].weight'}
        """;

    assertThat(failure(router.read(experiment(spec.formatted("Progressive")))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("versions a, b have no weightObjRef");
    assertThat(await(router.read(experiment(spec.formatted("FixedSplit"))))).containsExactly(Map.entry("c", 0));
  }

  @Test
  void aMissingFieldIsAnErrorNamingTheVersionAndPath() {
    createVirtualService("vs-missing-field");
    Experiment e = experiment("""
        metadata: {name: missing-field, namespace: fieldpath}
        spec:
          target: fieldpath/reviews
          versionInfo:
            baseline: {name: v1}
            candidates:
            - name: v2
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs-missing-field, fieldPath: '.spec.http[0].route[2].weight'}
        """);

    assertThat(failure(router.read(e)))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("version v2")
        .hasMessageContaining("VirtualService fieldpath/vs-missing-field")
        .hasMessageContaining(".spec.http[0].route[2].weight");
    assertThat(failure(router.apply(e, Map.of("v1", 50, "v2", 50))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("version v2")
        .hasMessageContaining(".spec.http[0].route[2].weight");
  }

  @Test
  void aNonIntegerFieldIsAnError() {
    createVirtualService("vs-text");
    Experiment e = experiment("""
        metadata: {name: text-field, namespace: fieldpath}
        spec:
          target: fieldpath/reviews
          versionInfo:
            baseline: {name: v1}
            candidates:
            - name: v2
              weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs-text, fieldPath: '.spec.hosts[0]'}
        """);

    assertThat(failure(router.read(e)))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("version v2")
        .hasMessageContaining("\"reviews\"")
        .hasMessageContaining("not an integer");
  }

  @Test
  void aMissingObjectIsAnErrorNamingIt() {
    assertThat(failure(router.read(istioSample("vs-nowhere"))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("VirtualService fieldpath/vs-nowhere")
        .hasMessageContaining("not found");
  }

  @Test
  void aMissingWeightChangesNothing() {
    createVirtualService("vs-partial");
    kube.api().requests().clear();

    assertThat(failure(router.apply(istioSample("vs-partial"), Map.of("reviews-v1", 50))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("no weight given for version reviews-v2");
    assertThat(kube.writes()).isEmpty();
  }

  @Test
  void findsKindsItDoesNotKnowThroughDiscoveryOnce() {
    kube.api().register(new ResourceType("split.example.io", "v1beta3", "trafficsplits", "TrafficSplit", true, false));
    ResourceKind splits = new ResourceKind("split.example.io", "v1beta3", "trafficsplits", "TrafficSplit", true);
    kube.create(splits, """
        apiVersion: split.example.io/v1beta3
        kind: TrafficSplit
        metadata: {name: split, namespace: fieldpath}
        spec: {backends: [{service: v1, weight: 90}, {service: v2, weight: 10}]}
        """);
    Experiment smi = experiment("""
        metadata: {name: smi, namespace: fieldpath}
        spec:
          target: fieldpath/app
          versionInfo:
            baseline:
              name: v1
              weightObjRef: {apiVersion: split.example.io/v1beta3, kind: TrafficSplit, name: split, fieldPath: '.spec.backends[0].weight'}
            candidates:
            - name: v2
              weightObjRef: {apiVersion: split.example.io/v1beta3, kind: TrafficSplit, name: split, fieldPath: '.spec.backends[1].weight'}
        """);
    FieldPathRouter fresh = new FieldPathRouter(kube.ops(), new ResourceKinds(kube.ops()));
    kube.api().requests().clear();

    await(fresh.apply(smi, Map.of("v1", 50, "v2", 50)));
    assertThat(await(fresh.read(smi))).containsExactly(Map.entry("v1", 50), Map.entry("v2", 50));

    assertThat(kube.api().requests().entries())
        .filteredOn(r -> r.path().equals("/apis/split.example.io/v1beta3"))
        .hasSize(1);
  }

  @Test
  void anApiVersionTheServerDoesNotServeIsAClearError() {
    Experiment e = experiment("""
        metadata: {name: unserved, namespace: fieldpath}
        spec:
          target: fieldpath/app
          versionInfo:
            baseline: {name: v1}
            candidates:
            - name: v2
              weightObjRef: {apiVersion: nothing.example.io/v9, kind: Thing, name: t, fieldPath: '.spec.weight'}
        """);

    assertThat(failure(router.read(e)))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("does not serve nothing.example.io/v9");
  }
}
