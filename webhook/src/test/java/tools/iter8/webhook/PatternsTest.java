package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.webhook.support.AdmissionAnswer.generatedExperiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.testkit.admission.ApiServerObjects;
import tools.iter8.webhook.support.AdmissionAnswer;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.TestWebhook;

/**
 * Every testing pattern with every deployment pattern, on each kind that supports it: the generated
 * Experiment carries them and passes the core validation and the CRD schema.
 */
class PatternsTest {
  private final TestWebhook webhook = TestWebhook.shared();

  static Stream<Arguments> patterns() {
    Stream.Builder<Arguments> all = Stream.builder();
    for (String kind : new String[] {"Deployment", "Service", "InferenceService"}) {
      for (TestingPattern t : TestingPattern.values()) {
        for (DeploymentPattern d : DeploymentPattern.values()) {
          if (d == DeploymentPattern.DARK_LAUNCH && !kind.equals("Deployment")) {
            continue; // mirroring needs a mesh or gateway router: Deployments only
          }
          all.add(Arguments.of(kind, t.wireName(), d.wireName()));
        }
      }
    }
    return all.build();
  }

  @ParameterizedTest(name = "{0} {1} {2}")
  @MethodSource("patterns")
  void theGeneratedExperimentHasThePatternsAndIsValid(String kind, String testing, String deployment) {
    Map<String, String> annotations = new HashMap<>();
    annotations.put("iter8.tools/testing-pattern", testing);
    annotations.put("iter8.tools/deployment-pattern", deployment);
    if (!testing.equals("Canary") && !testing.equals("Conformance")) {
      annotations.put("iter8.tools/rewards", testing.equals("Pareto") ? "conversion-rate:High,cost:Low" : "conversion-rate:High");
    }
    if (deployment.equals("DarkLaunch")) {
      annotations.put("iter8.tools/router", "gateway/myapp");
    }
    ObjectNode v1;
    ObjectNode v2;
    switch (kind) {
      case "Deployment" -> {
        v1 = Fixtures.stored(Fixtures.withAnnotations(Fixtures.deployment(), annotations));
        v2 = Fixtures.replace(Fixtures.withAnnotations(Fixtures.deployment(), annotations), ":v1", ":v2");
      }
      case "Service" -> {
        v1 = Fixtures.readyKnative(Fixtures.withAnnotations(Fixtures.knativeService(), annotations), "hello-00001");
        v2 = Fixtures.replace(Fixtures.withAnnotations(Fixtures.knativeService(), annotations), ":v1", ":v2");
      }
      default -> {
        v1 = Fixtures.readyInferenceService(Fixtures.withAnnotations(Fixtures.inferenceService(), annotations), "r-1");
        v2 = Fixtures.replace(Fixtures.withAnnotations(Fixtures.inferenceService(), annotations), "1.0/model", "1.0/model-2");
      }
    }
    ObjectNode applied = ApiServerObjects.applied(v1, v2);
    AdmissionAnswer answer = webhook.review("/mutate", AdmissionReviewBuilder.update(v1, applied).toJson());
    assertThat(answer.allowed()).as(answer.message()).isTrue();
    JsonNode after = answer.applyTo(applied);

    Experiment e = generatedExperiment(after);
    assertThat(e.spec().strategy().testingPattern()).isEqualTo(testing);
    assertThat(e.spec().strategy().deploymentPattern()).isEqualTo(deployment);
    boolean conformance = testing.equals("Conformance");
    if (conformance) {
      assertThat(e.spec().versionInfo().candidates()).isNullOrEmpty();
    } else {
      assertThat(e.spec().versionInfo().candidates()).hasSize(1);
    }
    // Conformance rolls the new version out and checks it; every other pattern stages it.
    boolean staged = after.at("/metadata/annotations").has("iter8.tools/baseline-hash");
    assertThat(staged).isEqualTo(!conformance);
  }
}
