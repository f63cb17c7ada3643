package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.Repo;
import tools.iter8.webhook.support.TestWebhook;

/** Experiments and Metrics: defaults on /mutate, every problem on /validate (the core validation). */
class ResourceAdmissionTest {
  private static final String EXPERIMENT =
      """
      apiVersion: iter8.tools/v2alpha2
      kind: Experiment
      metadata: {name: canary, namespace: shop}
      spec:
        target: shop/myapp
        strategy: {testingPattern: Canary}
        criteria:
          requestCount: iter8-istio/request-count
          objectives:
          - {metric: iter8-istio/latency-p95, upperLimit: 300}
        versionInfo:
          baseline:
            name: v1
            weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs, fieldPath: ".spec.http[0].route[0].weight"}
          candidates:
          - name: v2
            weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs, fieldPath: ".spec.http[0].route[1].weight"}
      """;

  private final TestWebhook webhook = TestWebhook.shared();

  private static ObjectNode yaml(String text) {
    return (ObjectNode) ApiMapper.read(text, JsonNode.class);
  }

  private static ObjectNode created(JsonNode manifest) {
    return ApiServerObjects.forCreate(manifest, manifest.path("metadata").path("namespace").asText(Fixtures.NS), "kubectl");
  }

  @Test
  void defaultsAreAddedAndNothingWrittenIsRewritten() {
    ObjectNode experiment = created(yaml(EXPERIMENT));
    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.create(experiment).toJson());

    assertThat(answer.allowed()).isTrue();
    assertThat(answer.patch()).allSatisfy(op -> assertThat(op.path("op").asText()).isEqualTo("add"));
    JsonNode after = answer.applyTo(experiment);
    assertThat(after.at("/spec/strategy/deploymentPattern").asText()).isEqualTo("Progressive");
    assertThat(after.at("/spec/strategy/weights")).isEqualTo(yaml(
        "{maxCandidateWeight: 100, maxCandidateWeightIncrement: 10, explorationFloor: 5}"));
    assertThat(after.at("/spec/duration")).isEqualTo(yaml("{intervalSeconds: 20, iterationsPerLoop: 15, maxLoops: 1}"));
    assertThat(after.at("/spec/criteria/strength").asDouble()).isEqualTo(0.95);
    assertThat(after.at("/spec/criteria/minSampleSize").asLong()).isEqualTo(100);
    assertThat(after.at("/spec/criteria/consecutiveErrorLimit").asInt()).isEqualTo(3);
    assertThat(after.at("/spec/criteria/objectives/0/rollback_on_failure").asBoolean(true)).isFalse();
    // The limit was written as a number and stays one.
    assertThat(after.at("/spec/criteria/objectives/0/upperLimit").isIntegralNumber()).isTrue();

