package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

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

  @Test
  void aCounterWithoutAModelIsAnExactCount() {
    Evidence e = evidence("request-count", Map.of("default/request-count", new Observation.Value(250)), null);

    assertThat(e.posterior()).isEqualTo(new PointPosterior(250, "count"));
  }
}
