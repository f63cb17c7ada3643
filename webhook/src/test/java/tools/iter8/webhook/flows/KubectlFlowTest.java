package tools.iter8.webhook.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.webhook.support.AdmissionAnswer.generatedExperiment;
import static tools.iter8.webhook.support.AdmissionAnswer.iter8Annotations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.workload.TemplateHash;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.testkit.kube.KubernetesApiEmulation;
import tools.iter8.testkit.kube.ResourceType;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.Processes;
import tools.iter8.webhook.support.Repo;
import tools.iter8.webhook.support.TestWebhook;

/**
 * The kubectl user flow: the example manifests of docs/examples/kubectl rendered by the real kubectl
 * ({@code kubectl create --dry-run=client -o json}, with the Kubernetes API emulation answering discovery),
 * version 1 sent as CREATE, then version 2 (the file edited as a user would) as the UPDATE of the stored v1.
 */
class KubectlFlowTest {
  private static KubernetesApiEmulation kube;
  private static Path kubeconfig;

  @TempDir Path dir;
  private final TestWebhook webhook = TestWebhook.shared();

  @BeforeAll
  static void cluster(@TempDir Path tmp) throws IOException {
    kube = KubernetesApiEmulation.start();
    kube.register(new ResourceType("serving.knative.dev", "v1", "services", "Service", true, true));
    kube.register(new ResourceType("serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService", true, true));
    kubeconfig = kube.writeKubeconfig(tmp.resolve("kubeconfig"));
  }

  @AfterAll
  static void stop() {
    if (kube != null) {
      kube.close();
    }
  }

  /** The example edited as a user would for the next version, rendered by kubectl. */
  private JsonNode render(String example, String from, String to, String kind) throws IOException {
    Path file = dir.resolve(to.replaceAll("[^a-z0-9]", "_") + "-" + example);
    Files.writeString(file, Files.readString(Repo.path("docs/examples/kubectl/" + example)).replace(from, to));
    String json = Processes.ok(Map.of(), null, Processes.kubectl(), "--kubeconfig", kubeconfig.toString(),
        // The emulation serves discovery but no OpenAPI documents: schema validation is the API server's.
        "create", "--dry-run=client", "--validate=false", "-o", "json", "-n", Fixtures.NS, "-f", file.toString());
    JsonNode out = ApiMapper.read(json, JsonNode.class);
    JsonNode items = out.path("kind").asText().equals("List") ? out.path("items") : ApiMapper.toTree(java.util.List.of(out));
    for (JsonNode item : items) {
      if (item.path("kind").asText().equals(kind)) {
        return item;
      }
    }
    throw new AssertionError("kubectl rendered no " + kind + " from " + example + ": " + json);
  }

  private AdmissionAnswer create(JsonNode rendered) {
    ObjectNode object = ApiServerObjects.forCreate(rendered, Fixtures.NS, "kubectl-client-side-apply");
    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.create(object).toJson());
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).as("the first version passes untouched").isFalse();
    return answer;
  }

  @Test
  void aDeploymentVersion2IsStagedWithItsExperiment() throws IOException {
    JsonNode v1 = render("deployment.yaml", ":v1", ":v1", "Deployment");
    assertThat(v1.at("/metadata/labels/iter8.tools~1watch").asText()).isEqualTo("true");
    create(v1);
    ObjectNode stored = Fixtures.stored(v1);
    JsonNode v2 = render("deployment.yaml", ":v1", ":v2", "Deployment");
    ObjectNode applied = ApiServerObjects.applied(stored, v2);

    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.update(stored, applied).toJson());
    JsonNode after = answer.applyTo(applied);
    assertThat(after.at("/spec/paused").asBoolean()).isTrue();
    assertThat(after.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("ghcr.io/example/myapp:v2");
    Experiment e = generatedExperiment(after);
    assertThat(e.metadata().name()).isEqualTo(iter8Annotations(after).get("iter8.tools/experiment"));
    assertThat(e.spec().versionInfo().baseline().variables())
        .contains(new NamedValue("hash", TemplateHash.of(WorkloadKind.DEPLOYMENT, v1)));
    assertThat(e.spec().versionInfo().candidates().get(0).variables())
        .contains(new NamedValue("hash", TemplateHash.of(WorkloadKind.DEPLOYMENT, v2)));
    assertThat(e.spec().duration().intervalSeconds()).isEqualTo(30);
    assertThat(e.spec().criteria().objectives()).extracting(o -> o.metric())
        .containsExactly("iter8-http/error-rate", "iter8-http/latency-p95");
  }

  @Test
  void aKnativeServiceVersion2IsPinnedWithItsExperiment() throws IOException {
    JsonNode v1 = render("knative-service.yaml", ":v1", ":v1", "Service");
    create(v1);
    ObjectNode stored = Fixtures.readyKnative(v1, "hello-00001");
    JsonNode v2 = render("knative-service.yaml", ":v1", ":v2", "Service");
    ObjectNode applied = ApiServerObjects.applied(stored, v2);

    JsonNode after = webhook.review("/mutate", AdmissionReviewBuilder.update(stored, applied).toJson()).applyTo(applied);
    assertThat(after.at("/spec/traffic/0/revisionName").asText()).isEqualTo("hello-00001");
    assertThat(after.at("/spec/traffic/1/tag").asText()).isEqualTo("candidate");
    assertThat(after.at("/spec/traffic/1/percent").asInt(-1)).isZero();
    assertThat(generatedExperiment(after).spec().routing().router()).isEqualTo("Knative");
  }

  @Test
  void anInferenceServiceModel2StartsAtZeroPercentWithItsExperiment() throws IOException {
    JsonNode v1 = render("inferenceservice.yaml", "1.0/model", "1.0/model", "InferenceService");
    create(v1);
    ObjectNode stored = Fixtures.readyInferenceService(v1, "sklearn-iris-predictor-00001");
    JsonNode v2 = render("inferenceservice.yaml", "1.0/model", "1.0/model-2", "InferenceService");
    ObjectNode applied = ApiServerObjects.applied(stored, v2);

    JsonNode after = webhook.review("/mutate", AdmissionReviewBuilder.update(stored, applied).toJson()).applyTo(applied);
    assertThat(after.at("/spec/predictor/canaryTrafficPercent").asInt(-1)).isZero();
    assertThat(after.at("/spec/predictor/model/storageUri").asText()).endsWith("/model-2");
    Experiment e = generatedExperiment(after);
    assertThat(e.spec().routing().router()).isEqualTo("KServe");
    assertThat(e.spec().criteria().strength()).isEqualTo(0.9);
  }
}
