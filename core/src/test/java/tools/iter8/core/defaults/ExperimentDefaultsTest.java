package tools.iter8.core.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.iter8.core.Samples;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentSpec;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.Objective;

class ExperimentDefaultsTest {

  private static Experiment parse(String yaml) {
    return ApiMapper.read(yaml, Experiment.class);
  }

  private static final String MINIMAL =
      """
      apiVersion: iter8.tools/v2alpha2
      kind: Experiment
      metadata: {name: e, namespace: default}
      spec:
        target: default/app
        strategy: {testingPattern: Canary}
        criteria:
          objectives:
          - {metric: iter8-system/error-rate, upperLimit: "0.01"}
        versionInfo:
          baseline: {name: v1}
          candidates: [{name: v2}]
      """;

  @Test
  void absentFieldsGetTheOriginalDefaults() {
    ExperimentSpec s = ExperimentDefaults.apply(parse(MINIMAL)).spec();

    assertThat(s.strategy().deploymentPattern()).isEqualTo("Progressive");
    assertThat(s.strategy().weights().maxCandidateWeight()).isEqualTo(100);
    assertThat(s.strategy().weights().maxCandidateWeightIncrement()).isEqualTo(10);
    assertThat(s.duration().intervalSeconds()).isEqualTo(20);
    assertThat(s.duration().iterationsPerLoop()).isEqualTo(15);
    assertThat(s.duration().maxLoops()).isEqualTo(1);
    assertThat(s.criteria().objectives().get(0).rollbackOnFailure()).isFalse();
    assertThat(s.criteria().requestCount()).as("the original has no requestCount default").isNull();
  }

  @Test
  void absentFieldsGetOurDefaults() {
    ExperimentSpec s = ExperimentDefaults.apply(parse(MINIMAL)).spec();

    assertThat(s.criteria().strength()).isEqualTo(0.95);
    assertThat(s.criteria().minSampleSize()).isEqualTo(100L);
    assertThat(s.criteria().consecutiveErrorLimit()).isEqualTo(3);
    assertThat(s.strategy().weights().explorationFloor()).isEqualTo(5);
  }

  @Test
  void blueGreenObjectivesRollBackOnFailureByDefault() {
    Experiment e = parse(MINIMAL.replace("{testingPattern: Canary}", "{testingPattern: Canary, deploymentPattern: BlueGreen}"));

    Objective o = ExperimentDefaults.apply(e).spec().criteria().objectives().get(0);

    assertThat(o.rollbackOnFailure()).isTrue();
  }

  @Test
  void valuesTheUserWroteAreNeverChanged() {
    Experiment e =
        parse(
            MINIMAL
                .replace("{testingPattern: Canary}",
                    "{testingPattern: Canary, deploymentPattern: BlueGreen, weights: {maxCandidateWeight: 50}}")
                .replace("upperLimit: \"0.01\"}", "upperLimit: \"0.01\", rollback_on_failure: false}\n    strength: 0.99"));

    ExperimentSpec s = ExperimentDefaults.apply(e).spec();

    assertThat(s.strategy().weights().maxCandidateWeight()).isEqualTo(50);
    assertThat(s.strategy().weights().maxCandidateWeightIncrement()).isEqualTo(10);
    assertThat(s.criteria().objectives().get(0).rollbackOnFailure()).isFalse();
    assertThat(s.criteria().strength()).isEqualTo(0.99);
  }

  @Test
  void explorationFloorShrinksSoManyVersionsStillFitIn100Percent() {
    StringBuilder candidates = new StringBuilder();
    for (int i = 2; i <= 25; i++) {
      candidates.append("{name: v").append(i).append("},");
    }
    Experiment e =
        parse(MINIMAL.replace("{testingPattern: Canary}", "{testingPattern: A/B/N}")
            .replace("[{name: v2}]", "[" + candidates + "]"));

    assertThat(ExperimentDefaults.apply(e).spec().strategy().weights().explorationFloor()).isEqualTo(4);
  }

  @Test
  void applyingDefaultsTwiceChangesNothing() {
    for (Samples.Doc doc : Samples.ofKind("Experiment")) {
      Experiment once = ExperimentDefaults.apply(ApiMapper.fromTree(doc.node(), Experiment.class));
      Experiment twice = ExperimentDefaults.apply(once);
      assertThat(ApiMapper.toTree(twice)).as(doc.name()).isEqualTo(ApiMapper.toTree(once));
    }
  }

  @Test
  void metricsDefaultToGaugeAndGet() {
    Metric m =
        ApiMapper.read(
            "{apiVersion: iter8.tools/v2alpha2, kind: Metric, metadata: {name: m}, spec: {urlTemplate: 'http://p', jqExpression: '.'}}",
            Metric.class);

    Metric d = MetricDefaults.apply(m);

    assertThat(d.spec().type()).isEqualTo("Gauge");
    assertThat(d.spec().method()).isEqualTo("GET");
  }
}
