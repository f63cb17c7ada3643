package tools.iter8.webhook.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.webhook.support.AdmissionAnswer.generatedExperiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.Processes;
import tools.iter8.webhook.support.Repo;
import tools.iter8.webhook.support.TestWebhook;

/**
 * The Kustomize user flow: docs/examples/kustomize, a base without iter8 labels and an overlay adding the
 * watch label and annotations, rendered by the real {@code kubectl kustomize}; v2 is the base's image tag
 * bumped as a release pipeline would.
 */
class KustomizeFlowTest {
  @TempDir Path work;
  private final TestWebhook webhook = TestWebhook.shared();

  @BeforeEach
  void copyExample() throws IOException {
    Path source = Repo.path("docs/examples/kustomize");
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path target = work.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }

  private void setTag(String tag) throws IOException {
    Path k = work.resolve("base/kustomization.yaml");
    Files.writeString(k, Files.readString(k).replaceAll("newTag: v[0-9]+", "newTag: " + tag));
  }

  private void setOverlayObjectives(String objectives) throws IOException {
    Path k = work.resolve("overlays/iter8/kustomization.yaml");
    Files.writeString(k, Files.readString(k).replaceAll("iter8.tools/objectives: .*", "iter8.tools/objectives: " + objectives));
  }

  private JsonNode deployment(String dir) {
    String yaml = Processes.ok(Map.of(), null, Processes.kubectl(), "kustomize", work.resolve(dir).toString());
    return ApiMapper.readAll(yaml).stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst()
        .orElseThrow();
  }

  private AdmissionAnswer update(JsonNode stored, JsonNode rendered) {
    ObjectNode applied = ApiServerObjects.applied(stored, rendered);
    return webhook.review("/mutate", AdmissionReviewBuilder.update(stored, applied).patch("kustomize-controller").toJson());
  }

  @Test
  void theBaseAloneIsNotWatched() throws IOException {
    JsonNode v1 = deployment("base");
    assertThat(v1.at("/metadata/labels").has("iter8.tools/watch")).isFalse();
    setTag("v2");
    AdmissionAnswer answer = update(Fixtures.stored(v1), deployment("base"));
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void theOverlaysVersion2IsStagedWithAnExperimentShapedByItsAnnotations() throws IOException {
    JsonNode v1 = deployment("overlays/iter8");
    assertThat(v1.at("/metadata/labels/iter8.tools~1watch").asText()).isEqualTo("true");
    assertThat(v1.at("/spec/selector/matchLabels").has("iter8.tools/watch")).isFalse();
    ObjectNode created = ApiServerObjects.forCreate(v1, Fixtures.NS, "kustomize-controller");
    assertThat(webhook.review("/mutate", AdmissionReviewBuilder.create(created).toJson()).hasPatch()).isFalse();

    ObjectNode stored = Fixtures.stored(v1);
    setTag("v2");
    JsonNode v2 = deployment("overlays/iter8");
    AdmissionAnswer answer = update(stored, v2);
    JsonNode after = answer.applyTo(ApiServerObjects.applied(stored, v2));

    assertThat(after.at("/spec/paused").asBoolean()).isTrue();
    Experiment e = generatedExperiment(after);
    assertThat(e.spec().strategy().weights().maxCandidateWeight()).isEqualTo(30);
    assertThat(e.spec().duration().intervalSeconds()).isEqualTo(60);
    assertThat(e.spec().criteria().objectives())
        .extracting(o -> o.metric() + "<=" + o.upperLimit())
        .containsExactly("iter8-http/error-rate<=0.005", "iter8-http/latency-p95<=250");
  }

  @Test
  void changingTheOverlaysSettingsIsNotANewVersion() throws IOException {
    // commonAnnotations also lands in the pod template; iter8 ignores its own annotations there.
    JsonNode v1 = deployment("overlays/iter8");
    assertThat(v1.at("/spec/template/metadata/annotations/iter8.tools~1max-candidate-weight").asText()).isEqualTo("30");
    setOverlayObjectives("error-rate<=0.02");
    JsonNode retuned = deployment("overlays/iter8");
    assertThat(retuned.at("/spec/template")).isNotEqualTo(v1.at("/spec/template"));

    AdmissionAnswer answer = update(Fixtures.stored(v1), retuned);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }
}
