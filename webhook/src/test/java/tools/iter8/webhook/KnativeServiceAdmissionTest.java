package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.webhook.support.AdmissionAnswer.generatedExperiment;
import static tools.iter8.webhook.support.AdmissionAnswer.iter8Annotations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
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

/** Knative Services (DESIGN §2.3): traffic pinned to the ready revision, the new one at 0% tagged candidate. */
class KnativeServiceAdmissionTest {
  private static final String PIN =
      "[{\"revisionName\": \"hello-00001\", \"percent\": 100},"
          + " {\"latestRevision\": true, \"percent\": 0, \"tag\": \"candidate\"}]";

  private final TestWebhook webhook = TestWebhook.shared();
  private final ObjectNode v1 = Fixtures.readyKnative(Fixtures.knativeService(), "hello-00001");

  private static ObjectNode manifest(String tag) {
    return Fixtures.replace(Fixtures.knativeService(), ":v1", ":" + tag);
  }

  private AdmissionAnswer update(JsonNode old, JsonNode object) {
    return webhook.review("/mutate", AdmissionReviewBuilder.update(old, object).patch("kubectl-client-side-apply").toJson());
  }

  private static JsonNode json(String s) {
    return ApiMapper.read(s, JsonNode.class);
  }

  @Test
  void aNewRevisionIsPinnedAtZeroPercent() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    AdmissionAnswer answer = update(v1, applied);

    assertThat(Fixtures.paths(answer.patch())).contains("add /spec/traffic", "add /metadata/annotations/iter8.tools~1baseline-traffic");
    JsonNode after = answer.applyTo(applied);
    assertThat(after.at("/spec/traffic")).isEqualTo(json(PIN));
    Map<String, String> a = iter8Annotations(after);
    assertThat(a).containsEntry("iter8.tools/baseline-traffic", "null")
        .containsEntry("iter8.tools/baseline-hash", TemplateHash.of(WorkloadKind.KNATIVE_SERVICE, v1))
        .containsEntry("iter8.tools/candidate-hash", TemplateHash.of(WorkloadKind.KNATIVE_SERVICE, applied));

    Experiment e = generatedExperiment(after);
    assertThat(e.spec().routing().router()).isEqualTo("Knative");
    assertThat(e.spec().targetRef().apiVersion()).isEqualTo("serving.knative.dev/v1");
    assertThat(e.spec().targetRef().kind()).isEqualTo("Service");
    assertThat(e.spec().criteria().requestCount()).isEqualTo("iter8-knative/request-count");
    assertThat(e.spec().criteria().objectives()).extracting(o -> o.metric())
        .containsExactly("iter8-knative/error-rate", "iter8-knative/mean-latency");
    assertThat(e.spec().strategy().weights().maxCandidateWeight()).isEqualTo(100);
    assertThat(e.spec().strategy().weights().maxCandidateWeightIncrement()).isEqualTo(20);
    assertThat(e.spec().versionInfo().baseline().variables()).contains(new NamedValue("revision", "hello-00001"),
        new NamedValue("workload", "hello"));
    assertThat(e.spec().versionInfo().candidates().get(0).variables()).extracting(NamedValue::name)
        .containsExactly("namespace", "workload", "hash");
  }

  @Test
  void theUsersOwnTrafficIsRecordedAndRestoredWhenTheBaselineComesBack() {
    String own = "[{\"latestRevision\": true, \"percent\": 100, \"tag\": \"current\"}]";
    ObjectNode withTraffic = Fixtures.knativeService();
    ((ObjectNode) withTraffic.path("spec")).set("traffic", json(own));
    ObjectNode stored = Fixtures.readyKnative(withTraffic, "hello-00001");
    ObjectNode v2 = Fixtures.replace(withTraffic, ":v1", ":v2");
    ObjectNode applied = ApiServerObjects.applied(stored, v2);
    JsonNode after = update(stored, applied).applyTo(applied);
    assertThat(json(iter8Annotations(after).get("iter8.tools/baseline-traffic"))).isEqualTo(json(own));
    assertThat(after.at("/spec/traffic")).isEqualTo(json(PIN));

    // The baseline template comes back (kubectl apply keeps the pinned traffic): the user's traffic returns.
    ObjectNode staged = Fixtures.storedAfterWrite(stored, after);
    ObjectNode pinnedRevert = staged.deepCopy();
    pinnedRevert.withObjectProperty("spec").set("template", stored.at("/spec/template").deepCopy());
    JsonNode reverted = update(staged, pinnedRevert).applyTo(pinnedRevert);
    assertThat(reverted.at("/spec/traffic")).isEqualTo(json(own));
    assertThat(iter8Annotations(reverted)).doesNotContainKeys("iter8.tools/baseline-traffic", "iter8.tools/experiment");
  }

  @Test
  void withoutAReadyRevisionThereIsNothingToCompare() {
    ObjectNode notReady = Fixtures.stored(Fixtures.knativeService());
    ObjectNode applied = ApiServerObjects.applied(notReady, manifest("v2"));
    AdmissionAnswer answer = update(notReady, applied);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
    assertThat(answer.warnings()).singleElement().asString()
        .contains("no ready revision yet").endsWith("the new version rolls out without an experiment");
  }

  @Test
  void aNewerVersionDuringAnExperimentKeepsThePinnedBaselineRevision() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    ObjectNode staged = Fixtures.storedAfterWrite(v1, update(v1, applied).applyTo(applied));
    // Knative made hello-00002 for v2, and it became ready: it is the latest ready revision now.
    ((ObjectNode) staged.path("status")).put("latestReadyRevisionName", "hello-00002");

    ObjectNode v3 = ApiServerObjects.applied(staged, manifest("v3"));
    JsonNode after = update(staged, v3).applyTo(v3);
    assertThat(after.at("/spec/traffic")).isEqualTo(json(PIN));
    assertThat(iter8Annotations(after).get("iter8.tools/baseline-traffic")).isEqualTo("null");
    assertThat(generatedExperiment(after).spec().versionInfo().baseline().variables())
        .contains(new NamedValue("revision", "hello-00001"));
  }

  @Test
  void aRevisionNamedInTheTemplateIsTheCandidatesRevision() {
    ObjectNode named = manifest("v2");
    ((ObjectNode) named.at("/spec/template")).putObject("metadata").put("name", "hello-v2");
    ObjectNode applied = ApiServerObjects.applied(v1, named);
    Experiment e = generatedExperiment(update(v1, applied).applyTo(applied));
    assertThat(e.spec().versionInfo().candidates().get(0).variables()).contains(new NamedValue("revision", "hello-v2"));
  }

  @Test
  void theAgentsTrafficMovesPassUntouched() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    ObjectNode staged = Fixtures.storedAfterWrite(v1, update(v1, applied).applyTo(applied));
    ObjectNode shifted = staged.deepCopy();
    ((ObjectNode) shifted.path("spec")).set("traffic", json(PIN.replace("100", "70").replace("\"percent\": 0", "\"percent\": 30")));
    AdmissionAnswer answer =
        webhook.review("/mutate", AdmissionReviewBuilder.update(staged, shifted).serviceAccount("iter8-system", "iter8-agent").toJson());
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }
}
