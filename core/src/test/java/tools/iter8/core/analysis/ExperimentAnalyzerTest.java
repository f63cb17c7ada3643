package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static tools.iter8.core.analysis.Fixtures.observations;
import static tools.iter8.core.analysis.Fixtures.version;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.AggregatedMetricData;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.BuiltinHistsAnalysis;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.ObjectiveAssessment;
import tools.iter8.core.metrics.Observation;

class ExperimentAnalyzerTest {
  private static final ExperimentAnalyzer ANALYZER = new ExperimentAnalyzer();

  private static final Map<String, Map<String, Observation>> ABN = observations(
      "v1", version().healthy(3000).conversions(300),
      "v2", version().healthy(2500).conversions(270),
      "v3", version().healthy(400).errors(3).conversions(44));

  private static AnalysisInput abn(long seed) {
    return new AnalysisInput(Fixtures.ab("A/B/N", "v1", "v2", "v3"), Fixtures.metrics(), ABN,
        Map.of("v1", 50, "v2", 30, "v3", 20), 4, 0, seed, Fixtures.NOW);
  }

  @Test
  void theSameInputAndSeedGiveTheSameResult() {
    AnalysisResult a = ANALYZER.analyze(abn(123));
    AnalysisResult b = ANALYZER.analyze(abn(123));

    assertThat(ApiMapper.toJson(a)).isEqualTo(ApiMapper.toJson(b));
    assertThat(a).isEqualTo(b);
  }

  @Test
  void anotherSeedDrawsOtherMonteCarloFiguresButTheSameConclusion() {
    AnalysisResult a = ANALYZER.analyze(abn(123));
    AnalysisResult b = ANALYZER.analyze(abn(456));

    assertThat(a.analysis().winnerAssessment().data().probabilities())
        .isNotEqualTo(b.analysis().winnerAssessment().data().probabilities());
    assertThat(a.action()).isEqualTo(b.action());
  }

  /**
   * A Canary whose candidate served 1000 requests with 5 errors (P(error rate ≤ 1%) = 0.955: met, if the
   * requests are independent) while the error rate of both versions swung from iteration to iteration.
   */
  private static AnalysisInput swinging(boolean withHistory) {
    Map<String, Map<String, Observation>> now = observations(
        "v1", version().healthy(4000).errors(40), "v2", version().healthy(1000).errors(5));
    Map<String, Map<String, java.util.List<Observation>>> history = Map.of(
        "v1", Map.of("default/error-count", java.util.List.of(value(5), value(20), value(25)),
            "default/request-count", java.util.List.of(value(1000), value(2000), value(3000))),
        "v2", Map.of("default/error-count", java.util.List.of(new Observation.NoData("no series"), value(0)),
            "default/request-count", java.util.List.of(new Observation.NoData("no series"), value(500))));
    return new AnalysisInput(Fixtures.canary(), Fixtures.metrics(), now, Map.of("v1", 50, "v2", 50), 4, 0, 9L,
        Fixtures.NOW, withHistory ? history : null);
  }

  private static Observation value(double v) {
    return new Observation.Value(v);
  }

  @Test
  void withoutHistoryTheEightArgumentInputTakesRequestsAsIndependent() {
    AnalysisInput eight = new AnalysisInput(Fixtures.canary(), Fixtures.metrics(), swinging(false).observations(),
        Map.of("v1", 50, "v2", 50), 4, 0, 9L, Fixtures.NOW);

    assertThat(eight.history()).isEmpty();
    assertThat(eight).isEqualTo(swinging(false));
    assertThat(ANALYZER.analyze(eight).analysis().versionAssessments().details().get("v2").get(0).verdict())
        .isEqualTo("met");
  }

  @Test
  void swingsInTheHistoryLeaveACandidateUndecidedThatIndependentRequestsWouldPass() {
    AnalysisResult independent = ANALYZER.analyze(swinging(false));
    AnalysisResult swings = ANALYZER.analyze(swinging(true));

    ObjectiveAssessment plain = independent.analysis().versionAssessments().details().get("v2").get(0);
    ObjectiveAssessment widened = swings.analysis().versionAssessments().details().get("v2").get(0);
    assertThat(plain.probability()).isCloseTo(0.9554, within(1e-4));
    assertThat(widened.verdict()).isEqualTo("undecided");
    assertThat(widened.probability()).isBetween(0.5, 0.95);
    assertThat(swings.analysis().aggregatedMetrics().data().get("default/error-count").data().get("v2").reason())
        .contains("after swings between iterations, ICC ");
    assertThat(swings.action()).isEqualTo(DecisionAction.CONTINUE);
  }

