package tools.iter8.testkit.kube;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.util.Watch;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static tools.iter8.testkit.kube.CustomResourcesTest.EXPERIMENTS;
import static tools.iter8.testkit.kube.CustomResourcesTest.GROUP;
import static tools.iter8.testkit.kube.CustomResourcesTest.VERSION;

class LifecycleTest {

  @Test
  void closeStopsEveryThreadTheEmulationStartedEvenWithAnOpenWatch() throws Exception {
    Set<Thread> before = Thread.getAllStackTraces().keySet();

    KubernetesApiEmulation kube = KubernetesApiEmulation.start();
    ApiClient client = kube.apiClient();
    Watch<Map<String, Object>> watch = Watch.createWatch(client,
        new CustomObjectsApi(client).listNamespacedCustomObject(GROUP, VERSION, "ns", EXPERIMENTS)
            .watch(true).buildCall(null),
        new TypeToken<Watch.Response<Map<String, Object>>>() { }.getType());
    kube.close();
    watch.close();

    await().pollInSameThread().atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(names(newThreads(before))).isEmpty());
  }

  @Test
  void closeIsIdempotent() {
    KubernetesApiEmulation kube = KubernetesApiEmulation.start();
    kube.close();
    kube.close();
  }

  /**
   * Threads started since {@code before}, except OkHttp's (they belong to the ApiClient, and idle ones exit after a
   * minute) and java.net.http's selector thread (a daemon that ends when its HttpClient is garbage-collected: JDK 17
   * has no {@code HttpClient.close()}).
   */
  private static Set<Thread> newThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !before.contains(t) && t.isAlive())
        .filter(t -> !t.getName().startsWith("OkHttp") && !t.getName().startsWith("HttpClient-"))
        .collect(Collectors.toSet());
  }

  private static Set<String> names(Set<Thread> threads) {
    return threads.stream().map(Thread::getName).collect(Collectors.toSet());
  }
}