    AdmissionAnswer again = webhook.review("/mutate", AdmissionReviewBuilder.create(after).toJson());
    assertThat(again.hasPatch()).isFalse();
  }

  @Test
  void aValidExperimentIsAllowed() {
    AdmissionAnswer answer = webhook.review("/validate", AdmissionReviewBuilder.create(created(yaml(EXPERIMENT))).toJson());
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void anInvalidExperimentIsDeniedWithEveryProblem() {
    String invalid = EXPERIMENT
        .replace("testingPattern: Canary", "testingPattern: Canery, actions: {finish: [{task: common/deploy}]}")
        .replace("upperLimit: 300", "upperLimit: lots")
        .replace("name: v2", "name: v1");
    AdmissionAnswer answer = webhook.review("/validate", AdmissionReviewBuilder.create(created(yaml(invalid))).toJson());

    assertThat(answer.allowed()).isFalse();
    assertThat(answer.code()).isEqualTo(422);
    assertThat(answer.message()).startsWith("Experiment shop/canary is invalid (");
    List<String> fields = new ArrayList<>();
    answer.response().at("/status/details/causes").forEach(c -> fields.add(c.path("field").asText()));
    assertThat(fields).contains(
        "spec.strategy.testingPattern",
        "spec.strategy.actions.finish[0].task",
        "spec.criteria.objectives[0].upperLimit",
        "spec.versionInfo.candidates[0].name");
    assertThat(answer.message())
        .contains("unknown testing pattern \"Canery\"")
        .contains("unknown task \"common/deploy\"")
        .contains("version names must be unique");
  }

  @Test
  void updatesThatLeaveTheSpecAloneAreNotValidated() {
    ObjectNode stored = Fixtures.stored(yaml(EXPERIMENT.replace("testingPattern: Canary", "testingPattern: Canery")));
    ObjectNode withFinalizer = stored.deepCopy();
    ((ObjectNode) withFinalizer.path("metadata")).putArray("finalizers").add("iter8.tools/cleanup");
    assertThat(webhook.review("/validate", AdmissionReviewBuilder.update(stored, withFinalizer).toJson()).allowed()).isTrue();

    ObjectNode deleting = stored.deepCopy();
    ((ObjectNode) deleting.path("metadata")).put("deletionTimestamp", "2025-01-02T00:00:00Z");
    ((ObjectNode) deleting.path("spec")).put("target", "changed");
    assertThat(webhook.review("/validate", AdmissionReviewBuilder.update(stored, deleting).toJson()).allowed()).isTrue();

    ObjectNode specChanged = stored.deepCopy();
    ((ObjectNode) specChanged.path("spec")).put("target", "shop/other");
    assertThat(webhook.review("/validate", AdmissionReviewBuilder.update(stored, specChanged).toJson()).allowed()).isFalse();
  }

  @Test
  void metricsGetTheOriginalsDefaultsAndTheirJqIsCompiled() {
    ObjectNode metric = created(yaml(
        """
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: error-count, namespace: shop}
        spec:
          urlTemplate: http://prometheus.monitoring:9090/api/v1/query
          params: [{name: query, value: "sum(errors)"}]
          jqExpression: .data.result[0].value[1] | tonumber
        """));
    JsonNode after = webhook.review("/mutate", AdmissionReviewBuilder.create(metric).toJson()).applyTo(metric);
    assertThat(after.at("/spec/type").asText()).isEqualTo("Gauge");
    assertThat(after.at("/spec/method").asText()).isEqualTo("GET");
    assertThat(webhook.review("/validate", AdmissionReviewBuilder.create(after).toJson()).allowed()).isTrue();

    ((ObjectNode) after.path("spec")).put("jqExpression", ".data.result[0.value");
    AdmissionAnswer bad = webhook.review("/validate", AdmissionReviewBuilder.create(after).toJson());
    assertThat(bad.allowed()).isFalse();
    assertThat(bad.message()).contains("spec.jqExpression: is not a valid jq expression");
  }

  @Test
  void theGeneratedExperimentIsAdmittedWhenTheAgentCreatesIt() {
    ObjectNode v1 = Fixtures.stored(Fixtures.deployment());
    ObjectNode v2 = ApiServerObjects.applied(v1, Fixtures.replace(Fixtures.deployment(), ":v1", ":v2"));
    JsonNode staged = webhook.review("/mutate", AdmissionReviewBuilder.update(v1, v2).toJson()).applyTo(v2);
    ObjectNode generated = (ObjectNode) ApiMapper.read(
        staged.at("/metadata/annotations").path("iter8.tools/experiment-spec").asText(), JsonNode.class);
    ObjectNode create = created(generated);

    AdmissionAnswer defaults = webhook.review("/mutate",
        AdmissionReviewBuilder.create(create).serviceAccount("iter8-system", "iter8-agent").toJson());
    JsonNode defaulted = defaults.applyTo(create);
    AdmissionAnswer validation = webhook.review("/validate",
        AdmissionReviewBuilder.create(defaulted).serviceAccount("iter8-system", "iter8-agent").toJson());
    assertThat(validation.allowed()).as(validation.message()).isTrue();
  }

  static Stream<JsonNode> samples() throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (Stream<Path> files = Files.list(Repo.path("docs/examples/v2alpha2"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        docs.addAll(ApiMapper.readAll(Files.readString(f)));
      }
    }
    return docs.stream();
  }

  @ParameterizedTest(name = "{index}: {0}")
  @MethodSource("samples")
  void theOriginalsSamplesAreDefaultedAndAdmitted(JsonNode sample) {
    ObjectNode create = created(sample);
    JsonNode defaulted = webhook.review("/mutate", AdmissionReviewBuilder.create(create).toJson()).applyTo(create);
    AdmissionAnswer answer = webhook.review("/validate", AdmissionReviewBuilder.create(defaulted).toJson());
    assertThat(answer.allowed()).as(answer.message()).isTrue();
  }
}
