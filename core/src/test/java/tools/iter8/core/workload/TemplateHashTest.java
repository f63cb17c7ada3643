package tools.iter8.core.workload;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;

class TemplateHashTest {

  private static final String TEMPLATE =
      """
      {"spec": {"containers": [{"name": "app", "image": "ghcr.io/example/myapp:v1",
                                "ports": [{"containerPort": 8080}]}]},
       "metadata": {"labels": {"app": "myapp"}}}
      """;

  private static JsonNode json(String text) {
    return ApiMapper.read(text, JsonNode.class);
  }

  @Test
  void canonicalJsonSortsKeysAndDropsWhitespace() {
    assertThat(TemplateHash.canonicalJson(json(TEMPLATE)))
        .isEqualTo(
            "{\"metadata\":{\"labels\":{\"app\":\"myapp\"}},\"spec\":{\"containers\":[{\"image\":"
                + "\"ghcr.io/example/myapp:v1\",\"name\":\"app\",\"ports\":[{\"containerPort\":8080}]}]}}");
  }

  @Test
  void hashIsTheFirstSixteenHexDigitsOfTheSha256OfTheCanonicalJson() {
    // Computed independently: python3 -c "import hashlib; print(hashlib.sha256(b'...').hexdigest()[:16])"
    assertThat(TemplateHash.of(json(TEMPLATE))).isEqualTo("35372529331c7715");
    assertThat(TemplateHash.of(json("{}"))).isEqualTo("44136fa355b3678a");
  }

  @Test
  void keyOrderNullFieldsAndNumberFormsDoNotMatter() {
    JsonNode reordered =
        json(
            """
            {"metadata": {"labels": {"app": "myapp"}, "creationTimestamp": null},
             "spec": {"containers": [{"ports": [{"containerPort": 8080.0}], "image": "ghcr.io/example/myapp:v1",
                                      "name": "app", "command": null}]}}
            """);
    assertThat(TemplateHash.of(reordered)).isEqualTo(TemplateHash.of(json(TEMPLATE)));
  }

  @Test
  void aNewImageIsANewVersion() {
    assertThat(TemplateHash.of(json(TEMPLATE.replace(":v1", ":v2"))))
        .isNotEqualTo(TemplateHash.of(json(TEMPLATE)));
  }

  @Test
  void iter8AnnotationsInTheTemplateAreIgnoredOtherAnnotationsCount() {
    JsonNode withIter8 =
        json(TEMPLATE.replace("\"labels\"", "\"annotations\": {\"iter8.tools/objectives\": \"error-rate<=0.02\"}, \"labels\""));
    assertThat(TemplateHash.of(withIter8)).isEqualTo(TemplateHash.of(json(TEMPLATE)));

    JsonNode restarted =
        json(TEMPLATE.replace("\"labels\"",
            "\"annotations\": {\"kubectl.kubernetes.io/restartedAt\": \"2025-01-01T00:00:00Z\"}, \"labels\""));
    assertThat(TemplateHash.of(restarted)).isNotEqualTo(TemplateHash.of(json(TEMPLATE)));
  }

  @Test
  void ignoringAnnotationsDoesNotChangeTheTemplate() {
    JsonNode withIter8 =
        json("{\"metadata\": {\"annotations\": {\"iter8.tools/retry\": \"1\", \"a\": \"b\"}}}");
    TemplateHash.of(withIter8);
    assertThat(withIter8.at("/metadata/annotations/iter8.tools~1retry").asText()).isEqualTo("1");
  }

  @Test
  void theDeploymentVersionIsItsPodTemplate() {
    JsonNode deployment =
        json("{\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"spec\": {\"replicas\": 3, \"template\": "
            + TEMPLATE + "}}");
    JsonNode scaled = deployment.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) scaled.path("spec")).put("replicas", 5);

    assertThat(TemplateHash.of(WorkloadKind.DEPLOYMENT, deployment)).isEqualTo(TemplateHash.of(json(TEMPLATE)));
    assertThat(TemplateHash.of(WorkloadKind.DEPLOYMENT, scaled))
        .isEqualTo(TemplateHash.of(WorkloadKind.DEPLOYMENT, deployment));
  }

  @Test
  void theInferenceServiceVersionIsItsPredictorWithoutCanaryTrafficPercent() {
    JsonNode isvc =
        json(
            """
            {"apiVersion": "serving.kserve.io/v1beta1", "kind": "InferenceService",
             "spec": {"predictor": {"model": {"modelFormat": {"name": "sklearn"}, "storageUri": "gs://m/v1"},
                                    "annotations": {"iter8.tools/retry": "2"}}}}
            """);
    JsonNode pinned = isvc.deepCopy();
    ((com.fasterxml.jackson.databind.node.ObjectNode) pinned.at("/spec/predictor")).put("canaryTrafficPercent", 0);

    assertThat(TemplateHash.of(WorkloadKind.INFERENCE_SERVICE, pinned))
        .isEqualTo(TemplateHash.of(WorkloadKind.INFERENCE_SERVICE, isvc))
        .isEqualTo(TemplateHash.of(json(
            "{\"model\": {\"modelFormat\": {\"name\": \"sklearn\"}, \"storageUri\": \"gs://m/v1\"}}")));
    assertThat(pinned.at("/spec/predictor/canaryTrafficPercent").asInt()).isZero();
  }

  @Test
  void aMissingTemplateHashesLikeNull() {
    assertThat(TemplateHash.of(MissingNode.getInstance())).isEqualTo(TemplateHash.of((JsonNode) null));
  }

  @Test
  void kindsAreFoundByGroupVersionAndKind() {
    assertThat(WorkloadKind.of("serving.knative.dev", "v1", "Service")).contains(WorkloadKind.KNATIVE_SERVICE);
    assertThat(WorkloadKind.of("", "v1", "Service")).isEmpty();
    assertThat(WorkloadKind.ofObject(json("{\"apiVersion\": \"serving.kserve.io/v1beta1\", \"kind\": \"InferenceService\"}")))
        .contains(WorkloadKind.INFERENCE_SERVICE);
    assertThat(WorkloadKind.ofObject(json("{\"apiVersion\": \"v1\", \"kind\": \"Service\"}"))).isEmpty();
    assertThat(WorkloadKind.DEPLOYMENT.apiVersion()).isEqualTo("apps/v1");
    assertThat(WorkloadKind.INFERENCE_SERVICE.plural()).isEqualTo("inferenceservices");
  }
}
