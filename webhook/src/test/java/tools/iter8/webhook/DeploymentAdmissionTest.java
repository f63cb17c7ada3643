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

/** Deployments (DESIGN §2.3), each request over TLS as kube-apiserver sends it. */
class DeploymentAdmissionTest {
  private final TestWebhook webhook = TestWebhook.shared();

  private final ObjectNode v1 = Fixtures.stored(Fixtures.deployment());
  private final String h1 = TemplateHash.of(WorkloadKind.DEPLOYMENT, v1);

  private static ObjectNode manifest(String tag) {
    return Fixtures.replace(Fixtures.deployment(), ":v1", ":" + tag);
  }

  private AdmissionAnswer update(JsonNode old, JsonNode object) {
    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.update(old, object).uid("u-1").toJson());
    assertThat(answer.uid()).isEqualTo("u-1");
    return answer;
  }

  /** v1 stored, v2 applied: the staged object as stored, and the answer. */
  private record Staged(ObjectNode object, AdmissionAnswer answer) {}

  private Staged stageV2() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    AdmissionAnswer answer = update(v1, applied);
    return new Staged(Fixtures.storedAfterWrite(v1, answer.applyTo(applied)), answer);
  }

  @Test
  void aCreatePassesUntouched() {
    ObjectNode created = ApiServerObjects.forCreate(Fixtures.deployment(), Fixtures.NS, "kubectl-client-side-apply");
    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.create(created).toJson());
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
    assertThat(answer.response().has("patchType")).isFalse();
  }

  @Test
  void aNewTemplateIsPausedAndAnnotatedWithItsExperiment() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    String h2 = TemplateHash.of(WorkloadKind.DEPLOYMENT, applied);
    AdmissionAnswer answer = update(v1, applied);

    assertThat(answer.allowed()).isTrue();
    assertThat(Fixtures.paths(answer.patch()))
        .containsExactly(
            "add /metadata/annotations/iter8.tools~1experiment",
            "add /metadata/annotations/iter8.tools~1experiment-spec",
            "add /metadata/annotations/iter8.tools~1baseline-hash",
            "add /metadata/annotations/iter8.tools~1candidate-hash",
            "add /metadata/annotations/iter8.tools~1status",
            "add /spec/paused");
    JsonNode after = answer.applyTo(applied);
    assertThat(after.at("/spec/paused").asBoolean()).isTrue();
    Map<String, String> a = iter8Annotations(after);
    String name = a.get("iter8.tools/experiment");
    assertThat(name).matches("myapp-[0-9a-f]{8}");
    assertThat(a)
        .containsEntry("iter8.tools/baseline-hash", h1)
        .containsEntry("iter8.tools/candidate-hash", h2)
        .containsEntry("iter8.tools/status", "experiment " + name + " started for template " + h2);
    assertThat(answer.warnings())
        .containsExactly("iter8: the new version of Deployment shop/myapp (template " + h2 + ") is staged; experiment "
            + name + " decides whether it rolls out");

    // Apart from the pause and iter8's annotations, the object is exactly what was written.
    ObjectNode stripped = after.deepCopy();
    ((ObjectNode) stripped.path("spec")).remove("paused");
    a.keySet().stream().filter(k -> !applied.at("/metadata/annotations").has(k))
        .forEach(k -> ((ObjectNode) stripped.at("/metadata/annotations")).remove(k));
    assertThat(stripped).isEqualTo(applied);
  }

  @Test
  void theGeneratedExperimentFollowsTheAnnotationsAndPassesValidation() {
    Staged staged = stageV2();
    Experiment e = generatedExperiment(staged.object());
    String name = e.metadata().name();
    String h2 = TemplateHash.of(WorkloadKind.DEPLOYMENT, staged.object());

    assertThat(e.metadata().namespace()).isEqualTo("shop");
    assertThat(e.metadata().labels())
        .containsEntry("iter8.tools/generated", "true").containsEntry("iter8.tools/workload", "myapp");
    assertThat(e.metadata().annotations())
        .containsEntry("iter8.tools/baseline-hash", h1).containsEntry("iter8.tools/candidate-hash", h2);
    assertThat(e.spec().target()).isEqualTo("shop/myapp");
    assertThat(e.spec().targetRef().apiVersion()).isEqualTo("apps/v1");
    assertThat(e.spec().targetRef().kind()).isEqualTo("Deployment");
    assertThat(e.spec().targetRef().name()).isEqualTo("myapp");
    assertThat(e.spec().routing().router()).isEqualTo("Replicas");
    assertThat(e.spec().strategy().testingPattern()).isEqualTo("Canary");
    assertThat(e.spec().strategy().deploymentPattern()).isEqualTo("Progressive");
    assertThat(e.spec().strategy().weights().maxCandidateWeight()).isEqualTo(50);
    assertThat(e.spec().strategy().weights().maxCandidateWeightIncrement()).isEqualTo(10);
    assertThat(e.spec().strategy().actions().get("finish"))
        .extracting(t -> t.condition() + " " + t.task())
        .containsExactly("CandidateWon() common/promote", "not CandidateWon() common/rollback");
    assertThat(e.spec().strategy().actions().get("failure")).extracting(t -> t.task()).containsExactly("common/rollback");
    assertThat(e.spec().criteria().requestCount()).isEqualTo("iter8-http/request-count");
    assertThat(e.spec().criteria().objectives())
        .extracting(o -> o.metric() + "<=" + o.upperLimit() + " rollback=" + o.rollbackOnFailure())
        .containsExactly("iter8-http/error-rate<=0.01 rollback=true", "iter8-http/latency-p95<=300 rollback=true");
    assertThat(e.spec().criteria().strength()).isEqualTo(0.95);
    assertThat(e.spec().duration().intervalSeconds()).isEqualTo(30);
    assertThat(e.spec().duration().iterationsPerLoop()).isEqualTo(10);
    assertThat(e.spec().duration().maxLoops()).isEqualTo(1);
    assertThat(e.spec().versionInfo().baseline().name()).isEqualTo("baseline");
    assertThat(e.spec().versionInfo().baseline().variables())
        .extracting(NamedValue::name, NamedValue::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("namespace", "shop"),
            org.assertj.core.groups.Tuple.tuple("workload", "myapp"),
            org.assertj.core.groups.Tuple.tuple("hash", h1));
    assertThat(e.spec().versionInfo().candidates()).hasSize(1);
    assertThat(e.spec().versionInfo().candidates().get(0).name()).isEqualTo("candidate");
    assertThat(e.spec().versionInfo().candidates().get(0).variables())
        .extracting(NamedValue::name, NamedValue::value)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("namespace", "shop"),
            org.assertj.core.groups.Tuple.tuple("workload", name),
            org.assertj.core.groups.Tuple.tuple("hash", h2));
  }

  @Test
  void fieldsIter8DoesNotKnowAreNeverTouched() {
    ObjectNode withUnknown = ApiServerObjects.applied(v1, manifest("v2"));
    ((ObjectNode) withUnknown.at("/spec/template/spec")).putObject("futureField").put("x", 1);
    ((ObjectNode) withUnknown.path("metadata")).putArray("finalizers").add("example.com/keep");
    withUnknown.put("futureTopLevel", 1.50);
    AdmissionAnswer answer = update(v1, withUnknown);

    assertThat(Fixtures.paths(answer.patch())).allSatisfy(p ->
        assertThat(p).matches("add (/spec/paused|/metadata/annotations/iter8\\.tools~1[a-z-]+)"));
    JsonNode after = answer.applyTo(withUnknown);
    assertThat(after.at("/spec/template/spec/futureField/x").asInt()).isEqualTo(1);
    assertThat(after.at("/metadata/finalizers/0").asText()).isEqualTo("example.com/keep");
  }

  @Test
  void scalingAndLabelEditsPassUntouched() {
    ObjectNode scaled = v1.deepCopy();
    ((ObjectNode) scaled.path("spec")).put("replicas", 8);
    ((ObjectNode) scaled.at("/metadata/labels")).put("team", "checkout");
    AdmissionAnswer answer = update(v1, scaled);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void theSameTemplateTwiceGivesTheSameExperimentName() {
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    String first = iter8Annotations(update(v1, applied).applyTo(applied)).get("iter8.tools/experiment");
    String again = iter8Annotations(update(v1, applied.deepCopy()).applyTo(applied)).get("iter8.tools/experiment");
    assertThat(again).isEqualTo(first);

    // Applied once more after it was stored: not a new version, nothing to do.
    Staged staged = stageV2();
    AdmissionAnswer reapplied = update(staged.object(), ApiServerObjects.applied(staged.object(), manifest("v2")));
    assertThat(reapplied.allowed()).isTrue();
    assertThat(reapplied.hasPatch()).isFalse();
  }

  @Test
  void aTemplateComingBackLaterGetsANewExperimentName() {
    String first = iter8Annotations(stageV2().object()).get("iter8.tools/experiment");
    ObjectNode later = v1.deepCopy();
    ((ObjectNode) later.path("metadata")).put("generation", 7);
    ObjectNode applied = ApiServerObjects.applied(later, manifest("v2"));
    String second = iter8Annotations(update(later, applied).applyTo(applied)).get("iter8.tools/experiment");
    assertThat(second).isNotEqualTo(first);
  }

  @Test
  void aRejectedTemplateIsStagedWithoutAnExperimentAndSaysWhy() {
    String h2 = TemplateHash.of(WorkloadKind.DEPLOYMENT, manifest("v2"));
    ObjectNode rejectedBefore =
        Fixtures.withAnnotations(v1, Map.of(
            "iter8.tools/rejected-hash", h2, "iter8.tools/rejected-experiment", "myapp-0badc0de",
            "iter8.tools/status", "rolled back: candidate lost"));
    ObjectNode applied = ApiServerObjects.applied(rejectedBefore, manifest("v2"));
    AdmissionAnswer answer = update(rejectedBefore, applied);

    JsonNode after = answer.applyTo(applied);
    assertThat(after.at("/spec/paused").asBoolean()).isTrue();
    Map<String, String> a = iter8Annotations(after);
    String status = "rejected: template " + h2 + " lost experiment myapp-0badc0de; change the template or"
        + " iter8.tools/retry to try again";
    assertThat(a).doesNotContainKeys("iter8.tools/experiment", "iter8.tools/experiment-spec", "iter8.tools/candidate-hash")
        .containsEntry("iter8.tools/baseline-hash", h1)
        .containsEntry("iter8.tools/status", status);
    assertThat(answer.warnings()).containsExactly("iter8: Deployment shop/myapp " + status);

    // Labels edited later: still rejected, nothing to change.
    ObjectNode stored = Fixtures.storedAfterWrite(rejectedBefore, after);
    ObjectNode relabeled = stored.deepCopy();
    ((ObjectNode) relabeled.at("/metadata/labels")).put("team", "checkout");
    assertThat(update(stored, relabeled).hasPatch()).isFalse();

    // A new retry value tries it again, with an experiment.
    ObjectNode retried = ApiServerObjects.applied(stored, Fixtures.withAnnotations(manifest("v2"), Map.of("iter8.tools/retry", "1")));
    JsonNode afterRetry = update(stored, retried).applyTo(retried);
    assertThat(iter8Annotations(afterRetry))
        .containsEntry("iter8.tools/baseline-hash", h1)
        .containsEntry("iter8.tools/candidate-hash", h2)
        .containsKey("iter8.tools/experiment");
    generatedExperiment(afterRetry);

    // And a different template starts an experiment against the serving baseline.
    ObjectNode v3 = ApiServerObjects.applied(stored, manifest("v3"));
    JsonNode afterV3 = update(stored, v3).applyTo(v3);
    assertThat(iter8Annotations(afterV3)).containsEntry("iter8.tools/baseline-hash", h1).containsKey("iter8.tools/experiment");
  }

  @Test
  void theAgentsRollbackWritePassesWithNoPatch() {
    Staged staged = stageV2();
    String h2 = iter8Annotations(staged.object()).get("iter8.tools/candidate-hash");
    String experiment = iter8Annotations(staged.object()).get("iter8.tools/experiment");
    // The agent restores the baseline template, unpauses, clears the staging state and records the loss.
    ObjectNode rollback = staged.object().deepCopy();
    rollback.withObjectProperty("spec").set("template", v1.at("/spec/template").deepCopy());
    ((ObjectNode) rollback.path("spec")).remove("paused");
    ObjectNode annotations = (ObjectNode) rollback.at("/metadata/annotations");
    annotations.remove(java.util.List.of("iter8.tools/experiment", "iter8.tools/experiment-spec",
        "iter8.tools/baseline-hash", "iter8.tools/candidate-hash"));
    annotations.put("iter8.tools/rejected-hash", h2);
    annotations.put("iter8.tools/rejected-experiment", experiment);
    annotations.put("iter8.tools/status", "rolled back: " + experiment + " found the candidate worse");

    AdmissionAnswer answer =
        webhook.review("/mutate", AdmissionReviewBuilder.update(staged.object(), rollback)
            .serviceAccount("iter8-system", "iter8-agent").put("iter8-agent").toJson());
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void aUserRevertingToTheBaselineUnstagesTheDeployment() {
    Staged staged = stageV2();
    ObjectNode revert = ApiServerObjects.applied(staged.object(), manifest("v1"));
    AdmissionAnswer answer = update(staged.object(), revert);

    JsonNode after = answer.applyTo(revert);
    assertThat(after.at("/spec/paused").isMissingNode()).isTrue();
    assertThat(iter8Annotations(after))
        .doesNotContainKeys("iter8.tools/experiment", "iter8.tools/experiment-spec", "iter8.tools/baseline-hash",
            "iter8.tools/candidate-hash")
        .containsEntry("iter8.tools/status", "baseline template " + h1 + " restored; nothing is staged");
  }

  @Test
  void aNewerVersionDuringAnExperimentGetsItsOwnExperimentAgainstTheSameBaseline() {
    Staged staged = stageV2();
    String firstExperiment = iter8Annotations(staged.object()).get("iter8.tools/experiment");
    ObjectNode v3 = ApiServerObjects.applied(staged.object(), manifest("v3"));
    String h3 = TemplateHash.of(WorkloadKind.DEPLOYMENT, v3);
    AdmissionAnswer answer = update(staged.object(), v3);

    JsonNode after = answer.applyTo(v3);
    Map<String, String> a = iter8Annotations(after);
    assertThat(a.get("iter8.tools/experiment")).isNotEqualTo(firstExperiment);
    assertThat(a).containsEntry("iter8.tools/baseline-hash", h1).containsEntry("iter8.tools/candidate-hash", h3);
    assertThat(after.at("/spec/paused").asBoolean()).isTrue();
    assertThat(answer.warnings().get(0)).endsWith("(it supersedes " + firstExperiment + ")");
    assertThat(generatedExperiment(after).spec().versionInfo().baseline().variables())
        .contains(new NamedValue("hash", h1));
  }

  @Test
  void labelEditsDuringAnExperimentPassUntouched() {
    Staged staged = stageV2();
    ObjectNode relabeled = staged.object().deepCopy();
    ((ObjectNode) relabeled.at("/metadata/labels")).put("team", "checkout");
    assertThat(update(staged.object(), relabeled).hasPatch()).isFalse();
  }

  @Test
  void badAnnotationsOnANewVersionAreDeniedWithEveryProblem() {
    ObjectNode bad = Fixtures.withAnnotations(manifest("v2"),
        Map.of("iter8.tools/interval", "soon", "iter8.tools/objectve", "error-rate<=0.01"));
    AdmissionAnswer answer = update(v1, ApiServerObjects.applied(v1, bad));

    assertThat(answer.allowed()).isFalse();
    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.response().at("/status/reason").asText()).isEqualTo("Invalid");
    assertThat(answer.message())
        .startsWith("iter8 cannot use the annotations of Deployment shop/myapp (2 problems): ")
        .contains("iter8.tools/interval: expected seconds (30) or a duration")
        .contains("iter8.tools/objectve: unknown annotation");
    assertThat(answer.response().at("/status/details/causes"))
        .extracting(c -> c.path("field").asText())
        .containsExactly("metadata.annotations[iter8.tools/interval]", "metadata.annotations[iter8.tools/objectve]");
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void settingsChangedToABadValueAreDeniedEvenWithoutANewVersion() {
    ObjectNode bad = Fixtures.withAnnotations(v1, Map.of("iter8.tools/strength", "2"));
    AdmissionAnswer answer = update(v1, bad);
    assertThat(answer.allowed()).isFalse();
    assertThat(answer.message()).contains("iter8.tools/strength: expected a probability");
  }

  @Test
  void badSettingsAlreadyStoredDoNotBlockOtherWrites() {
    ObjectNode storedBad = Fixtures.withAnnotations(v1, Map.of("iter8.tools/strength", "2"));
    ObjectNode scaled = storedBad.deepCopy();
    ((ObjectNode) scaled.path("spec")).put("replicas", 1);
    AdmissionAnswer answer = update(storedBad, scaled);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void withoutTheWatchLabelNothingHappens() {
    ObjectNode unlabeled = ApiServerObjects.applied(v1, manifest("v2"));
    ((ObjectNode) unlabeled.at("/metadata/labels")).remove("iter8.tools/watch");
    AdmissionAnswer answer = update(v1, unlabeled);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void deletesAndSubresourceWritesPass() {
    assertThat(webhook.review("/mutate", AdmissionReviewBuilder.delete(v1).toJson()).hasPatch()).isFalse();
    ObjectNode applied = ApiServerObjects.applied(v1, manifest("v2"));
    AdmissionAnswer status =
        webhook.review("/mutate", AdmissionReviewBuilder.update(v1, applied).subResource("status").toJson());
    assertThat(status.allowed()).isTrue();
    assertThat(status.hasPatch()).isFalse();
  }

  @Test
  void aConformanceCreateGetsAOneVersionExperimentAndRollsOut() {
    ObjectNode conformance = Fixtures.withAnnotations(Fixtures.deployment(), Map.of("iter8.tools/testing-pattern", "Conformance"));
    ObjectNode created = ApiServerObjects.forCreate(conformance, Fixtures.NS, "kubectl-client-side-apply");
    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.create(created).toJson());

    JsonNode after = answer.applyTo(created);
    assertThat(after.at("/spec/paused").isMissingNode()).isTrue();
    Experiment e = generatedExperiment(after);
    assertThat(e.spec().strategy().testingPattern()).isEqualTo("Conformance");
    assertThat(e.spec().versionInfo().candidates()).isNullOrEmpty();
    assertThat(e.spec().versionInfo().baseline().variables())
        .contains(new NamedValue("workload", "myapp"), new NamedValue("hash", TemplateHash.of(WorkloadKind.DEPLOYMENT, created)));
    assertThat(iter8Annotations(after)).doesNotContainKey("iter8.tools/baseline-hash");
  }

  @Test
  void anIstioRouterUsesTheVirtualServiceAndTheIstioMetrics() {
    ObjectNode istio = Fixtures.withAnnotations(manifest("v2"), Map.of("iter8.tools/router", "istio/myapp"));
    ObjectNode applied = ApiServerObjects.applied(v1, istio);
    Experiment e = generatedExperiment(update(v1, applied).applyTo(applied));
    assertThat(e.spec().routing().router()).isEqualTo("Istio");
    assertThat(e.spec().routing().objRef().kind()).isEqualTo("VirtualService");
    assertThat(e.spec().routing().objRef().name()).isEqualTo("myapp");
    assertThat(e.spec().routing().objRef().namespace()).isEqualTo("shop");
    assertThat(e.spec().criteria().requestCount()).isEqualTo("iter8-istio/request-count");
    assertThat(e.spec().strategy().weights().maxCandidateWeight()).isEqualTo(100);
  }

  @Test
  void aTemplateNamedByTheWorkloadIsPassedOnWithTheFieldsTheAnnotationsSet() {
    ObjectNode templated = Fixtures.withAnnotations(manifest("v2"), Map.of("iter8.tools/template", "team-defaults"));
    ObjectNode applied = ApiServerObjects.applied(v1, templated);
    Experiment e = generatedExperiment(update(v1, applied).applyTo(applied));
    assertThat(e.metadata().annotations())
        .containsEntry("iter8.tools/template", "team-defaults")
        .containsEntry("iter8.tools/overrides",
            "criteria.objectives,duration.intervalSeconds,duration.iterationsPerLoop");
  }

  @Test
  void theExperimentSpecAnnotationIsCompactJson() {
    String spec = iter8Annotations(stageV2().object()).get("iter8.tools/experiment-spec");
    assertThat(spec).doesNotContain("\n").startsWith("{\"apiVersion\":\"iter8.tools/v2alpha2\",\"kind\":\"Experiment\"");
    assertThat(ApiMapper.read(spec, JsonNode.class).path("status").isMissingNode()).isTrue();
  }
}
