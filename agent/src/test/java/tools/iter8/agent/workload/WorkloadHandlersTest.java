package tools.iter8.agent.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.routing.EmulatedCluster;

class WorkloadHandlersTest {
  private static Vertx vertx;
  private static WorkloadHandlers handlers;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    // No call reaches the API here: only the choice of handler is tested.
    handlers = new WorkloadHandlers(new KubernetesOps(null, null), vertx, Clock.systemUTC(), Duration.ofMinutes(1));
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "targetRef: {apiVersion: apps/v1, kind: Deployment, name: a}|DeploymentHandler",
    "targetRef: {apiVersion: serving.knative.dev/v1, kind: Service, name: a}|KnativeServiceHandler",
    "targetRef: {apiVersion: serving.kserve.io/v1beta1, kind: InferenceService, name: a}|InferenceServiceHandler",
    "targetRef: {apiVersion: v1, kind: Service, name: a}|none",
    "targetRef: {apiVersion: apps/v1, kind: StatefulSet, name: a}|none",
    "routing: {router: Istio}|none"
  })
  void picksTheHandlerByTheTargetsKind(String spec, String handler) {
    var experiment = EmulatedCluster.experiment("""
        metadata: {name: e, namespace: ns}
        spec:
          target: ns/a
          %s
          versionInfo: {baseline: {name: baseline}}
        """.formatted(spec));

    assertThat(handlers.forExperiment(experiment).map(h -> h.getClass().getSimpleName()).orElse("none"))
        .isEqualTo(handler);
  }
}
