package tools.iter8.testkit.kube;

import com.google.gson.reflect.TypeToken;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentList;
import io.kubernetes.client.util.PatchUtils;
import io.kubernetes.client.util.Watch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static tools.iter8.testkit.kube.BuiltInResourcesTest.deployment;
import static tools.iter8.testkit.kube.CustomResourcesTest.EXPERIMENTS;
import static tools.iter8.testkit.kube.CustomResourcesTest.GROUP;
import static tools.iter8.testkit.kube.CustomResourcesTest.VERSION;
import static tools.iter8.testkit.kube.CustomResourcesTest.experiment;

class WatchTest {

  private static final String NS = "team-a";
  /**
   * Generous for slow machines; events normally arrive within milliseconds. That the informer is not polling (it
   * relists every second when its watch fails) is shown by counting its requests instead.
   */
  private static final Duration REAL_TIME = Duration.ofSeconds(2);

  private KubernetesApiEmulation kube;
  private ApiClient client;
  private final List<String> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    kube = KubernetesApiEmulation.start();
    client = kube.apiClient();
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void plainWatchOnExperimentsReceivesAddedModifiedAndDeletedInRealTime() throws Exception {
    CustomObjectsApi custom = new CustomObjectsApi(client);
    try (Watch<Map<String, Object>> watch = Watch.createWatch(client,
        custom.listNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS).watch(true).buildCall(null),
        new TypeToken<Watch.Response<Map<String, Object>>>() { }.getType())) {
      startReading(watch);

      custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();
      await().atMost(REAL_TIME).until(() -> events.contains("ADDED canary"));

      PatchUtils.patch(Object.class,
          () -> custom.patchNamespacedCustomObjectStatus(GROUP, VERSION, NS, EXPERIMENTS, "canary",
              new V1Patch("{\"status\":{\"stage\":\"Running\"}}")).buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
      await().atMost(REAL_TIME).until(() -> events.contains("MODIFIED canary"));

      custom.deleteNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, "canary").execute();
      await().atMost(REAL_TIME).until(() -> events.contains("DELETED canary"));

      assertThat(events).containsExactly("ADDED canary", "MODIFIED canary", "DELETED canary");
    }
  }

  @Test
  void watchWithNameFieldSelectorSeesOnlyThatObject() throws Exception {
    CustomObjectsApi custom = new CustomObjectsApi(client);
    try (Watch<Map<String, Object>> watch = Watch.createWatch(client,
        custom.listNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS)
            .fieldSelector("metadata.name=wanted").watch(true).buildCall(null),
        new TypeToken<Watch.Response<Map<String, Object>>>() { }.getType())) {
      startReading(watch);

      custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("other")).execute();
      custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("wanted")).execute();

      await().atMost(REAL_TIME).until(() -> events.contains("ADDED wanted"));
      assertThat(events).containsExactly("ADDED wanted");
    }
  }

  @Test
  void watchFromAResourceVersionSkipsObjectsCreatedBefore() throws Exception {
    CustomObjectsApi custom = new CustomObjectsApi(client);
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("old")).execute();
    Map<?, ?> list = (Map<?, ?>) custom.listNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS).execute();
    String listVersion = (String) ((Map<?, ?>) list.get("metadata")).get("resourceVersion");

    try (Watch<Map<String, Object>> watch = Watch.createWatch(client,
        custom.listNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS)
            .resourceVersion(listVersion).watch(true).buildCall(null),
        new TypeToken<Watch.Response<Map<String, Object>>>() { }.getType())) {
      startReading(watch);

      custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("new")).execute();
      custom.deleteNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, "old").execute();

      await().atMost(REAL_TIME).until(() -> events.contains("DELETED old"));
      assertThat(events).containsExactly("ADDED new", "DELETED old");
    }
  }

  @Test
  void deploymentInformerSeesAddAndUpdateThroughTheWatch() throws Exception {
    AppsV1Api apps = new AppsV1Api(client);
    SharedInformerFactory factory = new SharedInformerFactory(client);
    SharedIndexInformer<V1Deployment> informer = factory.sharedIndexInformerFor(
        params -> apps.listNamespacedDeployment(NS)
            .resourceVersion(params.resourceVersion)
            .timeoutSeconds(params.timeoutSeconds)
            .watch(params.watch)
            .buildCall(null),
        V1Deployment.class, V1DeploymentList.class);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(V1Deployment deployment) {
        events.add("add " + deployment.getMetadata().getName());
      }

      @Override
      public void onUpdate(V1Deployment before, V1Deployment after) {
        events.add("update " + after.getMetadata().getName() + " replicas=" + after.getSpec().getReplicas());
      }

      @Override
      public void onDelete(V1Deployment deployment, boolean finalStateUnknown) {
        events.add("delete " + deployment.getMetadata().getName());
      }
    });
    factory.startAllRegisteredInformers();
    try {
      await().atMost(Duration.ofSeconds(5)).until(informer::hasSynced);

      apps.createNamespacedDeployment(NS, deployment("web")).execute();
      await().atMost(REAL_TIME).until(() -> events.contains("add web"));

      V1Deployment current = apps.readNamespacedDeployment("web", NS).execute();
      current.getSpec().setReplicas(4);
      apps.replaceNamespacedDeployment("web", NS, current).execute();
      await().atMost(REAL_TIME).until(() -> events.contains("update web replicas=4"));

      assertThat(events).as("no replayed objects, no spurious updates")
          .containsExactly("add web", "update web replicas=4");
      assertThat(informer.getIndexer().getByKey(NS + "/web").getSpec().getReplicas()).isEqualTo(4);
      assertThat(kube.requests().entries())
          .as("one list and one long-lived watch, no error-driven relisting")
          .filteredOn(e -> e.method().equals("GET") && e.path().endsWith("/deployments"))
          .hasSizeLessThanOrEqualTo(2)
          .allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
    } finally {
      factory.stopAllRegisteredInformers(true);
    }
  }

  /** Collects "TYPE name" lines on a daemon thread until the watch ends. */
  private void startReading(Watch<Map<String, Object>> watch) {
    Thread reader = new Thread(() -> {
      try {
        for (Watch.Response<Map<String, Object>> event : watch) {
          @SuppressWarnings("unchecked")
          Map<String, Object> metadata = (Map<String, Object>) event.object.get("metadata");
          events.add(event.type + " " + metadata.get("name"));
        }
      } catch (RuntimeException e) {
        // the watch was closed under the iterator
      }
    }, "watch-reader");
    reader.setDaemon(true);
    reader.start();
  }
}
