package tools.iter8.testkit.kube;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.JSON;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1DeploymentSpec;
import io.kubernetes.client.openapi.models.V1LabelSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceSpec;
import io.kubernetes.client.openapi.models.V1Status;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BuiltInResourcesTest {

  private static final String NS = "team-a";

  private KubernetesApiEmulation kube;
  private ApiClient client;
  private AppsV1Api apps;

  @BeforeEach
  void start() {
    kube = KubernetesApiEmulation.start();
    client = kube.apiClient();
    apps = new AppsV1Api(client);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void deploymentCreateGetListReplaceDeleteThroughAppsV1Api() throws ApiException {
    V1Deployment created = apps.createNamespacedDeployment(NS, deployment("web")).execute();
    assertThat(created.getApiVersion()).as("filled in from the URL").isEqualTo("apps/v1");
    assertThat(created.getKind()).isEqualTo("Deployment");
    assertThat(created.getMetadata().getNamespace()).isEqualTo(NS);
    assertThat(created.getMetadata().getUid()).isNotBlank();
    assertThat(created.getMetadata().getGeneration()).isEqualTo(1L);

    V1Deployment read = apps.readNamespacedDeployment("web", NS).execute();
    assertThat(read.getSpec().getReplicas()).isEqualTo(1);

    apps.createNamespacedDeployment(NS, deployment("other").metadata(
        new V1ObjectMeta().name("other").labels(Map.of("app", "other")))).execute();
    assertThat(apps.listNamespacedDeployment(NS).labelSelector("app=web").execute().getItems())
        .extracting(d -> d.getMetadata().getName()).containsExactly("web");
    assertThat(apps.listDeploymentForAllNamespaces().execute().getItems()).hasSize(2);

    read.getSpec().setReplicas(3);
    V1Deployment replaced = apps.replaceNamespacedDeployment("web", NS, read).execute();
    assertThat(replaced.getSpec().getReplicas()).isEqualTo(3);
    assertThat(replaced.getMetadata().getGeneration()).isEqualTo(2L);

    apps.deleteNamespacedDeployment("web", NS).execute();
    assertThat(apps.listNamespacedDeployment(NS).execute().getItems())
        .extracting(d -> d.getMetadata().getName()).containsExactly("other");
  }

  @Test
  void getOfMissingObjectFailsWith404AndNotFoundStatus() {
    ApiException e = catchThrowableOfType(ApiException.class,
        () -> apps.readNamespacedDeployment("missing", NS).execute());

    assertThat(e.getCode()).isEqualTo(404);
    V1Status status = JSON.deserialize(e.getResponseBody(), V1Status.class);
    assertThat(status.getReason()).isEqualTo("NotFound");
    assertThat(status.getCode()).isEqualTo(404);
    assertThat(status.getMessage()).isEqualTo("deployments.apps \"missing\" not found");
  }

  @Test
  void replaceWithStaleResourceVersionFailsWith409Conflict() throws ApiException {
    V1Deployment original = apps.createNamespacedDeployment(NS, deployment("web")).execute();
    V1Deployment fresh = apps.readNamespacedDeployment("web", NS).execute();
    fresh.getSpec().setReplicas(2);
    apps.replaceNamespacedDeployment("web", NS, fresh).execute();

    original.getSpec().setReplicas(5);
    ApiException e = catchThrowableOfType(ApiException.class,
        () -> apps.replaceNamespacedDeployment("web", NS, original).execute());

    assertThat(e.getCode()).isEqualTo(409);
    V1Status status = JSON.deserialize(e.getResponseBody(), V1Status.class);
    assertThat(status.getReason()).isEqualTo("Conflict");
    assertThat(status.getMessage()).contains("the object has been modified");
    assertThat(apps.readNamespacedDeployment("web", NS).execute().getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void duplicateCreateFailsWith409AlreadyExists() throws ApiException {
    apps.createNamespacedDeployment(NS, deployment("web")).execute();

    ApiException e = catchThrowableOfType(ApiException.class,
        () -> apps.createNamespacedDeployment(NS, deployment("web")).execute());

    assertThat(e.getCode()).isEqualTo(409);
    V1Status status = JSON.deserialize(e.getResponseBody(), V1Status.class);
    assertThat(status.getReason()).isEqualTo("AlreadyExists");
  }

  @Test
  void coreServicesAndKnativeServicesWithTheSameNameDoNotSeeEachOther() throws ApiException {
    CoreV1Api core = new CoreV1Api(client);
    CustomObjectsApi custom = new CustomObjectsApi(client);
    custom.createNamespacedCustomObject("serving.knative.dev", "v1", NS, "services", Map.of(
        "apiVersion", "serving.knative.dev/v1", "kind", "Service",
        "metadata", Map.of("name", "web"),
        "spec", Map.of("template", Map.of("spec", Map.of("containers", List.of(Map.of("image", "web:v2")))))))
        .execute();

    core.createNamespacedService(NS, new V1Service().metadata(new V1ObjectMeta().name("web"))
        .spec(new V1ServiceSpec().selector(Map.of("app", "web")))).execute();

    assertThat(core.listNamespacedService(NS).execute().getItems())
        .singleElement().satisfies(s -> assertThat(s.getApiVersion()).isEqualTo("v1"));
    assertThat(core.readNamespacedService("web", NS).execute().getSpec().getSelector()).containsEntry("app", "web");
    Map<?, ?> knative = (Map<?, ?>) custom.listNamespacedCustomObject("serving.knative.dev", "v1", NS, "services")
        .execute();
    assertThat((List<?>) knative.get("items")).hasSize(1);
  }

  @Test
  void generateNameGetsARandomSuffix() throws ApiException {
    V1ConfigMap created = new CoreV1Api(client).createNamespacedConfigMap(NS,
        new V1ConfigMap().metadata(new V1ObjectMeta().generateName("settings-")).data(Map.of("k", "v"))).execute();

    assertThat(created.getMetadata().getName()).matches("settings-[a-z0-9]{5}");
  }

  @Test
  void dryRunWritesAreRefusedRatherThanPersisted() {
    ApiException e = catchThrowableOfType(ApiException.class,
        () -> apps.createNamespacedDeployment(NS, deployment("web")).dryRun("All").execute());

    assertThat(e.getCode()).isEqualTo(400);
    assertThat(e.getResponseBody()).contains("dryRun is not supported");
  }

  @Test
  void strategicMergePatchIsRefusedWith415ThatNamesTheAlternatives() throws ApiException {
    apps.createNamespacedDeployment(NS, deployment("web")).execute();

    ApiException e = catchThrowableOfType(ApiException.class, () -> PatchUtils.patch(V1Deployment.class,
        () -> apps.patchNamespacedDeployment("web", NS, new V1Patch("{\"spec\":{\"replicas\":2}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_STRATEGIC_MERGE_PATCH, client));

    assertThat(e.getCode()).isEqualTo(415);
    assertThat(e.getResponseBody()).contains("use a JSON merge patch or a JSON patch");
  }

  @Test
  void mergePatchOfDeploymentAnswers200() throws ApiException {
    apps.createNamespacedDeployment(NS, deployment("web")).execute();

    V1Deployment patched = PatchUtils.patch(V1Deployment.class,
        () -> apps.patchNamespacedDeployment("web", NS, new V1Patch("{\"spec\":{\"replicas\":2}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);

    assertThat(patched.getSpec().getReplicas()).isEqualTo(2);
    assertThat(kube.requests().entries()).last().satisfies(e -> {
      assertThat(e.method()).isEqualTo("PATCH");
      assertThat(e.status()).as("a real server answers 200, the raw mock 202").isEqualTo(200);
    });
  }

  @Test
  void listBySelectorThatContainsWatchEqualsTrueIsAListNotAWatch() throws ApiException {
    V1Deployment watched = deployment("watched");
    watched.getMetadata().setLabels(Map.of("app", "watched", "iter8.tools/watch", "true"));
    apps.createNamespacedDeployment(NS, watched).execute();
    apps.createNamespacedDeployment(NS, deployment("unwatched")).execute();

    var list = apps.listNamespacedDeployment(NS).labelSelector("iter8.tools/watch=true").execute();

    assertThat(list.getItems()).extracting(d -> d.getMetadata().getName()).containsExactly("watched");
  }

  static V1Deployment deployment(String name) {
    Map<String, String> labels = Map.of("app", name);
    return new V1Deployment()
        .metadata(new V1ObjectMeta().name(name).labels(labels))
        .spec(new V1DeploymentSpec()
            .replicas(1)
            .selector(new V1LabelSelector().matchLabels(labels))
            .template(new V1PodTemplateSpec()
                .metadata(new V1ObjectMeta().labels(labels))
                .spec(new V1PodSpec().containers(List.of(new V1Container().name(name).image(name + ":v1"))))));
  }
}