  @Test
  void theSameInputWithHistoryGivesTheSameResult() {
    assertThat(ANALYZER.analyze(swinging(true))).isEqualTo(ANALYZER.analyze(swinging(true)));
  }

  @Test
  void theHistoryIsCopiedSoTheCallerCanKeepAppending() {
    java.util.List<Observation> errors = new java.util.ArrayList<>(java.util.List.of(value(5)));
    Map<String, Map<String, java.util.List<Observation>>> history = new LinkedHashMap<>();
    history.put("v1", new LinkedHashMap<>(Map.of("default/error-count", errors)));

    AnalysisInput input = new AnalysisInput(Fixtures.canary(), Fixtures.metrics(), Map.of(), Map.of(), 2, 0, 1L,
        Fixtures.NOW, history);
    errors.add(value(9));

    assertThat(input.history().get("v1").get("default/error-count")).containsExactly(value(5));
  }

  @Test
  void theSeedOfAnIterationIsStableAndDiffersBetweenIterations() {
    assertThat(AnalysisInput.seedFor("uid-1", 3)).isEqualTo(AnalysisInput.seedFor("uid-1", 3));
    assertThat(AnalysisInput.seedFor("uid-1", 3)).isNotEqualTo(AnalysisInput.seedFor("uid-1", 4));
    assertThat(AnalysisInput.seedFor("uid-1", 3)).isNotEqualTo(AnalysisInput.seedFor("uid-2", 3));
  }

  @Test
  void statusHasTheOriginalShapesWithTheFiguresBehindEachVerdict() {
    AnalysisResult r = Fixtures.analyze(Fixtures.canary(),
        observations("v1", version().healthy(5000), "v2", version().healthy(800)), Map.of("v1", 80, "v2", 20), 3);
    Analysis a = r.analysis();

    assertThat(a.aggregatedMetrics().data()).containsOnlyKeys("default/request-count", "default/error-count",
        "default/latency-mean", "default/latency-p95", "default/latency");
    AggregatedMetricData errors = a.aggregatedMetrics().data().get("default/error-count").data().get("v2");
    assertThat(errors.value().value()).isEqualTo(0.005);
    assertThat(errors.sampleSize()).isEqualTo(800);
    assertThat(errors.outcome()).isEqualTo("value");
    assertThat(errors.reason()).isEqualTo("4 of 800, Beta(4.5, 796.5)");

    assertThat(a.versionAssessments().data()).containsOnlyKeys("v1", "v2");
    assertThat(a.versionAssessments().data().get("v1")).containsExactly(true, true, true);
    ObjectiveAssessment v2Errors = a.versionAssessments().details().get("v2").get(0);
    assertThat(v2Errors.metric()).isEqualTo("error-count");
    assertThat(v2Errors.verdict()).isEqualTo("undecided");
    assertThat(v2Errors.probability()).isBetween(0.05, 0.95);
    assertThat(v2Errors.reason()).startsWith("undecided: P(error-count ≤ 0.01) = ");

    assertThat(a.winnerAssessment().data().winnerFound()).isFalse();
    assertThat(a.winnerAssessment().data().probabilities()).containsOnlyKeys("v1", "v2");
    assertThat(a.weights().data()).extracting(w -> w.name()).containsExactly("v1", "v2");
    assertThat(a.aggregatedMetrics().provenance()).isEqualTo(StatusAssembler.PROVENANCE);
    assertThat(a.weights().timestamp()).isEqualTo(Fixtures.NOW);
  }

  @Test
  void statusSurvivesAJsonRoundTripUnchanged() {
    AnalysisResult r = ANALYZER.analyze(abn(9));

    Analysis read = ApiMapper.read(ApiMapper.toJson(r.analysis()), Analysis.class);

    assertThat(ApiMapper.toJson(read)).isEqualTo(ApiMapper.toJson(r.analysis()));
  }

