package tools.iter8.core.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tools.iter8.core.Samples;

class RoundTripTest {

  static Stream<Samples.Doc> samples() {
    return Samples.all().stream();
  }

  private static JsonNode normalized(Object value) throws Exception {
    return ApiMapper.json().readTree(ApiMapper.json().writeValueAsString(value));
  }

  private static Class<?> typeOf(JsonNode doc) {
    return "Metric".equals(doc.path("kind").asText()) ? Metric.class : Experiment.class;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everySampleSurvivesJsonRoundTripUnchanged(Samples.Doc doc) throws Exception {
    Object model = ApiMapper.fromTree(doc.node(), typeOf(doc.node()));
    assertThat(normalized(model)).isEqualTo(normalized(doc.node()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void everySampleSurvivesYamlRoundTripUnchanged(Samples.Doc doc) throws Exception {
    Object model = ApiMapper.fromTree(doc.node(), typeOf(doc.node()));
    String yaml = ApiMapper.toYaml(model);
    JsonNode back = ApiMapper.yaml().readTree(yaml);
    assertThat(normalized(back)).isEqualTo(normalized(doc.node()));
  }

  @Test
  void fullStatusAndUnknownFieldsAtEveryLevelAreKept() throws Exception {
    String yaml = Samples.text("fixtures/experiment-with-status.yaml");
    JsonNode original = ApiMapper.yaml().readTree(yaml);
    Experiment e = ApiMapper.read(yaml, Experiment.class);

    assertThat(normalized(e)).isEqualTo(normalized(original));
    assertThat(normalized(ApiMapper.read(ApiMapper.toYaml(e), Experiment.class)))
        .isEqualTo(normalized(original));
    assertThat(e.extra()).containsKey("futureTopLevel");
    assertThat(e.spec().extra().get("futureField").path("nested").get(1).asDouble()).isEqualTo(2.5);
    assertThat(e.metadata().extra()).containsKeys("finalizers", "ownerReferences");
    assertThat(e.spec().criteria().objectives().get(1).extra()).containsKey("futureObjectiveField");
  }

  @Test
  void statusFieldsAreReadIntoTheirTypes() {
    Experiment e = ApiMapper.read(Samples.text("fixtures/experiment-with-status.yaml"), Experiment.class);
    ExperimentStatus s = e.status();

    assertThat(s.stage()).isEqualTo("Completed");
    assertThat(s.completedIterations()).isEqualTo(10);
    assertThat(s.startTime()).hasToString("2021-03-30T12:00:02Z");
    assertThat(s.currentWeightDistribution()).extracting(WeightData::name).containsExactly("canary", "default");
    assertThat(s.analysis().aggregatedMetrics().data().get("iter8-system/mean-latency").data().get("canary").value().value())
        .isEqualTo(330.681818182);
    assertThat(s.analysis().versionAssessments().data().get("default")).containsExactly(true, false);
    assertThat(s.analysis().winnerAssessment().data().bestVersions()).containsExactly("canary");
    assertThat(s.metrics().get(0).metricObj().spec().provider()).isEqualTo("iter8");
    assertThat(e.spec().criteria().objectives().get(0).upperLimit().value()).isEqualTo(330.681818182);
    assertThat(e.spec().criteria().objectives().get(1).upperLimit().value()).isEqualTo(0.25);
    assertThat(e.spec().strategy().actions().get("finish").get(0).condition()).isEqualTo("CandidateWon()");
  }

  @Test
  void quantitiesKeepTheirWrittenForm() throws Exception {
    String json = "{\"metric\":\"m\",\"upperLimit\":300,\"lowerLimit\":\"0.01\"}";
    Objective o = ApiMapper.json().readValue(json, Objective.class);

    assertThat(o.upperLimit().numeric()).isTrue();
    assertThat(o.lowerLimit().numeric()).isFalse();
    assertThat(ApiMapper.toJson(o)).isEqualTo(json);
  }
}
