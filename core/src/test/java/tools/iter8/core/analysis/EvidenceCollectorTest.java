package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.metrics.Observation;

class EvidenceCollectorTest {
  private static final MetricCatalog CATALOG = new MetricCatalog("default", Fixtures.metrics());

  private static Evidence evidence(String metric, Map<String, Observation> observed, Double requests) {
    return new EvidenceCollector(Map.of("v", observed)).evidence("v", CATALOG.model("default/" + metric), requests);
  }

  @Test
  void aRateGivenAsAFractionAndAsACountHaveTheSamePosterior() {
    Evidence fraction = evidence("error-rate", Map.of("default/error-rate", new Observation.Value(0.01),
        "default/request-count", new Observation.Value(2400)), null);
    Evidence count = evidence("error-count", Map.of("default/error-count", new Observation.Value(24),
        "default/request-count", new Observation.Value(2400)), null);

    assertThat(fraction.posterior()).isEqualTo(count.posterior()).isEqualTo(BetaPosterior.of(24, 2400));
    assertThat(fraction.value()).isEqualTo(0.01);
    assertThat(fraction.sampleSize()).isEqualTo(2400);
  }

  @Test
  void countsBeyondTheTrialsAreKeptWithinThemAndSaidSo() {
    Evidence e = evidence("error-count", Map.of("default/error-count", new Observation.Value(103),
        "default/request-count", new Observation.Value(100)), null);

    assertThat(e.posterior()).isEqualTo(BetaPosterior.of(100, 100));
    assertThat(e.reason()).contains("observed 103 events, kept within 0..100");
  }

  @Test
  void aNormalGaugeWithAKnownSpreadNarrowsWithTheSampleSize() {
    Evidence e = evidence("cpu", Map.of("default/cpu", new Observation.Value(0.7)), 400.0);

    NormalPosterior p = (NormalPosterior) e.posterior();
    assertThat(p.mean()).isEqualTo(0.7);
    assertThat(p.sd()).isCloseTo(0.2 / 20, within(1e-12));
  }

  @Test
  void aNormalGaugeWithoutASpreadTakesTheValueAsTheSpreadOfOneObservation() {
    Evidence e = evidence("revenue", Map.of("default/revenue", new Observation.Value(12),
        "default/request-count", new Observation.Value(100)), null);
    Evidence unknown = new EvidenceCollector(Map.of("v", Map.of("default/x", new Observation.Value(12))))
        .evidence("v", new MetricModel("default/x", MetricModel.Kind.NORMAL, null, null, Double.NaN, null, false, null),
            100.0);

    assertThat(((NormalPosterior) e.posterior()).sd()).isCloseTo(20.0 / 10, within(1e-12));
    assertThat(((NormalPosterior) unknown.posterior()).sd()).isCloseTo(12.0 / 10, within(1e-12));
    assertThat(unknown.reason()).contains("no stddev: spread taken as the value");
  }

  @Test
  void noDataAndErrorsStayApartAndAnErrorWinsOverNoData() {
    Evidence noData = evidence("error-count", Map.of("default/error-count", new Observation.Value(1),
        "default/request-count", new Observation.NoData("empty result")), null);
    Evidence error = evidence("error-count", Map.of("default/error-count", new Observation.NoData("empty"),
        "default/request-count", new Observation.Error("HTTP 500")), null);
    Evidence zero = evidence("error-count", Map.of("default/error-count", new Observation.Value(0),
        "default/request-count", new Observation.Value(0)), null);

    assertThat(noData.outcome()).isEqualTo(Evidence.Outcome.NO_DATA);
    assertThat(noData.reason()).isEqualTo("default/request-count: empty result");
    assertThat(error.outcome()).isEqualTo(Evidence.Outcome.ERROR);
    assertThat(error.reason()).isEqualTo("default/request-count: HTTP 500");
    assertThat(zero.outcome()).isEqualTo(Evidence.Outcome.NO_DATA);
  }

  @Test
  void histogramModelsReadTheHistogramMetricsBuckets() {
    Map<String, Observation> o = Fixtures.version().latency(30, 50, 15, 3, 1, 1, 0).build();

    Evidence p95 = evidence("latency-p95", o, null);
    Evidence mean = evidence("latency-mean", o, null);

    assertThat(p95.posterior()).isInstanceOf(HistogramQuantilePosterior.class);
    assertThat(p95.value()).isCloseTo(200, within(1e-9));
    assertThat(p95.sampleSize()).isEqualTo(100);
    assertThat(mean.posterior()).isInstanceOf(NormalPosterior.class);
    assertThat(mean.reason()).startsWith("100 observations in 7 buckets, Dirichlet mean ≈ Normal(");
  }

