package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.metrics.MetricsTestSupport.await;

import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1Secret;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.metrics.SecretSource.SecretException;
import tools.iter8.testkit.kube.KubernetesApiEmulation;

/** Secrets read through client-java from the Kubernetes API emulation, on the agent's blocking pool. */
class KubernetesSecretSourceTest {
  private KubernetesApiEmulation kube;
  private CoreV1Api api;
  private Vertx vertx;
  private WorkerExecutor kubernetesOps;
  private MutableClock clock;
  private KubernetesSecretSource secrets;

  @BeforeEach
  void start() throws Exception {
    kube = KubernetesApiEmulation.start();
    api = new CoreV1Api(kube.apiClient());
    vertx = Vertx.vertx();
    kubernetesOps = vertx.createSharedWorkerExecutor("kubernetes-ops", 4);
    clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    secrets = new KubernetesSecretSource(new tools.iter8.agent.kube.KubernetesOps(kube.apiClient(), kubernetesOps), clock,
        KubernetesSecretSource.DEFAULT_TTL);
    put("iter8-system", "prometheus-credentials", Map.of("username", "reader", "password", "s3cret"));
  }

  @AfterEach
  void stop() {
    kubernetesOps.close();
    await(vertx.close());
    kube.close();
  }

  private void put(String namespace, String name, Map<String, String> data) throws Exception {
    V1Secret secret = new V1Secret()
        .metadata(new V1ObjectMeta().name(name).namespace(namespace))
        .data(data.entrySet().stream().collect(java.util.stream.Collectors.toMap(
            Map.Entry::getKey, e -> e.getValue().getBytes(StandardCharsets.UTF_8))));
    try {
      api.readNamespacedSecret(name, namespace).execute();
      api.replaceNamespacedSecret(name, namespace, secret).execute();
    } catch (io.kubernetes.client.openapi.ApiException e) {
      api.createNamespacedSecret(namespace, secret).execute();
    }
  }

  private long secretReads() {
    return kube.requests().entries().stream()
        .filter(e -> e.method().equals("GET") && e.path().endsWith("/secrets/prometheus-credentials"))
        .count();
  }

  @Test
  void readsTheDecodedData() {
    assertThat(await(secrets.secret("iter8-system", "prometheus-credentials")))
        .isEqualTo(Map.of("username", "reader", "password", "s3cret"));
  }

  @Test
  void keepsASecretForItsLifetimeThenReadsItAgain() throws Exception {
    await(secrets.secret("iter8-system", "prometheus-credentials"));
    put("iter8-system", "prometheus-credentials", Map.of("username", "reader", "password", "rotated"));
    long reads = secretReads();

    clock.advance(Duration.ofSeconds(9));
    assertThat(await(secrets.secret("iter8-system", "prometheus-credentials"))).containsEntry("password", "s3cret");
    assertThat(secretReads()).isEqualTo(reads);

    clock.advance(Duration.ofSeconds(1));
    assertThat(await(secrets.secret("iter8-system", "prometheus-credentials"))).containsEntry("password", "rotated");
    assertThat(secretReads()).isEqualTo(reads + 1);
  }

  @Test
  void concurrentReadsShareOneRequest() {
    long before = secretReads();
    List<Future<Map<String, String>>> reads = java.util.stream.IntStream.range(0, 20)
        .mapToObj(i -> secrets.secret("iter8-system", "prometheus-credentials")).toList();
    await(Future.all(reads));
    assertThat(secretReads()).isEqualTo(before + 1);
  }

  @Test
  void aMissingOrForbiddenSecretFailsWithAMessageAndIsNotKept() throws Exception {
    assertThat(failure(secrets.secret("team", "absent"))).isEqualTo("Secret team/absent not found");

    put("team", "creds", Map.of("token", "t0ken-value"));
    kube.faults().when("GET", ".*/namespaces/team/secrets/.*").times(1).respondWith(403);
    String forbidden = failure(secrets.secret("team", "creds"));
    assertThat(forbidden).isEqualTo("the agent may not read Secret team/creds (HTTP 403): grant its service account get on secrets in that namespace");
    assertThat(await(secrets.secret("team", "creds"))).containsEntry("token", "t0ken-value");
  }

  private static String failure(Future<?> f) {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(SecretException.class);
      return e.getCause().getMessage();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("expected a failure");
  }

  /** A clock the test moves. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