  @Test
  void withoutObjectivesVersionAssessmentsAreEmptyAsInTheOriginal() {
    Experiment e = Fixtures.experiment("{testingPattern: A/B}",
        "{requestCount: request-count, rewards: [{metric: conversions, preferredDirection: High}]}", "v1", "v2");

    AnalysisResult r = Fixtures.analyze(e, observations("v1", version().healthy(5000).conversions(500),
        "v2", version().healthy(5000).conversions(700)), Map.of(), 2);

    assertThat(r.analysis().versionAssessments().data()).isEmpty();
    assertThat(r.analysis().winnerAssessment().data().winner()).isEqualTo("v2");
  }

  @Test
  void theBuiltinHistogramsOfTheStatusAreCarriedOver() {
    BuiltinHistsAnalysis hists = new BuiltinHistsAnalysis("Builtin metrics collector", Fixtures.NOW, null,
        JsonNodeFactory.instance.objectNode().put("v1", 1), null);
    Experiment e = Fixtures.canary().withStatus(new ExperimentStatus(null, null, null, null, null, null, null,
        new Analysis(hists, null, null, null, null, null), null, null, null, null, null, null, null, null, null));

    AnalysisResult r = Fixtures.analyze(e, observations("v1", version().healthy(500), "v2", version().healthy(500)),
        Map.of(), 1);

    assertThat(r.analysis().aggregatedBuiltinHists()).isEqualTo(hists);
  }

  @Test
  void bareNamesResolveInTheExperimentNamespaceAndSampleSizesInTheMetricsOwn() {
    Map<String, Metric> metrics = new LinkedHashMap<>();
    metrics.put("iter8-system/requests", ApiMapper.read("""
        {metadata: {name: requests, namespace: iter8-system}, spec: {type: Counter}}""", Metric.class));
    metrics.put("iter8-system/errors", ApiMapper.read("""
        {metadata: {name: errors, namespace: iter8-system},
         spec: {type: Counter, sampleSize: requests, posterior: {model: Rate}}}""", Metric.class));
    Experiment e = Fixtures.experiment("{testingPattern: Canary}", """
        {requestCount: iter8-system/requests, objectives: [{metric: iter8-system/errors, upperLimit: "0.01"}]}""",
        "v1", "v2");
    Map<String, Map<String, Observation>> o = new LinkedHashMap<>();
    o.put("v1", Map.of("iter8-system/requests", new Observation.Value(1000),
        "iter8-system/errors", new Observation.Value(4)));
    o.put("v2", Map.of("iter8-system/requests", new Observation.Value(1000),
        "iter8-system/errors", new Observation.Value(50)));

    AnalysisResult r = ANALYZER.analyze(new AnalysisInput(e, metrics, o, Map.of(), 2, 0, 1L, Fixtures.NOW));

    assertThat(r.analysis().versionAssessments().details().get("v1").get(0).verdict()).isEqualTo("met");
    assertThat(r.analysis().versionAssessments().details().get("v2").get(0).verdict()).isEqualTo("violated");
  }

  @Test
  void aMetricMissingFromTheInputIsAnErrorThatNamesIt() {
    Map<String, Metric> metrics = new LinkedHashMap<>(Fixtures.metrics());
    metrics.remove("default/latency-p95");

    AnalysisResult r = ANALYZER.analyze(new AnalysisInput(Fixtures.canary(), metrics,
        observations("v1", version().healthy(5000), "v2", version().healthy(5000)), Map.of(), 2, 0, 1L, Fixtures.NOW));

    assertThat(r.action()).isEqualTo(DecisionAction.HOLD);
    assertThat(r.consecutiveErrors()).isEqualTo(1);
    assertThat(r.decision().reason()).contains("metric default/latency-p95 is not among the experiment's metrics");
  }

  @Test
  void anExperimentWithoutVersionsIsRefused() {
    Experiment e = ApiMapper.read("{spec: {strategy: {testingPattern: Canary}}}", Experiment.class);

    assertThatThrownBy(() -> ANALYZER.analyze(new AnalysisInput(e, Map.of(), Map.of(), Map.of(), 1, 0, 1L,
        Fixtures.NOW))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("versionInfo");
  }
}
