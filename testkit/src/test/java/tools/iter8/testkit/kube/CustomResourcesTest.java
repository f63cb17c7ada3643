package tools.iter8.testkit.kube;

import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.ApiextensionsV1Api;
import io.kubernetes.client.openapi.apis.CustomObjectsApi;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionNames;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionSpec;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinitionVersion;
import io.kubernetes.client.openapi.models.V1CustomResourceSubresources;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.util.PatchUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class CustomResourcesTest {

  static final String GROUP = "iter8.tools";
  static final String VERSION = "v2alpha2";
  static final String EXPERIMENTS = "experiments";
  private static final String NS = "team-a";

  private KubernetesApiEmulation kube;
  private ApiClient client;
  private CustomObjectsApi custom;

  @BeforeEach
  void start() {
    kube = KubernetesApiEmulation.start();
    client = kube.apiClient();
    custom = new CustomObjectsApi(client);
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void experimentIsCreatedAndReadThroughCustomObjectsApi() throws ApiException {
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();

    Map<String, Object> read = get("canary");
    assertThat(read).containsEntry("apiVersion", "iter8.tools/v2alpha2").containsEntry("kind", "Experiment");
    assertThat(metadata(read)).containsEntry("namespace", NS).containsKey("uid");
    assertThat(spec(read)).containsEntry("target", "team-a/web");
  }

  @Test
  void statusWriteThroughPatchUtilsDoesNotTouchSpec() throws ApiException {
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();
    Map<String, Object> before = get("canary");

    // A status write that also tries to change the spec: the status subresource must ignore the spec part.
    PatchUtils.patch(Object.class,
        () -> custom.patchNamespacedCustomObjectStatus(GROUP, VERSION, NS, EXPERIMENTS, "canary", new V1Patch(
            "{\"spec\":{\"target\":\"team-a/other\"},\"status\":{\"stage\":\"Running\",\"completedLoops\":1}}"))
            .buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);

    Map<String, Object> after = get("canary");
    assertThat(status(after)).containsEntry("stage", "Running");
    assertThat(spec(after)).isEqualTo(spec(before));
    assertThat(metadata(after).get("generation")).isEqualTo(metadata(before).get("generation"));
    assertThat(metadata(after).get("resourceVersion")).isNotEqualTo(metadata(before).get("resourceVersion"));
  }

  @Test
  void mergePatchReplacesListsAndDeletesNullFieldsAsRfc7386() throws ApiException {
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();
    String conditions = "{\"status\":{\"stage\":\"Waiting\",\"conditions\":[{\"type\":\"Completed\",\"status\":\"False\"},"
        + "{\"type\":\"Failed\",\"status\":\"False\"}]}}";
    String oneCondition = "{\"status\":{\"stage\":null,\"conditions\":[{\"type\":\"Completed\",\"status\":\"True\"}]}}";
    for (String patch : List.of(conditions, oneCondition)) {
      PatchUtils.patch(Object.class,
          () -> custom.patchNamespacedCustomObjectStatus(GROUP, VERSION, NS, EXPERIMENTS, "canary", new V1Patch(patch))
              .buildCall(null),
          V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
    }

    Map<String, Object> status = status(get("canary"));
    assertThat((List<?>) status.get("conditions")).hasSize(1);
    assertThat(status).doesNotContainKey("stage");
  }

  @Test
  void mainResourceWriteIgnoresStatusAndBumpsGeneration() throws ApiException {
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();
    setStatus("canary", "{\"status\":{\"stage\":\"Running\"}}");

    Map<String, Object> current = get("canary");
    spec(current).put("target", "team-a/other");
    current.put("status", Map.of("stage", "Completed"));
    custom.replaceNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, "canary", current).execute();

    Map<String, Object> after = get("canary");
    assertThat(spec(after)).containsEntry("target", "team-a/other");
    assertThat(status(after)).containsEntry("stage", "Running");
    assertThat(((Number) metadata(after).get("generation")).longValue()).isEqualTo(2L);
  }

  @Test
  void jsonPatchChangesCustomObject() throws ApiException {
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();

    PatchUtils.patch(Object.class,
        () -> custom.patchNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, "canary", new V1Patch(
            "[{\"op\":\"replace\",\"path\":\"/spec/target\",\"value\":\"team-a/web2\"},"
                + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"stage\":\"two\"}}]"))
            .buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_PATCH, client);

    Map<String, Object> after = get("canary");
    assertThat(spec(after)).containsEntry("target", "team-a/web2");
    assertThat(metadata(after).get("labels")).isEqualTo(Map.of("stage", "two"));
  }

  @Test
  void statusReplaceWithStaleResourceVersionFailsWith409() throws ApiException {
    custom.createNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, experiment("canary")).execute();
    Map<String, Object> stale = get("canary");
    setStatus("canary", "{\"status\":{\"stage\":\"Running\"}}");

    stale.put("status", Map.of("stage", "Completed"));
    ApiException e = catchThrowableOfType(ApiException.class, () -> custom.replaceNamespacedCustomObjectStatus(
        GROUP, VERSION, NS, EXPERIMENTS, "canary", stale).execute());

    assertThat(e.getCode()).isEqualTo(409);
    assertThat(e.getResponseBody()).contains("\"reason\":\"Conflict\"");
    assertThat(status(get("canary"))).containsEntry("stage", "Running");
  }

  @Test
  void createdCustomResourceDefinitionIsServedByDiscovery() throws Exception {
    assertThat(discovery("/apis/example.com/v1").statusCode()).isEqualTo(404);

    new ApiextensionsV1Api(client).createCustomResourceDefinition(new V1CustomResourceDefinition()
        .metadata(new V1ObjectMeta().name("widgets.example.com"))
        .spec(new V1CustomResourceDefinitionSpec()
            .group("example.com")
            .scope("Namespaced")
            .names(new V1CustomResourceDefinitionNames().plural("widgets").singular("widget").kind("Widget"))
            .versions(List.of(new V1CustomResourceDefinitionVersion().name("v1").served(true).storage(true)
                .subresources(new V1CustomResourceSubresources().status(Map.of())))))).execute();

    HttpResponse<String> resources = discovery("/apis/example.com/v1");
    assertThat(resources.statusCode()).isEqualTo(200);
    assertThat(resources.body()).contains("\"name\":\"widgets\"", "\"kind\":\"Widget\"", "\"name\":\"widgets/status\"");
    assertThat(kube.resources()).contains(new ResourceType("example.com", "v1", "widgets", "Widget", true, true));
  }

  @Test
  void registeredTypeGetsItsKindFilledIn() throws Exception {
    kube.register(new ResourceType("example.com", "v1", "gadgetclasses", "GadgetClass", false, false));

    custom.createClusterCustomObject("example.com", "v1", "gadgetclasses",
        Map.of("metadata", Map.of("name", "fast"))).execute();

    Map<?, ?> read = (Map<?, ?>) custom.getClusterCustomObject("example.com", "v1", "gadgetclasses", "fast").execute();
    assertThat(read.get("kind")).isEqualTo("GadgetClass");
    assertThat(read.get("apiVersion")).isEqualTo("example.com/v1");
  }

  private HttpResponse<String> discovery(String path) throws IOException, InterruptedException {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(kube.url() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private void setStatus(String name, String mergePatch) throws ApiException {
    PatchUtils.patch(Object.class,
        () -> custom.patchNamespacedCustomObjectStatus(GROUP, VERSION, NS, EXPERIMENTS, name, new V1Patch(mergePatch))
            .buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, client);
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> get(String name) throws ApiException {
    return (Map<String, Object>) custom.getNamespacedCustomObject(GROUP, VERSION, NS, EXPERIMENTS, name).execute();
  }

  static Map<String, Object> experiment(String name) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("target", "team-a/web");
    spec.put("strategy", Map.of("testingPattern", "Canary", "deploymentPattern", "Progressive"));
    return Map.of(
        "apiVersion", "iter8.tools/v2alpha2",
        "kind", "Experiment",
        "metadata", Map.of("name", name),
        "spec", spec);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> metadata(Map<String, Object> object) {
    return (Map<String, Object>) object.get("metadata");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(Map<String, Object> object) {
    return (Map<String, Object>) object.get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(Map<String, Object> object) {
    return (Map<String, Object>) object.get("status");
  }
}
