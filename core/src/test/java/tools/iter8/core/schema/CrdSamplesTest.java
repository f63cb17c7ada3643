package tools.iter8.core.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.iter8.core.Samples;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.validation.Problem;

/** The documented samples, and resources with every field filled, are what the CRDs accept. */
class CrdSamplesTest {
  private static final CrdSchemas CRDS = CrdSchemas.builtin();

  static Stream<Samples.Doc> experiments() {
    return Samples.ofKind("Experiment").stream();
  }

  static Stream<Samples.Doc> metrics() {
    return Samples.ofKind("Metric").stream();
  }

  static Stream<Samples.Doc> samples() {
    return Samples.all().stream();
  }

  @Test
  void theSamplesContainBothKindsAndNothingElse() {
    assertThat(Samples.ofKind("Experiment")).hasSizeGreaterThanOrEqualTo(6);
    assertThat(Samples.ofKind("Metric")).hasSizeGreaterThanOrEqualTo(10);
    assertThat(Samples.all()).hasSize(Samples.ofKind("Experiment").size() + Samples.ofKind("Metric").size());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("experiments")
  void everySampleExperimentValidatesAgainstTheCrd(Samples.Doc doc) {
    assertThat(CRDS.validate(doc.node())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("metrics")
  void everySampleMetricValidatesAgainstTheCrd(Samples.Doc doc) {
    assertThat(CRDS.validate(doc.node())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everySampleStillValidatesAfterARoundTripThroughTheModelAsJsonAndYaml(Samples.Doc doc) {
    Object model = ApiMapper.fromTree(doc.node(), modelType(doc.node()));
    assertThat(CRDS.validate(ApiMapper.readAll(ApiMapper.toJson(model)).get(0))).isEmpty();
    assertThat(CRDS.validate(ApiMapper.readAll(ApiMapper.toYaml(model)).get(0))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everySampleStillValidatesAfterARoundTripThroughTheModelAsATree(Samples.Doc doc) {
    Object model = ApiMapper.fromTree(doc.node(), modelType(doc.node()));
    assertThat(CRDS.validate(ApiMapper.toTree(model))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"schema/experiment-every-field.yaml", "schema/metric-every-field.yaml"})
  void aResourceWithEveryFieldValidatesBeforeAndAfterARoundTripThroughTheModel(String file) {
    JsonNode doc = single(file);
    Object model = ApiMapper.fromTree(doc, modelType(doc));
    assertThat(CRDS.validate(doc)).isEmpty();
    assertThat(CRDS.validate(ApiMapper.readAll(ApiMapper.toJson(model)).get(0))).isEmpty();
    assertThat(CRDS.validate(ApiMapper.readAll(ApiMapper.toYaml(model)).get(0))).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"schema/experiment-every-field.yaml", "schema/metric-every-field.yaml"})
  void theEveryFieldResourcesFillEveryFieldOfTheSchema(String file) {
    JsonNode doc = single(file);
    CrdSchema schema = CRDS.find(doc.path("apiVersion").asText(), doc.path("kind").asText()).orElseThrow();
    assertThat(FieldPaths.filledBy(doc, schema.openApiV3Schema()))
        .containsAll(FieldPaths.ofSchema(schema.openApiV3Schema()).keySet());
  }

  @Test
  void aFullStatusValidatesExceptForTheFieldsNoModelKnows() {
    JsonNode doc = single("fixtures/experiment-with-status.yaml");
    assertThat(CRDS.validate(doc))
        .extracting(Problem::path)
        .containsExactly("futureTopLevel", "spec.criteria.objectives[1].futureObjectiveField", "spec.futureField");
  }

  private static JsonNode single(String resource) {
    List<JsonNode> docs = ApiMapper.readAll(Samples.text(resource));
    assertThat(docs).hasSize(1);
    return docs.get(0);
  }

  private static Class<?> modelType(JsonNode doc) {
    return "Metric".equals(doc.path("kind").asText()) ? Metric.class : Experiment.class;
  }
}
