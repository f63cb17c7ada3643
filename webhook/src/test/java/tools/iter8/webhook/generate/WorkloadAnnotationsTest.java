package tools.iter8.webhook.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.validation.Problem;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.webhook.generate.WorkloadSettings.ObjectiveSetting;
import tools.iter8.webhook.generate.WorkloadSettings.RewardSetting;

class WorkloadAnnotationsTest {

  private static WorkloadAnnotations.Result parse(WorkloadKind kind, String... keyValues) {
    Map<String, String> a = new LinkedHashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      a.put(keyValues[i], keyValues[i + 1]);
    }
    return WorkloadAnnotations.parse(kind, a);
  }

  private static WorkloadSettings ok(WorkloadKind kind, String... keyValues) {
    WorkloadAnnotations.Result r = parse(kind, keyValues);
    assertThat(r.problems()).isEmpty();
    return r.settings();
  }

  @Test
  void noAnnotationsGiveTheDocumentedDefaults() {
    WorkloadSettings s = ok(WorkloadKind.DEPLOYMENT);
    assertThat(s.testingPattern()).isEqualTo(TestingPattern.CANARY);
    assertThat(s.deploymentPattern()).isEqualTo(DeploymentPattern.PROGRESSIVE);
    assertThat(s.metricSet()).isEqualTo("http");
    assertThat(s.objectives()).containsExactly(new ObjectiveSetting("error-rate", "0.01", null));
    assertThat(s.rewards()).isEmpty();
    assertThat(s.intervalSeconds()).isEqualTo(20);
    assertThat(s.iterations()).isEqualTo(15);
    assertThat(s.maxCandidateWeight()).isEqualTo(50);
    assertThat(s.maxCandidateWeightIncrement()).isEqualTo(10);
    assertThat(s.strength()).isEqualTo(0.95);
    assertThat(s.router()).isEqualTo(Router.REPLICAS);
    assertThat(s.template()).isNull();
    assertThat(s.retry()).isNull();
    assertThat(s.given()).isEmpty();
  }

  @Test
  void defaultsFollowTheKind() {
    assertThat(ok(WorkloadKind.KNATIVE_SERVICE).metricSet()).isEqualTo("knative");
    assertThat(ok(WorkloadKind.KNATIVE_SERVICE).router()).isEqualTo(Router.KNATIVE);
    assertThat(ok(WorkloadKind.KNATIVE_SERVICE).maxCandidateWeight()).isEqualTo(100);
    assertThat(ok(WorkloadKind.INFERENCE_SERVICE).metricSet()).isEqualTo("kserve");
    assertThat(ok(WorkloadKind.INFERENCE_SERVICE).router()).isEqualTo(Router.KSERVE);
  }

  @Test
  void everyAnnotationIsRead() {
    WorkloadSettings s =
        ok(
            WorkloadKind.DEPLOYMENT,
            "iter8.tools/testing-pattern", "A/B",
            "iter8.tools/deployment-pattern", "DarkLaunch",
            "iter8.tools/metrics", "http",
            "iter8.tools/objectives", "error-rate<=0.01, latency-p95 <= 300,latency-p95>=1,team-a/cpu<=250m",
            "iter8.tools/rewards", "conversion-rate:High",
            "iter8.tools/interval", "1m30s",
            "iter8.tools/iterations", "12",
            "iter8.tools/max-candidate-weight", "80",
            "iter8.tools/max-candidate-weight-increment", "5",
            "iter8.tools/strength", "0.99",
            "iter8.tools/router", "istio/myapp-vs",
            "iter8.tools/template", "team-defaults",
            "iter8.tools/retry", "2");
    assertThat(s.testingPattern()).isEqualTo(TestingPattern.AB);
    assertThat(s.deploymentPattern()).isEqualTo(DeploymentPattern.DARK_LAUNCH);
    assertThat(s.metricSet()).isEqualTo("http");
    assertThat(s.objectives())
        .containsExactly(
            new ObjectiveSetting("error-rate", "0.01", null),
            new ObjectiveSetting("latency-p95", "300", "1"),
            new ObjectiveSetting("team-a/cpu", "250m", null));
    assertThat(s.rewards()).containsExactly(new RewardSetting("conversion-rate", PreferredDirection.HIGH));
    assertThat(s.intervalSeconds()).isEqualTo(90);
    assertThat(s.iterations()).isEqualTo(12);
    assertThat(s.maxCandidateWeight()).isEqualTo(80);
    assertThat(s.maxCandidateWeightIncrement()).isEqualTo(5);
    assertThat(s.strength()).isEqualTo(0.99);
    assertThat(s.router()).isEqualTo(Router.ISTIO);
    assertThat(s.routerObject()).isEqualTo("myapp-vs");
    assertThat(s.template()).isEqualTo("team-defaults");
    assertThat(s.retry()).isEqualTo("2");
    assertThat(s.given()).hasSize(13);
  }

  @Test
  void theIstioRouterDefaultsToTheIstioMetricsAndGatewayToHttp() {
    assertThat(ok(WorkloadKind.DEPLOYMENT, "iter8.tools/router", "istio/vs").metricSet()).isEqualTo("istio");
    WorkloadSettings gateway = ok(WorkloadKind.DEPLOYMENT, "iter8.tools/router", "gateway/route");
    assertThat(gateway.router()).isEqualTo(Router.GATEWAY_API);
    assertThat(gateway.metricSet()).isEqualTo("http");
    assertThat(gateway.maxCandidateWeight()).isEqualTo(100);
  }

  @Test
  void intervalsInSecondsOrDurations() {
    assertThat(ok(WorkloadKind.DEPLOYMENT, "iter8.tools/interval", "30").intervalSeconds()).isEqualTo(30);
    assertThat(ok(WorkloadKind.DEPLOYMENT, "iter8.tools/interval", "30s").intervalSeconds()).isEqualTo(30);
    assertThat(ok(WorkloadKind.DEPLOYMENT, "iter8.tools/interval", "2m").intervalSeconds()).isEqualTo(120);
    assertThat(ok(WorkloadKind.DEPLOYMENT, "iter8.tools/interval", "1h").intervalSeconds()).isEqualTo(3600);
  }

  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of("iter8.tools/testing-pattern", "Canery",
            "expected one of Canary, A/B, A/B/N, Conformance, Pareto, got \"Canery\""),
        Arguments.of("iter8.tools/deployment-pattern", "Rolling",
            "expected one of Progressive, FixedSplit, BlueGreen, DarkLaunch, got \"Rolling\""),
        Arguments.of("iter8.tools/metrics", "datadog", "expected one of istio, knative, kserve, http, got \"datadog\""),
        Arguments.of("iter8.tools/objectives", "error-rate<0.01", "\"error-rate<0.01\" is not one"),
        Arguments.of("iter8.tools/objectives", "error-rate<=lots", "the limit of error-rate must be a number"),
        Arguments.of("iter8.tools/objectives", "Error_Rate<=0.01", "metric \"Error_Rate\" must be a built-in metric name"),
        Arguments.of("iter8.tools/objectives", "latency<=10,latency<=20", "latency has two upper limits"),
        Arguments.of("iter8.tools/objectives", "latency>=20,latency<=10", "cannot both be met"),
        Arguments.of("iter8.tools/rewards", "conversion-rate", "\"conversion-rate\" is not one"),
        Arguments.of("iter8.tools/rewards", "conversion-rate:Higher", "\"conversion-rate:Higher\" is not one"),
        Arguments.of("iter8.tools/interval", "soon", "expected seconds (30) or a duration (30s, 1m, 1m30s) from 1s to 24h, got \"soon\""),
        Arguments.of("iter8.tools/interval", "0s", "got \"0s\""),
        Arguments.of("iter8.tools/interval", "1.5s", "got \"1.5s\""),
        Arguments.of("iter8.tools/iterations", "0", "expected a whole number from 1 to 10000, got \"0\""),
        Arguments.of("iter8.tools/iterations", "ten", "got \"ten\""),
        Arguments.of("iter8.tools/max-candidate-weight", "101", "expected a whole number from 0 to 100, got \"101\""),
        Arguments.of("iter8.tools/max-candidate-weight-increment", "-5", "expected a whole number from 0 to 100, got \"-5\""),
        Arguments.of("iter8.tools/strength", "0.5", "expected a probability between 0.5 and 1 (exclusive), e.g. 0.95, got \"0.5\""),
        Arguments.of("iter8.tools/strength", "95%", "got \"95%\""),
        Arguments.of("iter8.tools/router", "linkerd/split", "expected replicas, istio/<virtualservice> or gateway/<httproute>"),
        Arguments.of("iter8.tools/router", "istio/", "got \"istio/\""),
        Arguments.of("iter8.tools/template", "Team Defaults", "expected the name of an Experiment in the workload's namespace"),
        Arguments.of("iter8.tools/objectve", "error-rate<=0.01", "unknown annotation; iter8 understands testing-pattern, deployment-pattern"),
        Arguments.of("iter8.tools/watch", "true", "is a label, not an annotation"));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("badValues")
  void aBadValueIsReportedOnItsAnnotation(String key, String value, String message) {
    WorkloadAnnotations.Result r = parse(WorkloadKind.DEPLOYMENT, key, value);
    assertThat(r.ok()).isFalse();
    assertThat(r.problems()).hasSize(1);
    assertThat(r.problems().get(0).path()).isEqualTo(key);
    assertThat(r.problems().get(0).message()).contains(message);
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    WorkloadAnnotations.Result r =
        parse(
            WorkloadKind.DEPLOYMENT,
            "iter8.tools/interval", "soon",
            "iter8.tools/strength", "2",
            "iter8.tools/router", "nginx",
            "iter8.tools/color", "blue",
            "example.com/other", "ignored");
    assertThat(r.problems())
        .extracting(Problem::path)
        .containsExactly("iter8.tools/color", "iter8.tools/interval", "iter8.tools/router", "iter8.tools/strength");
  }

  @Test
  void iter8StateAnnotationsAreNotUnknown() {
    assertThat(
            parse(WorkloadKind.DEPLOYMENT,
                "iter8.tools/experiment", "myapp-1a2b3c4d",
                "iter8.tools/baseline-hash", "0123456789abcdef",
                "iter8.tools/rejected-hash", "0123456789abcdef",
                "iter8.tools/status", "whatever").problems())
        .isEmpty();
  }

  @Test
  void patternsAndRewardsMustAgree() {
    assertThat(parse(WorkloadKind.DEPLOYMENT, "iter8.tools/testing-pattern", "A/B").problems())
        .containsExactly(new Problem("iter8.tools/testing-pattern",
            "testing pattern A/B needs exactly one reward in iter8.tools/rewards, e.g. conversion-rate:High"));
    assertThat(parse(WorkloadKind.DEPLOYMENT, "iter8.tools/rewards", "revenue:High").problems())
        .containsExactly(new Problem("iter8.tools/rewards",
            "testing pattern Canary uses no rewards; remove iter8.tools/rewards or set iter8.tools/testing-pattern"
                + " to A/B, A/B/N or Pareto"));
    assertThat(parse(WorkloadKind.DEPLOYMENT, "iter8.tools/testing-pattern", "Pareto",
        "iter8.tools/rewards", "revenue:High,cost:Low").problems()).isEmpty();
  }

  @Test
  void darkLaunchNeedsAMirroringRouter() {
    assertThat(parse(WorkloadKind.DEPLOYMENT, "iter8.tools/deployment-pattern", "DarkLaunch").problems())
        .extracting(Problem::path)
        .containsExactly("iter8.tools/deployment-pattern");
    assertThat(parse(WorkloadKind.DEPLOYMENT, "iter8.tools/deployment-pattern", "DarkLaunch",
        "iter8.tools/router", "gateway/myapp").problems()).isEmpty();
    assertThat(parse(WorkloadKind.KNATIVE_SERVICE, "iter8.tools/deployment-pattern", "DarkLaunch").problems().get(0).message())
        .contains("which only Deployments have");
  }

  @Test
  void routerIsForDeploymentsOnly() {
    List<Problem> problems = parse(WorkloadKind.INFERENCE_SERVICE, "iter8.tools/router", "istio/vs").problems();
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0).message()).startsWith("applies to Deployments only; a InferenceService");
  }

  @Test
  void userAnnotationsLeaveOutStateAndOtherPrefixes() {
    assertThat(
            WorkloadAnnotations.userAnnotations(
                Map.of("iter8.tools/objectives", "x", "iter8.tools/status", "y", "app", "z")))
        .containsExactly(Map.entry("iter8.tools/objectives", "x"));
  }
}
