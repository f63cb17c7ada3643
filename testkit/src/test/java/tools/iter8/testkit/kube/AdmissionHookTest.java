package tools.iter8.testkit.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.custom.V1Patch;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.AppsV1Api;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.util.PatchUtils;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdmissionHookTest {
  private KubernetesApiEmulation kube;
  private AppsV1Api apps;
  private final List<String> seen = new ArrayList<>();

  @BeforeEach
  void start() {
    kube = KubernetesApiEmulation.start();
    apps = new AppsV1Api(kube.apiClient());
    kube.admission((operation, resource, object, oldObject) -> {
      seen.add(operation + " " + resource.plural() + (oldObject == null ? "" : " old=" + oldObject.at("/spec/replicas")));
      if (object.at("/metadata/name").asText().startsWith("forbidden")) {
        return new AdmissionHook.Result.Deny(400, "admission webhook \"test\" denied the request: name not allowed");
      }
      ObjectNode mutated = object.deepCopy();
      mutated.with("metadata").with("annotations").put("admitted", operation);
      return new AdmissionHook.Result.Allow(mutated);
    });
  }

  @AfterEach
  void stop() {
    kube.close();
  }

  @Test
  void createsAndUpdatesAreStoredAsTheHookMutatedThem() throws ApiException {
    apps.createNamespacedDeployment("ns", BuiltInResourcesTest.deployment("web")).execute();
    V1Deployment stored = apps.readNamespacedDeployment("web", "ns").execute();
    stored.getSpec().setReplicas(3);
    apps.replaceNamespacedDeployment("web", "ns", stored).execute();

    V1Deployment after = apps.readNamespacedDeployment("web", "ns").execute();
    assertThat(after.getMetadata().getAnnotations()).containsEntry("admitted", "UPDATE");
    assertThat(seen).containsExactly("CREATE deployments", "UPDATE deployments old=1");
  }

  @Test
  void aPatchIsAdmittedAsAnUpdateOfThePatchedObject() throws ApiException {
    apps.createNamespacedDeployment("ns", BuiltInResourcesTest.deployment("web")).execute();

    PatchUtils.patch(V1Deployment.class,
        () -> apps.patchNamespacedDeployment("web", "ns", new V1Patch("{\"spec\":{\"replicas\":5}}")).buildCall(null),
        V1Patch.PATCH_FORMAT_JSON_MERGE_PATCH, kube.apiClient());

    V1Deployment after = apps.readNamespacedDeployment("web", "ns").execute();
    assertThat(after.getSpec().getReplicas()).isEqualTo(5);
    assertThat(after.getMetadata().getAnnotations()).containsEntry("admitted", "UPDATE");
  }

  @Test
  void aRefusalReachesTheClientAndNothingIsStored() {
    ApiException e = catchThrowableOfType(ApiException.class,
        () -> apps.createNamespacedDeployment("ns", BuiltInResourcesTest.deployment("forbidden-web")).execute());

    assertThat(e.getCode()).isEqualTo(400);
    assertThat(e.getResponseBody()).contains("name not allowed");
    assertThat(catchThrowableOfType(ApiException.class,
        () -> apps.readNamespacedDeployment("forbidden-web", "ns").execute()).getCode()).isEqualTo(404);
  }
}
