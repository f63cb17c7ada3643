package tools.iter8.testkit.kube;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Status;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

class FaultInjectionTest {

  private static final String NS = "team-a";
  private static final String CONFIGMAP_PATH = "/api/v1/namespaces/team-a/configmaps/settings";

  private KubernetesApiEmulation kube;
  private CoreV1Api core;

  @BeforeEach
  void start() throws ApiException {
    kube = KubernetesApiEmulation.start();
    core = new CoreV1Api(kube.apiClient());
    core.createNamespacedConfigMap(NS, new V1ConfigMap().metadata(new V1ObjectMeta().name("settings"))
        .data(Map.of("k", "v"))).execute();
    kube.requests().clear();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void injected500AnswersOnceThenTheRequestSucceeds() throws ApiException {
    FaultRule rule = kube.faults().when("GET", CONFIGMAP_PATH).times(1).respondWith(500);

    ApiException e = catchThrowableOfType(ApiException.class,
        () -> core.readNamespacedConfigMap("settings", NS).execute());
    assertThat(e.getCode()).isEqualTo(500);
    V1Status status = JSON.deserialize(e.getResponseBody(), V1Status.class);
    assertThat(status.getReason()).isEqualTo("InternalError");

    assertThat(core.readNamespacedConfigMap("settings", NS).execute().getData()).containsEntry("k", "v");
    assertThat(rule.injected()).isEqualTo(1);
    assertThat(kube.requests().entries())
        .extracting(RequestLog.Entry::method, RequestLog.Entry::path, RequestLog.Entry::status)
        .containsExactly(
            tuple("GET", CONFIGMAP_PATH, 500),
            tuple("GET", CONFIGMAP_PATH, 200));
  }

  @Test
  void injectedConflictOnlyHitsTheMatchingMethod() throws ApiException {
    kube.faults().when("PUT", "/api/v1/namespaces/[^/]+/configmaps/.*").respondWith(409);

    V1ConfigMap current = core.readNamespacedConfigMap("settings", NS).execute();
    assertThatThrownBy(() -> core.replaceNamespacedConfigMap("settings", NS, current).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void delayRuleDelaysTheRequestAndThenServesIt() throws ApiException {
    Duration delay = Duration.ofMillis(400);
    FaultRule rule = kube.faults().when("*", CONFIGMAP_PATH).delayBy(delay);

    long start = System.nanoTime();
    V1ConfigMap read = core.readNamespacedConfigMap("settings", NS).execute();
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(read.getData()).containsEntry("k", "v");
    assertThat(elapsed).isGreaterThanOrEqualTo(delay);
    assertThat(rule.injected()).isEqualTo(1);
  }

  @Test
  void probabilisticRuleIsReproducibleFromItsSeed() throws ApiException {
    kube.faults().when("GET", CONFIGMAP_PATH).withProbability(0.5, 7).respondWith(503);

    List<Integer> observed = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      try {
        core.readNamespacedConfigMap("settings", NS).execute();
        observed.add(200);
      } catch (ApiException e) {
        observed.add(e.getCode());
      }
    }

    Random replay = new Random(7);
    List<Integer> expected = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      expected.add(replay.nextDouble() < 0.5 ? 503 : 200);
    }
    assertThat(observed).isEqualTo(expected).contains(200, 503);
  }

  @Test
  void resetRemovesAllRules() throws ApiException {
    kube.faults().when("GET", ".*").respondWith(503);
    kube.faults().reset();

    assertThat(core.readNamespacedConfigMap("settings", NS).execute()).isNotNull();
  }
}
