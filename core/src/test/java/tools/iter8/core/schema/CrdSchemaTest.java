package tools.iter8.core.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.Samples;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.validation.Problem;

/** Broken resources are reported as kube-apiserver would with fieldValidation=Strict, at the right path. */
class CrdSchemaTest {
  private static final CrdSchemas CRDS = CrdSchemas.builtin();

  private static ObjectNode sample(String file, int index) {
    return (ObjectNode) ApiMapper.readAll(Samples.text("samples/" + file)).get(index);
  }

  private static ObjectNode experiment() {
    return sample("knative-canary.yaml", 0);
  }

  private static ObjectNode metric() {
    return sample("metrics-istio.yaml", 3); // the mocked user-engagement metric
  }

  private static ObjectNode obj(JsonNode root, String pointer) {
    return (ObjectNode) root.at(pointer);
  }

  private static Arguments broken(
      String what, ObjectNode resource, Consumer<ObjectNode> breakIt, String path, String message) {
    breakIt.accept(resource);
    return Arguments.of(what, resource, path, message);
  }

  static Stream<Arguments> brokenResources() {
    return Stream.of(
        broken("unknown spec field", experiment(), e -> obj(e, "/spec").put("targt", "x"),
            "spec.targt",
            "unknown field; expected one of criteria, duration, routing, strategy, target, targetRef, versionInfo"),
        broken("unknown field deep down", experiment(),
            e -> obj(e, "/spec/versionInfo/candidates/0/weightObjRef").put("fieldpath", ".spec"),
            "spec.versionInfo.candidates[0].weightObjRef.fieldpath",
            "unknown field; expected one of apiVersion, fieldPath, kind, name, namespace, resourceVersion, uid"),
        broken("unknown top-level field", experiment(), e -> e.put("spce", 1),
            "spce", "unknown field; expected one of apiVersion, kind, metadata, spec, status"),
        broken("bad testing pattern", experiment(), e -> obj(e, "/spec/strategy").put("testingPattern", "Canery"),
            "spec.strategy.testingPattern",
            "must be one of Canary, A/B, A/B/N, Conformance, Pareto; got \"Canery\""),
        broken("bad deployment pattern", experiment(),
            e -> obj(e, "/spec/strategy").put("deploymentPattern", "progressive"),
            "spec.strategy.deploymentPattern",
            "must be one of Progressive, FixedSplit, BlueGreen, DarkLaunch; got \"progressive\""),
        broken("negative interval", experiment(), e -> obj(e, "/spec/duration").put("intervalSeconds", -5),
            "spec.duration.intervalSeconds", "must be greater than or equal to 1; got -5"),
        broken("interval as text", experiment(), e -> obj(e, "/spec/duration").put("intervalSeconds", "10s"),
            "spec.duration.intervalSeconds", "must be an integer; got \"10s\""),
        broken("weight above 100", experiment(),
            e -> obj(e, "/spec/strategy/weights").put("maxCandidateWeight", 101),
            "spec.strategy.weights.maxCandidateWeight", "must be less than or equal to 100; got 101"),
        broken("quantity that is no number", experiment(),
            e -> obj(e, "/spec/criteria/objectives/0").put("upperLimit", "abc"),
            "spec.criteria.objectives[0].upperLimit",
            "must be a quantity: an integer or a string such as \"0.01\", \"250m\" or \"1Ki\"; got \"abc\""),
        broken("decimal quantity written as a YAML number", experiment(),
            e -> obj(e, "/spec/criteria/objectives/2").put("upperLimit", 0.01),
            "spec.criteria.objectives[2].upperLimit", "must be an integer or a string; got 0.01"),
        broken("strength above 1", experiment(), e -> obj(e, "/spec/criteria").put("strength", 1.2),
            "spec.criteria.strength", "must be less than 1; got 1.2"),
        broken("strength of a coin toss", experiment(), e -> obj(e, "/spec/criteria").put("strength", 0.5),
            "spec.criteria.strength", "must be greater than 0.5; got 0.5"),
        broken("missing target", experiment(), e -> obj(e, "/spec").remove("target"),
            "spec.target", "is required"),
        broken("empty target", experiment(), e -> obj(e, "/spec").put("target", ""),
            "spec.target", "must not be empty; got \"\""),
        broken("missing testing pattern", experiment(), e -> obj(e, "/spec/strategy").remove("testingPattern"),
            "spec.strategy.testingPattern", "is required"),
        broken("reward without direction", experiment(),
            e -> obj(e, "/spec/criteria").putArray("rewards").addObject().put("metric", "x"),
            "spec.criteria.rewards[0].preferredDirection", "is required"),
        broken("negative minimum sample size", experiment(), e -> obj(e, "/spec/criteria").put("minSampleSize", -1),
            "spec.criteria.minSampleSize", "must be greater than or equal to 0; got -1"),
        broken("zero error limit", experiment(), e -> obj(e, "/spec/criteria").put("consecutiveErrorLimit", 0),
            "spec.criteria.consecutiveErrorLimit", "must be greater than or equal to 1; got 0"),
        broken("mirror above 100", experiment(),
            e -> obj(e, "/spec").putObject("routing").put("router", "Istio").put("mirrorPercent", 150),
            "spec.routing.mirrorPercent", "must be less than or equal to 100; got 150"),
        broken("unknown router", experiment(), e -> obj(e, "/spec").putObject("routing").put("router", "Linkerd"),
            "spec.routing.router",
            "must be one of Replicas, Istio, GatewayAPI, Knative, KServe, FieldPath; got \"Linkerd\""),
        broken("task list that is a map", experiment(),
            e -> obj(e, "/spec/strategy/actions").putObject("finish").put("task", "common/promote"),
            "spec.strategy.actions.finish", "must be an array; got {\"task\":\"common/promote\"}"),
        broken("unknown stage", experiment(), e -> e.putObject("status").put("stage", "Done"),
            "status.stage", "must be one of Waiting, Initializing, Running, Finishing, Completed; got \"Done\""),
        broken("time that is not RFC 3339", experiment(), e -> e.putObject("status").put("initTime", "yesterday"),
            "status.initTime", "must be a date-time such as \"2021-04-01T12:00:00Z\" (RFC 3339); got \"yesterday\""),
        broken("metric snapshot without kind", experiment(),
            e -> e.putObject("status").putArray("metrics").addObject().put("name", "ns/m").putObject("metricObj")
                .put("apiVersion", "iter8.tools/v2alpha2"),
            "status.metrics[0].metricObj.kind", "is required"),
        broken("unknown field under a map key", experiment(),
            e -> e.putObject("status").putObject("analysis").putObject("aggregatedMetrics").putObject("data")
                .putObject("iter8-knative/mean-latency").putObject("data").putObject("current").put("valu", 1),
            "status.analysis.aggregatedMetrics.data[iter8-knative/mean-latency].data.current.valu",
            "unknown field; expected one of max, min, outcome, reason, sampleSize, value"),
        broken("unknown metric type", metric(), m -> obj(m, "/spec").put("type", "gauge"),
            "spec.type", "must be one of Counter, Gauge, Histogram; got \"gauge\""),
        broken("unknown method", metric(), m -> obj(m, "/spec").put("method", "PUT"),
            "spec.method", "must be one of GET, POST; got \"PUT\""),
        broken("mock level that is no quantity", metric(),
            m -> obj(m, "/spec/mock/0").put("level", "high"),
            "spec.mock[0].level",
            "must be a quantity: an integer or a string such as \"0.01\", \"250m\" or \"1Ki\"; got \"high\""),
        broken("header template without value", metric(),
            m -> obj(m, "/spec").putArray("headerTemplates").addObject().put("name", "Authorization"),
            "spec.headerTemplates[0].value", "is required"),
        broken("unknown metric field", metric(), m -> obj(m, "/spec").put("query", "up"),
            "spec.query",
            "unknown field; expected one of authType, body, description, headerTemplates, jqExpression, method,"
                + " mock, params, posterior, provider, sampleSize, secret, type, units, urlTemplate"),
        broken("missing metric spec", metric(), m -> m.remove("spec"), "spec", "is required"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("brokenResources")
  void eachBrokenResourceIsReportedAtTheFieldThatIsWrong(
      String what, JsonNode resource, String path, String message) {
    assertThat(CRDS.validate(resource)).containsExactly(new Problem(path, message));
  }

  @Test
  void everyProblemIsReportedInOnePassSortedByPath() {
    ObjectNode e = experiment();
    obj(e, "/spec/strategy").put("testingPattern", "Canery").put("extra", true);
    obj(e, "/spec/duration").put("maxLoops", 0);
    obj(e, "/spec").remove("target");
    assertThat(CRDS.validate(e))
        .extracting(Problem::path)
        .containsExactly(
            "spec.duration.maxLoops", "spec.strategy.extra", "spec.strategy.testingPattern", "spec.target");
  }

  @Test
  void nullFieldsArePrunedAsTheApiServerDoes() {
    ObjectNode e = experiment();
    obj(e, "/spec/versionInfo").putNull("candidates");
    obj(e, "/spec/strategy").putNull("actions");
    obj(e, "/spec/criteria/objectives/0").putNull("lowerLimit");
    assertThat(CRDS.validate(e)).isEmpty();
  }

  @Test
  void anUnknownFieldIsReportedEvenWhenItIsNull() {
    ObjectNode e = experiment();
    obj(e, "/spec").putNull("targt");
    assertThat(CRDS.validate(e)).extracting(Problem::path).containsExactly("spec.targt");
  }

  @Test
  void freeJsonInTaskInputsAndBuiltinHistogramsIsAccepted() {
    ObjectNode e = experiment();
    ObjectNode with = obj(e, "/spec/strategy/actions/finish/0").putObject("with");
    with.put("text", "x").put("number", 1.5).put("flag", true).putNull("nothing");
    with.putArray("list").add(1).addObject().put("deep", "y");
    with.putObject("object").putObject("nested").put("any", "thing");
    e.putObject("status").putObject("analysis").putObject("aggregatedBuiltinHists").putObject("data")
        .putObject("current").putObject("RetCodes").put("200", 40).put("503", 1);
    assertThat(CRDS.validate(e)).isEmpty();
  }

  @Test
  void metadataIsLeftToTheApiServer() {
    ObjectNode e = experiment();
    obj(e, "/metadata").put("anything", 1).putArray("finalizers").add("iter8.tools/cleanup");
    assertThat(CRDS.validate(e)).isEmpty();
  }

  @Test
  void aResourceOfAnUnknownKindIsAProblemNotAnException() {
    JsonNode deployment = ApiMapper.readAll("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n").get(0);
    assertThat(CRDS.validate(deployment))
        .containsExactly(new Problem("apiVersion",
            "expected apiVersion and kind of iter8.tools/v2alpha2 Experiment, iter8.tools/v2alpha2 Metric;"
                + " got \"apps/v1\" and \"Deployment\""));
    JsonNode typo = ApiMapper.readAll("apiVersion: iter8.tools/v2alpha2\nkind: Experimnt\n").get(0);
    assertThat(CRDS.validate(typo)).extracting(Problem::path).containsExactly("kind");
    JsonNode neither = ApiMapper.readAll("metadata: {name: x}\n").get(0);
    assertThat(CRDS.validate(neither)).extracting(Problem::message)
        .allSatisfy(m -> assertThat(m).endsWith("got no apiVersion and no kind"));
  }

  @Test
  void aDocumentThatIsNoObjectIsAProblem() {
    JsonNode list = ApiMapper.readAll("- a\n- b\n").get(0);
    assertThat(CRDS.validate(list)).extracting(Problem::path).containsExactly("(root)");
    assertThat(CRDS.validate(null)).hasSize(1);
  }

  @Test
  void theBuiltinSchemasAreTheExperimentAndMetricCrdsAndAreLoadedOnce() {
    assertThat(CrdSchemas.builtin()).isSameAs(CRDS);
    assertThat(CRDS.all()).extracting(CrdSchema::toString)
        .containsExactlyInAnyOrder("CrdSchema[iter8.tools/v2alpha2 Experiment]", "CrdSchema[iter8.tools/v2alpha2 Metric]");
    assertThat(CRDS.find("iter8.tools/v2alpha1", "Experiment")).isEmpty();
  }

  @Test
  void oneSchemaValidatesFromManyThreadsAtOnce() {
    ObjectNode bad = experiment();
    obj(bad, "/spec/duration").put("intervalSeconds", 0);
    ObjectNode good = experiment();
    List<Integer> counts =
        IntStream.range(0, 200).parallel().mapToObj(i -> CRDS.validate(i % 2 == 0 ? good : bad).size()).toList();
    assertThat(IntStream.range(0, 200).map(i -> counts.get(i) - (i % 2)).allMatch(d -> d == 0)).isTrue();
  }

  @Test
  void aCrdWithoutTheVersionOrSchemaIsRejectedWhenLoading() {
    JsonNode crd = ApiMapper.readAll(Samples.text("tools/iter8/crds/metrics.iter8.tools.yaml")).get(0);
    assertThatThrownBy(() -> CrdSchema.of(crd, "v1")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("has no version v1");
    assertThatThrownBy(() -> CrdSchema.of(ApiMapper.readAll("kind: ConfigMap").get(0), "v1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected a CustomResourceDefinition");
  }

  /** The conversion handles the OpenAPI features iter8's CRDs do not use yet, as the API server does. */
  @Test
  void nullableFieldsKeepNullAndOtherFieldsDropIt() {
    JsonNode crd = ApiMapper.readAll("""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {kind: Widget, plural: widgets}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      size: {type: integer, nullable: true, minimum: 1}
                      color: {type: string, enum: [red, blue]}
                      labels: {type: object, additionalProperties: {type: string}}
        """).get(0);
    CrdSchemas widgets = CrdSchemas.of(List.of(crd));
    JsonNode ok = ApiMapper.readAll("""
        apiVersion: example.com/v1
        kind: Widget
        spec: {size: null, color: null, labels: {a: b, c: null}}
        """).get(0);
    assertThat(widgets.validate(ok)).isEmpty();
    JsonNode bad = ApiMapper.readAll("""
        apiVersion: example.com/v1
        kind: Widget
        spec: {size: 0, color: green, labels: {a: 1}}
        """).get(0);
    assertThat(widgets.validate(bad))
        .containsExactly(
            new Problem("spec.color", "must be one of red, blue; got \"green\""),
            new Problem("spec.labels.a", "must be a string; got 1"),
            new Problem("spec.size", "must be greater than or equal to 1; got 0"));
  }

  @Test
  void theConvertedSchemaIsStrictExceptWhereUnknownFieldsArePreserved() {
    ObjectNode converted =
        OpenApiConversion.toJsonSchema(CRDS.find("iter8.tools/v2alpha2", "Experiment").orElseThrow().openApiV3Schema());
    assertThat(converted.path("$schema").asText()).isEqualTo("http://json-schema.org/draft-04/schema#");
    assertThat(converted.path("additionalProperties").asBoolean(true)).isFalse();
    assertThat(converted.at("/properties/metadata").toString()).isEqualTo("{\"type\":\"object\"}");
    assertThat(converted.at("/properties/spec/properties/criteria/properties/objectives/items/properties/upperLimit/type"))
        .isEqualTo(ApiMapper.json().createArrayNode().add("integer").add("string"));
    JsonNode with = converted.at(
        "/properties/spec/properties/strategy/properties/actions/additionalProperties/items/properties/with");
    assertThat(with.path("additionalProperties").isObject()).isTrue();
    assertThat(with.path("additionalProperties").has("additionalProperties")).isFalse();
    assertThat(converted.at("/properties/status/properties/metrics/items/properties/metricObj/required"))
        .isInstanceOf(ArrayNode.class);
  }
}
