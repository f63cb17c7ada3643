package tools.iter8.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.api.ApiMapper;

class JsonPatchTest {

  private static JsonNode json(String s) {
    return ApiMapper.read(s, JsonNode.class);
  }

  @Test
  void equalTreesGiveNoOps() {
    JsonNode a = json("{\"spec\": {\"replicas\": 3, \"list\": [1, {\"a\": null}]}}");
    assertThat(JsonPatch.diff(a, a.deepCopy())).isEmpty();
  }

  @Test
  void annotationKeysAreEscaped() {
    JsonNode source = json("{\"metadata\": {\"annotations\": {\"a\": \"1\"}}}");
    JsonNode target = json("{\"metadata\": {\"annotations\": {\"a\": \"1\", \"iter8.tools/experiment\": \"e\", \"x~y\": \"z\"}}}");
    assertThat(JsonPatch.diff(source, target))
        .isEqualTo(json(
            "[{\"op\": \"add\", \"path\": \"/metadata/annotations/iter8.tools~1experiment\", \"value\": \"e\"},"
                + " {\"op\": \"add\", \"path\": \"/metadata/annotations/x~0y\", \"value\": \"z\"}]"));
  }

  @Test
  void aMissingMapIsAddedWhole() {
    assertThat(JsonPatch.diff(json("{\"metadata\": {}}"), json("{\"metadata\": {\"annotations\": {\"k/v\": \"1\"}}}")))
        .isEqualTo(json("[{\"op\": \"add\", \"path\": \"/metadata/annotations\", \"value\": {\"k/v\": \"1\"}}]"));
  }

  @Test
  void changedScalarsAreReplacedAndGoneKeysRemoved() {
    assertThat(JsonPatch.diff(json("{\"spec\": {\"paused\": false, \"x\": 1}}"), json("{\"spec\": {\"paused\": true}}")))
        .isEqualTo(json(
            "[{\"op\": \"remove\", \"path\": \"/spec/x\"}, {\"op\": \"replace\", \"path\": \"/spec/paused\", \"value\": true}]"));
  }

  @Test
  void listsOfAnotherLengthAreReplacedWhole() {
    assertThat(JsonPatch.diff(json("{\"t\": [{\"p\": 100}]}"), json("{\"t\": [{\"p\": 100}, {\"p\": 0}]}")))
        .isEqualTo(json("[{\"op\": \"replace\", \"path\": \"/t\", \"value\": [{\"p\": 100}, {\"p\": 0}]}]"));
  }

  static Stream<Arguments> pairs() {
    return Stream.of(
        Arguments.of("{}", "{\"a\": {\"b\": [1, 2, {\"c\": \"d\"}]}}"),
        Arguments.of("{\"a\": [1, 2, 3]}", "{\"a\": [1, 5, 3]}"),
        Arguments.of("{\"a\": [1, 2, 3]}", "{\"a\": []}"),
        Arguments.of("{\"a\": {\"b\": 1}, \"c\": 2}", "{\"a\": \"now a string\"}"),
        Arguments.of("{\"a/b\": {\"~\": 1}}", "{\"a/b\": {\"~\": 2, \"\": 3}}"),
        Arguments.of("{\"spec\": {\"traffic\": [{\"latestRevision\": true, \"percent\": 100}]}}",
            "{\"spec\": {\"traffic\": [{\"revisionName\": \"r1\", \"percent\": 100}, {\"latestRevision\": true, \"percent\": 0, \"tag\": \"candidate\"}]}}"),
        Arguments.of("{\"a\": null}", "{\"a\": {\"b\": null}}"));
  }

  @ParameterizedTest
  @MethodSource("pairs")
  void anIndependentImplementationAppliesThePatchToTheTarget(String from, String to) {
    JsonNode source = json(from);
    JsonNode target = json(to);
    JsonNode patch = JsonPatch.diff(source, target);
    assertThat(io.fabric8.zjsonpatch.JsonPatch.apply(patch, source)).isEqualTo(target);
  }
}
