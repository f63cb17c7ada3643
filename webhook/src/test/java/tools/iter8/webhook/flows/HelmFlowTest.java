package tools.iter8.webhook.flows;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.webhook.support.AdmissionAnswer.generatedExperiment;
import static tools.iter8.webhook.support.AdmissionAnswer.iter8Annotations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.Repo;
import tools.iter8.webhook.support.TestWebhook;

/**
 * The Helm user flow: the example chart docs/examples/helm/myapp rendered by a real Helm engine
 * (helm-java) at two image tags; {@code helm upgrade} sends the new rendering as an UPDATE (a PATCH).
 */
class HelmFlowTest {
  private final TestWebhook webhook = TestWebhook.shared();

  private static JsonNode render(Map<String, Object> values) {
    TemplateCommand template = new Helm(Repo.path("docs/examples/helm/myapp")).template()
        .withName("myapp").withNamespace(Fixtures.NS);
    values.forEach(template::set);
    String yaml = template.call();
    return ApiMapper.readAll(yaml).stream().filter(d -> d.path("kind").asText().equals("Deployment")).findFirst()
        .orElseThrow(() -> new AssertionError("no Deployment in:\n" + yaml));
  }

  private AdmissionAnswer upgrade(JsonNode stored, JsonNode rendered) {
    ObjectNode applied = ApiServerObjects.applied(stored, rendered);
    return webhook.review("/mutate", AdmissionReviewBuilder.update(stored, applied).patch("helm").toJson());
  }

  @Test
  void anUpgradeToANewImageTagIsStagedWithAnExperimentFromTheValues() {
    JsonNode v1 = render(Map.of("image.tag", "v1"));
    ObjectNode created = ApiServerObjects.forCreate(v1, Fixtures.NS, "helm");
    assertThat(webhook.review("/mutate", AdmissionReviewBuilder.create(created).toJson()).hasPatch()).isFalse();

    ObjectNode stored = Fixtures.stored(v1);
    JsonNode v2 = render(Map.of("image.tag", "v2"));
    AdmissionAnswer answer = upgrade(stored, v2);
    JsonNode after = answer.applyTo(ApiServerObjects.applied(stored, v2));

    assertThat(after.at("/spec/paused").asBoolean()).isTrue();
    assertThat(after.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("ghcr.io/example/myapp:v2");
    assertThat(iter8Annotations(after).get("iter8.tools/experiment")).matches("myapp-[0-9a-f]{8}");
    Experiment e = generatedExperiment(after);
    assertThat(e.spec().strategy().weights().maxCandidateWeight()).isEqualTo(50);
    assertThat(e.spec().strategy().weights().maxCandidateWeightIncrement()).isEqualTo(25);
    assertThat(e.spec().duration().intervalSeconds()).isEqualTo(20);
    assertThat(e.spec().target()).isEqualTo("shop/myapp");
  }

  @Test
  void anUpgradeThatOnlyRetunesIter8IsNotANewVersion() {
    JsonNode v1 = render(Map.of("image.tag", "v1"));
    JsonNode retuned = render(Map.of("image.tag", "v1", "iter8.annotations.objectives", "error-rate<=0.005"));
    assertThat(retuned.at("/metadata/annotations/iter8.tools~1objectives").asText()).isEqualTo("error-rate<=0.005");
    AdmissionAnswer answer = upgrade(Fixtures.stored(v1), retuned);
    assertThat(answer.allowed()).isTrue();
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void aChartWithIter8DisabledIsLeftAlone() {
    JsonNode v1 = render(Map.of("image.tag", "v1", "iter8.enabled", "false"));
    assertThat(v1.at("/metadata/labels").has("iter8.tools/watch")).isFalse();
    AdmissionAnswer answer = upgrade(Fixtures.stored(v1), render(Map.of("image.tag", "v2", "iter8.enabled", "false")));
    assertThat(answer.hasPatch()).isFalse();
  }

  @Test
  void aBadValueIsDeniedWithTheAnnotationItCameFrom() {
    JsonNode v1 = render(Map.of("image.tag", "v1"));
    AdmissionAnswer answer = upgrade(Fixtures.stored(v1), render(Map.of("image.tag", "v2", "iter8.annotations.interval", "soon")));
    assertThat(answer.allowed()).isFalse();
    assertThat(answer.message()).contains("iter8.tools/interval: expected seconds (30) or a duration");
  }
}
