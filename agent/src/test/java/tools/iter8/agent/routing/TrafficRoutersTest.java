package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.KubernetesOps;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Router;

class TrafficRoutersTest {

  private static Experiment experiment(String specExtra, String baselineExtra) {
    return EmulatedCluster.experiment("""
        metadata: {name: e, namespace: ns}
        spec:
          target: ns/app
          %s
          versionInfo:
            baseline: {name: v1 %s}
            candidates: [{name: v2}]
        """.formatted(specExtra, baselineExtra));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "routing: {router: Istio, objRef: {name: vs}}|Istio",
    "routing: {router: GatewayAPI, objRef: {name: r}}|GatewayAPI",
    "routing: {router: Replicas}|Replicas",
    "routing: {router: FieldPath}|FieldPath",
    "targetRef: {apiVersion: apps/v1, kind: Deployment, name: app}|Replicas",
    "targetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: app}|Knative",
    "targetRef: {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: app}|KServe",
    "routing: {objRef: {kind: VirtualService, name: vs}}|Istio",
    "routing: {objRef: {kind: HTTPRoute, name: r}}|GatewayAPI"
  })
  void picksTheRouterFromRoutingThenTheTargetsKind(String spec, String router) {
    assertThat(TrafficRouters.routerOf(experiment(spec, "")).wireName()).isEqualTo(router);
  }

  @Test
  void versionsWithWeightObjRefsUseFieldPathWhenNoRouterIsNamed() {
    Experiment e = experiment(
        "targetRef: {apiVersion: apps/v1, kind: Deployment, name: app}",
        ", weightObjRef: {apiVersion: v1, kind: ConfigMap, name: w, fieldPath: .data.w}");

    assertThat(TrafficRouters.routerOf(e)).isEqualTo(Router.FIELD_PATH);
  }

  @Test
  void anExperimentThatSaysNothingAboutRoutingIsAnError() {
    assertThatThrownBy(() -> TrafficRouters.routerOf(experiment("", "")))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("does not say how to route traffic");
  }

  @Test
  void anUnroutableExperimentGetsARouterThatFailsWithTheReason() {
    TrafficRouter router = new TrafficRouters(new KubernetesOps(null, null)).forExperiment(experiment("", ""));

    assertThat(EmulatedCluster.failure(router.read(experiment("", ""))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("does not say how to route traffic");
  }

  @Test
  void aServiceOfTheCoreGroupIsNotKnative() {
    assertThatThrownBy(() -> TrafficRouters.routerOf(experiment("targetRef: {apiVersion: v1, kind: Service, name: app}", "")))
        .isInstanceOf(RoutingException.class);
  }
}
