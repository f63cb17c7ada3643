package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.assertJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/** The original's {@code aggregate} (etc3 taskrunner collect.go), value for value. */
class BuiltinHistogramsTest {
  private static final JsonNode EXISTING = ApiMapper.read("""
      v1:
        DurationHistogram: {Count: 10, Max: 0.5, Sum: 2.0, Data: [{Start: 0.1, End: 0.5, Count: 10}]}
        RetCodes: {"200": 9, "503": 1}
      v2:
        DurationHistogram: {Count: 4, Max: 0.2, Sum: 0.4, Data: [{Start: 0.05, End: 0.2, Count: 4}]}
      v3:
        DurationHistogram: {Count: 1, Max: 0.1, Sum: 0.1, Data: [{Start: 0.1, End: 0.1, Count: 1}]}
        RetCodes: {"200": 1}
      """, JsonNode.class);

  private static ObjectNode result(String yaml) {
    return (ObjectNode) ApiMapper.read(yaml, JsonNode.class);
  }

  @Test
  void countsAndSumsAddMaxIsTheLargerBucketsConcatenateAndCodesSum() {
    ObjectNode merged = BuiltinHistograms.aggregate(EXISTING, Map.of(
        "v1", result("""
            DurationHistogram: {Count: 5, Max: 0.9, Sum: 1.5, Data: [{Start: 0.2, End: 0.25, Count: 3}, {Start: 0.8, End: 0.9, Count: 2}]}
            RetCodes: {"200": 4, "500": 1}
            """),
        "v2", result("""
            DurationHistogram: {Count: 2, Max: 0.1, Sum: 0.15, Data: [{Start: 0.06, End: 0.1, Count: 2}]}
            RetCodes: {"200": 2}
            """),
        "v4", result("""
            DurationHistogram: {Count: 1, Max: 0.3, Sum: 0.3, Data: [{Start: 0.3, End: 0.3, Count: 1}]}
            RetCodes: {"404": 1}
            """)));

    ObjectNode expected = (ObjectNode) ApiMapper.read("""
        v1:
          DurationHistogram:
            Count: 15
            Max: 0.9
            Sum: 3.5
            Data: [{Start: 0.1, End: 0.5, Count: 10}, {Start: 0.2, End: 0.25, Count: 3}, {Start: 0.8, End: 0.9, Count: 2}]
          RetCodes: {"200": 13, "503": 1, "500": 1}
        v2:
          DurationHistogram: {Count: 6, Max: 0.2, Sum: 0.55, Data: [{Start: 0.05, End: 0.2, Count: 4}, {Start: 0.06, End: 0.1, Count: 2}]}
          RetCodes: {"200": 2}
        v3:
          DurationHistogram: {Count: 1, Max: 0.1, Sum: 0.1, Data: [{Start: 0.1, End: 0.1, Count: 1}]}
          RetCodes: {"200": 1}
        v4:
          DurationHistogram: {Count: 1, Max: 0.3, Sum: 0.3, Data: [{Start: 0.3, End: 0.3, Count: 1}]}
          RetCodes: {"404": 1}
        """, JsonNode.class);
    // 0.4 + 0.15 in binary floating point, as Go's float64 addition gives it too.
    expected.withObjectProperty("v2").withObjectProperty("DurationHistogram").put("Sum", 0.4 + 0.15);
    assertJson(merged, expected);
    assertThat(EXISTING.path("v1").path("DurationHistogram").path("Count").asLong()).as("the input is not modified").isEqualTo(10);
  }

  @Test
  void withoutExistingHistogramsTheNewResultsAreTheData() {
    ObjectNode fresh = result("{DurationHistogram: {Count: 1, Max: 0.1, Sum: 0.1, Data: []}, RetCodes: {\"200\": 1}}");

    assertThat(BuiltinHistograms.aggregate(null, Map.of("v1", fresh))).isEqualTo(ApiMapper.json().createObjectNode().set("v1", fresh));
  }

  @Test
  void anExperimentCarriesTheDataWithTheOriginalsProvenanceAndKeepsItsOtherFields() {
    Experiment e = TaskTestSupport.canaryWithStatus("""
        stage: Running
        futureField: kept
        analysis: {winnerAssessment: {data: {winnerFound: false}}}
        """);

    Experiment updated = BuiltinHistograms.withData(e, EXISTING, Instant.parse("2026-03-01T12:00:00Z"));

    assertJson(BuiltinHistograms.of(updated), EXISTING);
    assertThat(updated.status().analysis().aggregatedBuiltinHists().provenance()).isEqualTo("Builtin metrics collector");
    assertThat(updated.status().analysis().winnerAssessment().data().winnerFound()).isFalse();
    assertThat(updated.status().extra()).containsKey("futureField");
    assertThat(BuiltinHistograms.of(e)).isNull();
  }
}