  /**
   * v1 served 1000 requests an iteration for four iterations, its error rate swinging 0.5%, 1.5%, 0.5%,
   * 1.5%; v2 served 500 and 500 with 2 and 3 errors.
   */
  private static Swings swingingErrors() {
    Map<String, Map<String, Observation>> now = Map.of(
        "v1", Map.of("default/error-count", value(40), "default/request-count", value(4000)),
        "v2", Map.of("default/error-count", value(5), "default/request-count", value(1000)));
    Map<String, Map<String, List<Observation>>> history = Map.of(
        "v1", Map.of("default/error-count", List.of(value(5), value(20), value(25)),
            "default/request-count", List.of(value(1000), value(2000), value(3000))),
        "v2", Map.of("default/error-count", List.of(new Observation.NoData("no series"), value(2)),
            "default/request-count", List.of(new Observation.NoData("no series"), value(500))));
    return new Swings(now, history, List.of("v1", "v2"));
  }

  @Test
  void swingsBetweenIterationsDivideARatesCountsByItsDesignEffect() {
    Swings swings = swingingErrors();
    Map<String, Map<String, Observation>> now = Map.of(
        "v2", Map.of("default/error-count", value(5), "default/request-count", value(1000)));
    // X² = 4 × 1000 × 0.005²/(0.01 × 0.99) for v1, plus 2 × 500 × 0.001²/(0.005 × 0.995) for v2;
    // df = 3 + 1; Σ(n − 1)(1 − n/N) = 4 × 999 × 3/4 + 2 × 499 × 1/2.
    double x2 = 4 * 1000 * 0.005 * 0.005 / (0.01 * 0.99) + 2 * 500 * 0.001 * 0.001 / (0.005 * 0.995);
    double rho = (x2 - 4) / (2997 + 499);
    double d = 1 + rho * (500 - 1);

    Evidence e = new EvidenceCollector(now, swings).evidence("v2", CATALOG.model("default/error-count"), null);

    assertThat(e.posterior()).isInstanceOf(BetaPosterior.class);
    BetaPosterior b = (BetaPosterior) e.posterior();
    assertThat(b.alpha()).isCloseTo(0.5 + 5 / d, within(1e-12));
    assertThat(b.beta()).isCloseTo(0.5 + 995 / d, within(1e-12));
    assertThat(e.value()).isEqualTo(0.005);
    assertThat(e.sampleSize()).isEqualTo(1000);
    assertThat(e.reason()).isEqualTo(
        "5 of 1000 (effective 526 after swings between iterations, ICC 0.001803 over 4 iterations), Beta(3.132, 524.3)");
  }

  @Test
  void withoutHistoryEveryRequestCountsInFull() {
    Evidence e = evidence("error-count", Map.of("default/error-count", value(5),
        "default/request-count", value(1000)), null);

    assertThat(e.posterior()).isEqualTo(BetaPosterior.of(5, 1000));
    assertThat(e.reason()).isEqualTo("5 of 1000, Beta(5.5, 995.5)");
  }

  @Test
  void swingsWidenAHistogramsMeanAndQuantilesByTheirOwnDesignEffects() {
    double[] bounds = Fixtures.LATENCY_BOUNDS;
    // Two iterations of 100 observations, one fast and one slow, then the current total.
    Observation fast = new Observation.Buckets(Fixtures.histogram(bounds, 60, 40, 0, 0, 0, 0, 0));
    Observation both = new Observation.Buckets(Fixtures.histogram(bounds, 60, 60, 40, 20, 20, 0, 0));
    Observation all = new Observation.Buckets(Fixtures.histogram(bounds, 90, 90, 60, 30, 30, 0, 0));
    Map<String, Map<String, Observation>> now = Map.of("v", Map.of("default/latency", all));
    Swings swings = new Swings(now, Map.of("v", Map.of("default/latency", List.of(fast, both))), List.of("v"));
    EvidenceCollector collector = new EvidenceCollector(now, swings);
    EvidenceCollector independent = new EvidenceCollector(now);

    NormalPosterior mean = (NormalPosterior) collector.evidence("v", CATALOG.model("default/latency-mean"), null)
        .posterior();
    NormalPosterior plain = (NormalPosterior) independent.evidence("v", CATALOG.model("default/latency-mean"), null)
        .posterior();
    HistogramQuantilePosterior p95 = (HistogramQuantilePosterior) collector
        .evidence("v", CATALOG.model("default/latency-p95"), null).posterior();
    HistogramQuantilePosterior plainP95 = (HistogramQuantilePosterior) independent
        .evidence("v", CATALOG.model("default/latency-p95"), null).posterior();

    double d = swings.mean("default/latency", new DirichletHistogram(((Observation.Buckets) all).histogram()))
        .designEffect("v");
    assertThat(d).isGreaterThan(1);
    assertThat(mean.mean()).isEqualTo(plain.mean());
    assertThat(mean.sd()).isCloseTo(plain.sd() * Math.sqrt(d), within(1e-12));
    // Less sure either way at the 300 ms bound, where the share below swings from 100% to 80%.
    assertThat(Math.abs(p95.cdf(300) - 0.5)).isLessThan(Math.abs(plainP95.cdf(300) - 0.5));
  }

  private static Observation value(double v) {
    return new Observation.Value(v);
  }

  @Test
  void aCounterWithoutAModelIsAnExactCount() {
    Evidence e = evidence("request-count", Map.of("default/request-count", new Observation.Value(250)), null);

    assertThat(e.posterior()).isEqualTo(new PointPosterior(250, "count"));
  }
}
