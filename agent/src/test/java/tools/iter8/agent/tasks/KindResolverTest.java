package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;

/** Readiness kinds read as {@code kubectl get} reads them, among the kinds the agent knows. */
class KindResolverTest {

  @ParameterizedTest(name = "{0} {1} is {2}")
  @CsvSource({
    "Deployment,,                        Deployment.apps/v1",
    "deploy,,                            Deployment.apps/v1",
    "deployments.v1.apps,,               Deployment.apps/v1",
    "deployment.apps,,                   Deployment.apps/v1",
    "Service,,                           Service.v1",
    "svc,,                               Service.v1",
    "ksvc,,                              Service.serving.knative.dev/v1",
    "services.serving.knative.dev,,      Service.serving.knative.dev/v1",
    "Service, serving.knative.dev/v1,    Service.serving.knative.dev/v1",
    "InferenceService,,                  InferenceService.serving.kserve.io/v1beta1",
    "isvc,,                              InferenceService.serving.kserve.io/v1beta1",
    "InferenceService, serving.kubeflow.org/v1alpha2, InferenceService.serving.kubeflow.org/v1alpha2",
    "VirtualService,,                    VirtualService.networking.istio.io/v1beta1",
    "virtualservices.v1alpha3.networking.istio.io,, VirtualService.networking.istio.io/v1alpha3",
  })
  void kindsResolveAsKubectlResolvesThem(String kind, String apiVersion, String expected) {
    ResourceKind k = KindResolver.resolve(kind, apiVersion, "with.objRefs[0]");

    assertThat(k.toString()).isEqualTo(expected);
  }

  @Test
  void anUnknownKindOrVersionNamesWhatIsKnown() {
    assertThatThrownBy(() -> KindResolver.resolve("Deployment", "apps/v2", "at"))
        .hasMessageStartingWith("at: unknown kind Deployment in apps/v2; the agent knows Experiment.iter8.tools/v2alpha2");
    assertThatThrownBy(() -> KindResolver.resolve("ConfigMap", null, "at"))
        .hasMessageStartingWith("at: unknown kind ConfigMap;");
    assertThatThrownBy(() -> KindResolver.resolve(" ", null, "at")).hasMessage("at.kind is required");
  }
}
