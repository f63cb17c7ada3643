package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.webhook.support.AdmissionAnswer.generatedExperiment;
import static tools.iter8.webhook.support.AdmissionAnswer.iter8Annotations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.NamedValue;
import tools.iter8.core.workload.TemplateHash;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.TestWebhook;

/** KServe InferenceServices (DESIGN §2.3): canaryTrafficPercent 0 keeps the previous predictor serving. */
class InferenceServiceAdmissionTest {
  private final TestWebhook webhook = TestWebhook.shared();
  private final ObjectNode v1 = Fixtures.readyInferenceService(Fixtures.inferenceService(), "sklearn-iris-predictor-00001");

  private static ObjectNode manifest(String model) {
    return Fixtures.replace(Fixtures.inferenceService(), "sklearn/1.0/model", "sklearn/1.0/" + model);
  }

  private AdmissionAnswer update(JsonNode old, JsonNode object) {
    return webhook.review("/mutate", AdmissionReviewBuilder.update(old, object).toJson());
  }

  private ObjectNode staged() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("model-2"));
    return Fixtures.storedAfterWrite(v1, update(v1, applied).applyTo(applied));
  }

  @Test
  void aNewPredictorStartsAtZeroPercentAndThePreviousIsKept() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("model-2"));
    AdmissionAnswer answer = update(v1, applied);

    assertThat(Fixtures.paths(answer.patch())).contains("add /spec/predictor/canaryTrafficPercent");
    JsonNode after = answer.applyTo(applied);
    assertThat(after.at("/spec/predictor/canaryTrafficPercent").asInt(-1)).isZero();
    assertThat(ApiMapper.read(iter8Annotations(after).get("iter8.tools/baseline-spec"), JsonNode.class))
        .isEqualTo(v1.at("/spec/predictor"));

    Experiment e = generatedExperiment(after);
    assertThat(e.spec().routing().router()).isEqualTo("KServe");
    assertThat(e.spec().targetRef().kind()).isEqualTo("InferenceService");
    assertThat(e.spec().criteria().requestCount()).isEqualTo("iter8-kserve/request-count");
    assertThat(e.spec().criteria().strength()).isEqualTo(0.9);
    assertThat(e.spec().versionInfo().baseline().variables())
        .contains(new NamedValue("revision", "sklearn-iris-predictor-00001"));
  }

  @Test
  void theRecordedBaselineSpecSurvivesANewerVersion() {
    ObjectNode staged = staged();
    ObjectNode v3 = ApiServerObjects.applied(staged, manifest("model-3"));
    JsonNode after = update(staged, v3).applyTo(v3);
    assertThat(ApiMapper.read(iter8Annotations(after).get("iter8.tools/baseline-spec"), JsonNode.class))
        .isEqualTo(v1.at("/spec/predictor"));
    assertThat(iter8Annotations(after).get("iter8.tools/baseline-hash"))
        .isEqualTo(TemplateHash.of(WorkloadKind.INFERENCE_SERVICE, v1));
  }

  @Test
  void theAgentsPromotionRemovingCanaryTrafficPercentIsNotANewVersion() {
    ObjectNode staged = staged();
    ObjectNode promoted = staged.deepCopy();
    ((ObjectNode) promoted.at("/spec/predictor")).remove("canaryTrafficPercent");
    ((ObjectNode) promoted.at("/metadata/annotations")).remove(List.of("iter8.tools/experiment",
        "iter8.tools/experiment-spec", "iter8.tools/baseline-hash", "iter8.tools/candidate-hash", "iter8.tools/baseline-spec"));
    AdmissionAnswer answer = update(staged, promoted);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void theAgentsRollbackRestoringTheBaselineSpecPassesWithNoPatch() {
    ObjectNode staged = staged();
    ObjectNode rollback = staged.deepCopy();
    rollback.withObjectProperty("spec").set("predictor", v1.at("/spec/predictor").deepCopy());
    ObjectNode annotations = (ObjectNode) rollback.at("/metadata/annotations");
    annotations.remove(List.of("iter8.tools/experiment", "iter8.tools/experiment-spec", "iter8.tools/baseline-hash",
        "iter8.tools/candidate-hash", "iter8.tools/baseline-spec"));
    annotations.put("iter8.tools/rejected-hash", iter8Annotations(staged).get("iter8.tools/candidate-hash"));
    annotations.put("iter8.tools/status", "rolled back");
    AdmissionAnswer answer = update(staged, rollback);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void inRawDeploymentModeThereIsNothingToCompare() {
    ObjectNode raw = Fixtures.stored(Fixtures.inferenceService());
    ObjectNode applied = ApiServerObjects.applied(raw, manifest("model-2"));
    AdmissionAnswer answer = update(raw, applied);
    assertThat(answer.hasPatch()).isFalse();
    assertThat(answer.warnings()).singleElement().asString().contains("serverless mode");
  }
}
