package tools.iter8.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.Samples;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.PosteriorSpec;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.Stage;
import tools.iter8.core.api.TestingPattern;

/**
 * The CRDs in manifests/crds and the Java model in core/api describe the same fields with the same
 * kinds of values, the same enums, and the CRDs are structural, documented and named as DESIGN §2.1
 * says. Neither side can change without the other.
 */
class CrdModelAgreementTest {

  private static final Map<String, Class<?>> MODEL = Map.of("Experiment", Experiment.class, "Metric", Metric.class);

  static Stream<Arguments> kinds() {
    return Stream.of(Arguments.of("Experiment"), Arguments.of("Metric"));
  }

  private static JsonNode crd(String kind) {
    String file = kind.equals("Experiment") ? "experiments.iter8.tools.yaml" : "metrics.iter8.tools.yaml";
    List<JsonNode> docs = ApiMapper.readAll(Samples.text(CrdSchemas.CLASSPATH_DIR + file));
    assertThat(docs).hasSize(1);
    return docs.get(0);
  }

  private static JsonNode schema(String kind) {
    return CrdSchemas.builtin().find("iter8.tools/v2alpha2", kind).orElseThrow().openApiV3Schema();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyModelFieldIsInTheSchemaWithACompatibleType(String kind) {
    Map<String, String> model = FieldPaths.ofModel(MODEL.get(kind));
    Map<String, String> schema = FieldPaths.ofSchema(schema(kind));

    Map<String, String> missingOrDifferent = new TreeMap<>();
    model.forEach(
        (path, type) -> {
          if (!type.equals(schema.get(path))) {
            missingOrDifferent.put(path, "model " + type + ", schema " + schema.getOrDefault(path, "has no such field"));
          }
        });
    assertThat(model).hasSizeGreaterThan(kind.equals("Experiment") ? 150 : 20);
    assertThat(missingOrDifferent).as("model fields the %s CRD lacks or types differently", kind).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everySchemaFieldIsAModelField(String kind) {
    Map<String, String> model = FieldPaths.ofModel(MODEL.get(kind));
    Map<String, String> schema = FieldPaths.ofSchema(schema(kind));

    Map<String, String> unknownToTheModel = new TreeMap<>(schema);
    unknownToTheModel.keySet().removeAll(model.keySet());
    assertThat(unknownToTheModel).as("%s CRD fields the model does not have", kind).isEmpty();
  }

  @Test
  void schemaEnumsListExactlyTheModelEnums() {
    JsonNode experiment = schema("Experiment");
    JsonNode metric = schema("Metric");
    assertThat(enumAt(experiment, "spec.strategy.testingPattern"))
        .containsExactly(wire(TestingPattern.values(), TestingPattern::wireName));
    assertThat(enumAt(experiment, "spec.strategy.deploymentPattern"))
        .containsExactly(wire(DeploymentPattern.values(), DeploymentPattern::wireName));
    assertThat(enumAt(experiment, "spec.criteria.rewards[].preferredDirection"))
        .containsExactly(wire(PreferredDirection.values(), PreferredDirection::wireName));
    assertThat(enumAt(experiment, "status.stage")).containsExactly(wire(Stage.values(), Stage::wireName));
    assertThat(enumAt(experiment, "spec.routing.router")).containsExactly(wire(Router.values(), Router::wireName));
    assertThat(enumAt(experiment, "status.decision.action"))
        .containsExactly("Continue", "Hold", "Promote", "Rollback", "Fail");
    assertThat(enumAt(experiment, "status.analysis.versionAssessments.details{}[].verdict"))
        .containsExactly("met", "violated", "undecided");
    assertThat(enumAt(experiment, "status.analysis.aggregatedMetrics.data{}.data{}.outcome"))
        .containsExactly("value", "noData", "error");
    for (JsonNode spec : List.of(metric.at("/properties/spec"), metricSnapshotSpec(experiment))) {
      assertThat(strings(spec.at("/properties/type/enum"))).containsExactly("Counter", "Gauge", "Histogram");
      assertThat(strings(spec.at("/properties/posterior/properties/model/enum")))
          .containsExactly(PosteriorSpec.RATE, PosteriorSpec.NORMAL, PosteriorSpec.HISTOGRAM_MEAN,
              PosteriorSpec.HISTOGRAM_QUANTILE);
      assertThat(strings(spec.at("/properties/method/enum"))).containsExactly("GET", "POST");
      assertThat(strings(spec.at("/properties/authType/enum"))).containsExactly("Basic", "Bearer", "APIKey");
      assertThat(spec.at("/properties/type/default").asText()).isEqualTo("Gauge");
      assertThat(spec.at("/properties/method/default").asText()).isEqualTo("GET");
    }
  }

  @Test
  void aMetricSnapshotInStatusHasTheMetricCrdsSpec() {
    ObjectNode metricSpec = (ObjectNode) schema("Metric").at("/properties/spec");
    metricSpec.put("description", "The Metric's spec.");
    assertThat(metricSnapshotSpec(schema("Experiment"))).isEqualTo(metricSpec);
  }

  @Test
  void limitsAreTheAgreedOnes() {
    JsonNode e = schema("Experiment");
    for (String duration : List.of("intervalSeconds", "iterationsPerLoop", "maxLoops")) {
      assertThat(at(e, "spec.duration." + duration).path("minimum").asInt()).isEqualTo(1);
    }
    for (String percent :
        List.of(
            "spec.strategy.weights.maxCandidateWeight",
            "spec.strategy.weights.maxCandidateWeightIncrement",
            "spec.strategy.weights.explorationFloor",
            "spec.routing.mirrorPercent",
            "status.currentWeightDistribution[].value",
            "status.analysis.weights.data[].value")) {
      assertThat(at(e, percent).path("minimum").asInt()).as(percent).isZero();
      assertThat(at(e, percent).path("maximum").asInt()).as(percent).isEqualTo(100);
    }
    assertThat(at(e, "spec.target").path("minLength").asInt()).isEqualTo(1);
    assertThat(at(e, "spec.criteria.minSampleSize").path("minimum").asInt()).isZero();
    assertThat(at(e, "status.analysis.aggregatedMetrics.data{}.data{}.sampleSize").path("minimum").asInt()).isZero();
    assertThat(at(e, "spec.criteria.consecutiveErrorLimit").path("minimum").asInt()).isEqualTo(1);
    JsonNode strength = at(e, "spec.criteria.strength");
    assertThat(strength.path("type").asText()).isEqualTo("number");
    assertThat(strength.path("minimum").asDouble()).isEqualTo(0.5);
    assertThat(strength.path("exclusiveMinimum").asBoolean()).isTrue();
    assertThat(strength.path("maximum").asDouble()).isEqualTo(1.0);
    assertThat(strength.path("exclusiveMaximum").asBoolean()).isTrue();
    assertThat(strings(e.path("required"))).containsExactly("spec");
    assertThat(strings(at(e, "spec").path("required"))).containsExactlyInAnyOrder("target", "strategy");
    assertThat(strings(at(e, "spec.strategy").path("required"))).containsExactly("testingPattern");
  }

  @Test
  void freeJsonIsOnlyWhereTheOriginalHadIt() {
    for (String kind : List.of("Experiment", "Metric")) {
      List<String> free = new ArrayList<>();
      walk(schema(kind), "", (path, node) -> {
        if (node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
          free.add(path);
        }
      });
      assertThat(free)
          .as(kind)
          .containsExactlyInAnyOrderElementsOf(
              kind.equals("Experiment")
                  ? List.of("spec.strategy.actions{}[].with{}", "status.analysis.aggregatedBuiltinHists.data")
                  : List.of());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theCrdIsStructural(String kind) {
    JsonNode crd = crd(kind);
    JsonNode root = crd.at("/spec/versions/0/schema/openAPIV3Schema");
    List<String> violations = new ArrayList<>();
    assertThat(root.path("type").asText()).isEqualTo("object");
    structural(root, "", true, violations);
    assertThat(violations).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyFieldHasADescription(String kind) {
    List<String> undocumented = new ArrayList<>();
    walk(schema(kind), "", (path, node) -> {
      boolean objectMeta = path.equals("metadata") || path.endsWith("metricObj.metadata");
      boolean field = !path.isEmpty() && !path.endsWith("[]") && !path.endsWith("{}");
      if (field && !objectMeta && node.path("description").asText().isBlank()) {
        undocumented.add(path);
      }
    });
    assertThat(undocumented).isEmpty();
  }

  @Test
  void everyIter8ForJavaAdditionSaysSoInItsDescription() {
    JsonNode e = schema("Experiment");
    String marker = "(iter8 for Java addition)";
    for (String path :
        List.of(
            "spec.targetRef",
            "spec.routing",
            "spec.strategy.weights.explorationFloor",
            "spec.criteria.strength",
            "spec.criteria.minSampleSize",
            "spec.criteria.consecutiveErrorLimit",
            "status.decision",
            "status.consecutiveErrors",
            "status.weightsAppliedIteration",
            "status.observedGeneration",
            "status.analysis.aggregatedMetrics.data{}.data{}.outcome",
            "status.analysis.aggregatedMetrics.data{}.data{}.reason",
            "status.analysis.versionAssessments.details",
            "status.analysis.winnerAssessment.data.bestVersions",
            "status.analysis.winnerAssessment.data.probability",
            "status.analysis.winnerAssessment.data.probabilities",
            "status.analysis.winnerAssessment.data.reason")) {
      assertThat(at(e, path).path("description").asText()).as(path).contains(marker);
    }
    assertThat(at(e, "spec.strategy.testingPattern").path("description").asText()).contains("Pareto " + marker);
    assertThat(at(e, "spec.strategy.deploymentPattern").path("description").asText())
        .contains("DarkLaunch " + marker);
    assertThat(at(e, "spec.strategy.actions").path("description").asText())
        .contains("`rollback` " + marker)
        .contains("`failure` " + marker);
    JsonNode metric = schema("Metric");
    assertThat(at(metric, "spec.posterior").path("description").asText()).contains(marker);
    assertThat(at(metric, "spec.type").path("description").asText()).contains("Histogram " + marker);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void theCrdIsNamespacedInGroupIter8ToolsVersionV2alpha2AndCategoryIter8(String kind) {
    JsonNode spec = crd(kind).path("spec");
    String plural = kind.equals("Experiment") ? "experiments" : "metrics";
    assertThat(crd(kind).at("/apiVersion").asText()).isEqualTo("apiextensions.k8s.io/v1");
    assertThat(crd(kind).at("/metadata/name").asText()).isEqualTo(plural + ".iter8.tools");
    assertThat(spec.path("group").asText()).isEqualTo("iter8.tools");
    assertThat(spec.path("scope").asText()).isEqualTo("Namespaced");
    assertThat(spec.at("/names/kind").asText()).isEqualTo(kind);
    assertThat(spec.at("/names/plural").asText()).isEqualTo(plural);
    assertThat(strings(spec.at("/names/categories"))).containsExactly("iter8");
    assertThat(spec.path("versions")).hasSize(1);
    JsonNode version = spec.path("versions").get(0);
    assertThat(version.path("name").asText()).isEqualTo("v2alpha2");
    assertThat(version.path("served").asBoolean()).isTrue();
    assertThat(version.path("storage").asBoolean()).isTrue();
    assertThat(version.at("/subresources/status").isObject()).isEqualTo(kind.equals("Experiment"));
  }

  @Test
  void printerColumnsShowWhatKubectlGetShouldShow() {
    assertThat(columns("Experiment"))
        .containsExactly(
            "type .spec.strategy.testingPattern string",
            "target .spec.target string",
            "stage .status.stage string",
            "completed iterations .status.completedIterations integer",
            "winner .status.analysis.winnerAssessment.data.winner string",
            "message .status.message string",
            "age .metadata.creationTimestamp date");
    assertThat(columns("Metric"))
        .containsExactly(
            "type .spec.type string", "description .spec.description string", "age .metadata.creationTimestamp date");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("kinds")
  void everyPrinterColumnShowsAFieldOfTheSchema(String kind) {
    Map<String, String> fields = FieldPaths.ofSchema(schema(kind));
    for (JsonNode c : crd(kind).at("/spec/versions/0/additionalPrinterColumns")) {
      String path = c.path("jsonPath").asText().substring(1);
      if (!path.startsWith("metadata.")) {
        assertThat(fields).as(c.toString()).containsKey(path);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------

  private static final Set<String> JSON_SCHEMA_PROPS_FIELDS =
      Set.of(
          "id", "$schema", "$ref", "description", "type", "format", "title", "default", "maximum",
          "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern", "maxItems",
          "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties", "required", "items",
          "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties", "patternProperties",
          "dependencies", "additionalItems", "definitions", "externalDocs", "example", "nullable",
          "x-kubernetes-preserve-unknown-fields", "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string",
          "x-kubernetes-list-map-keys", "x-kubernetes-list-type", "x-kubernetes-map-type",
          "x-kubernetes-validations");

  /** The rules kube-apiserver applies to a CRD schema (structural schemas, apiextensions.k8s.io/v1). */
  private static void structural(JsonNode s, String path, boolean resource, List<String> violations) {
    s.fieldNames().forEachRemaining(k -> {
      if (!JSON_SCHEMA_PROPS_FIELDS.contains(k)) {
        violations.add(path + ": unknown schema keyword " + k);
      }
    });
    for (String forbidden : List.of("$ref", "id", "definitions", "patternProperties", "dependencies", "additionalItems")) {
      if (s.has(forbidden)) {
        violations.add(path + ": " + forbidden + " is not allowed in a CRD schema");
      }
    }
    boolean intOrString = s.path("x-kubernetes-int-or-string").asBoolean();
    boolean preserve = s.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    if (intOrString) {
      if (s.has("type")) {
        violations.add(path + ": x-kubernetes-int-or-string must not set a type");
      }
      if (s.has("anyOf") && !s.get("anyOf").toString().equals("[{\"type\":\"integer\"},{\"type\":\"string\"}]")) {
        violations.add(path + ": x-kubernetes-int-or-string allows only anyOf [integer, string]");
      }
    } else {
      for (String junctor : List.of("allOf", "anyOf", "oneOf", "not")) {
        if (s.has(junctor)) {
          violations.add(path + ": " + junctor + " is only used for x-kubernetes-int-or-string here");
        }
      }
      if (s.path("type").asText().isEmpty() && !preserve) {
        violations.add(path + ": has no type");
      }
    }
    if (s.has("properties") && s.has("additionalProperties")) {
      violations.add(path + ": properties and additionalProperties are mutually exclusive");
    }
    if (s.has("items") && !s.get("items").isObject()) {
      violations.add(path + ": items must be one schema");
    }
    boolean embedded = s.path("x-kubernetes-embedded-resource").asBoolean();
    if (embedded && !"object".equals(s.path("type").asText())) {
      violations.add(path + ": an embedded resource must be of type object");
    }
    if (s.has("default") && s.has("enum")
        && strings(s.get("enum")).stream().noneMatch(v -> v.equals(s.get("default").asText()))) {
      violations.add(path + ": default is not one of the enum values");
    }
    if (s.has("default") && path.startsWith("metadata")) {
      violations.add(path + ": defaults are not allowed in metadata");
    }
    s.path("properties").properties().forEach(p -> {
      String at = path.isEmpty() ? p.getKey() : path + "." + p.getKey();
      if ((resource || embedded) && p.getKey().equals("metadata")) {
        if (!p.getValue().toString().equals("{\"type\":\"object\"}")) {
          violations.add(at + ": metadata may only say type: object");
        }
      } else {
        structural(p.getValue(), at, false, violations);
      }
    });
    if (s.path("additionalProperties").isObject()) {
      structural(s.get("additionalProperties"), path + "{}", false, violations);
    }
    if (s.path("items").isObject()) {
      structural(s.get("items"), path + "[]", false, violations);
    }
  }

  private interface Visitor {
    void visit(String path, JsonNode node);
  }

  private static void walk(JsonNode s, String path, Visitor visitor) {
    visitor.visit(path, s);
    s.path("properties").properties().forEach(p -> walk(p.getValue(), path.isEmpty() ? p.getKey() : path + "." + p.getKey(), visitor));
    if (s.path("additionalProperties").isObject()) {
      walk(s.get("additionalProperties"), path + "{}", visitor);
    }
    if (s.path("items").isObject()) {
      walk(s.get("items"), path + "[]", visitor);
    }
  }

  /** The schema node at a path in FieldPaths notation. */
  private static JsonNode at(JsonNode schema, String path) {
    JsonNode[] found = {null};
    walk(schema, "", (p, node) -> {
      if (p.equals(path)) {
        found[0] = node;
      }
    });
    assertThat(found[0]).as("schema field " + path).isNotNull();
    return found[0];
  }

  private static List<String> enumAt(JsonNode schema, String path) {
    return strings(at(schema, path).path("enum"));
  }

  private static JsonNode metricSnapshotSpec(JsonNode experimentSchema) {
    return at(experimentSchema, "status.metrics[].metricObj.spec");
  }

  private static List<String> columns(String kind) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : crd(kind).at("/spec/versions/0/additionalPrinterColumns")) {
      out.add(c.path("name").asText() + " " + c.path("jsonPath").asText() + " " + c.path("type").asText());
    }
    return out;
  }

  private static List<String> strings(JsonNode array) {
    return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }

  private static <E> String[] wire(E[] values, Function<E, String> name) {
    return Arrays.stream(values).map(name).toArray(String[]::new);
  }
}
