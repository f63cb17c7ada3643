package tools.iter8.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/** The original's fortio-fed built-ins (reference §2.4(a)), computed from aggregatedBuiltinHists. */
class BuiltinMetricsSourceTest {
  /** As the metrics/collect task writes it: seconds, non-empty buckets only, return codes as strings. */
  private static final JsonNode HISTS = ApiMapper.read("""
      v1:
        DurationHistogram:
          Count: 100
          Max: 0.05
          Sum: 2.5
          Data:
          - {Start: 0.01, End: 0.05, Percent: 100, Count: 10}
          - {Start: 0.001, End: 0.002, Percent: 10, Count: 10}
          - {Start: 0.002, End: 0.003, Percent: 50, Count: 40}
          - {Start: 0.005, End: 0.01, Percent: 90, Count: 40}
        RetCodes: {"200": 95, "404": 2, "503": 3, "-1": 1}
      idle:
        DurationHistogram: {Count: 0, Sum: 0, Data: []}
        RetCodes: {}
      """, JsonNode.class);

  private static Observation observe(String metric, String version, JsonNode hists) {
    Metric m = ApiMapper.read("""
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: %s, namespace: iter8-system}
        spec: {provider: iter8}
        """.formatted(metric), Metric.class);
    return BuiltinMetricsSource.observe(
        new MetricQuery(null, "iter8-system/" + metric, m, new VersionDetail(version), "shop", 60, hists));
  }

  private static double value(String metric) {
    Observation o = observe(metric, "v1", HISTS);
    assertThat(o).as(metric).isInstanceOf(Observation.Value.class);
    return ((Observation.Value) o).value();
  }

  @Test
  void countsRatesAndMeanAsTheOriginal() {
    assertThat(value("request-count")).isEqualTo(100);
    assertThat(value("error-count")).isEqualTo(5);
    assertThat(value("error-rate")).isEqualTo(0.05);
    assertThat(value("mean-latency")).isCloseTo(25, within(1e-12));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"latency-50th-percentile, 3.0", "latency-75th-percentile, 8.125", "latency-95th-percentile, 30.0",
      "latency-99th-percentile, 46.0", "latency-99.9th-percentile, 49.6", "latency-0th-percentile, 1.0"})
  void percentilesInterpolateWithinTheBucketInMilliseconds(String metric, double expected) {
    assertThat(value(metric)).isCloseTo(expected, within(1e-9));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"40", "75", "90", "95", "99"})
  void percentilesAgreeWithTheOriginalsSampling(double p) {
    // (Not the 50th: it falls on the empty gap between two fortio buckets, where np.percentile interpolates
    // across the gap between two draws and the distribution's percentile is the gap's lower end.)
    // The original: per bucket 10 × Count uniform draws in [1000·Start, 1000·End], then np.percentile (linear).
    List<Double> draws = new ArrayList<>();
    Random random = new Random(17);
    for (JsonNode b : HISTS.path("v1").path("DurationHistogram").path("Data")) {
      for (int i = 0; i < 10 * b.path("Count").asInt(); i++) {
        double start = 1000 * b.path("Start").asDouble();
        double end = 1000 * b.path("End").asDouble();
        draws.add(start + (end - start) * random.nextDouble());
      }
    }
    double[] sorted = draws.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double index = p / 100 * (sorted.length - 1);
    int lo = (int) Math.floor(index);
    double sampled = sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (index - lo);

    double ours = value("latency-" + (int) p + "th-percentile");
    // Within the sampling error: about three standard deviations of a uniform order statistic drawn from
    // 10 × 10 draws in the bucket holding the percentile, width × 3 × sqrt(1/4 / 100) = 0.15 × width.
    assertThat(ours).isCloseTo(sampled, within(0.15 * bucketWidthAt(ours)));
  }

  private static double bucketWidthAt(double ms) {
    double[][] buckets = {{1, 2}, {2, 3}, {5, 10}, {10, 50}};
    return Arrays.stream(buckets).filter(b -> ms >= b[0] && ms <= b[1]).mapToDouble(b -> b[1] - b[0]).max().orElseThrow();
  }

  @Test
  void theHistogramIsCumulativeInMillisecondsWithItsGapsKept() {
    Observation o = observe("latency-histogram", "v1", HISTS);
    assertThat(o).isEqualTo(new Observation.Buckets(new Histogram(List.of(
        new Histogram.Bucket(1, 0), new Histogram.Bucket(2, 10), new Histogram.Bucket(3, 50),
        new Histogram.Bucket(5, 50), new Histogram.Bucket(10, 90), new Histogram.Bucket(50, 100),
        new Histogram.Bucket(Double.POSITIVE_INFINITY, 100)))));
  }

  @Test
  void withoutHistogramsOrRequestsThereIsNoData() {
    assertThat(observe("request-count", "v1", null))
        .isEqualTo(new Observation.NoData("no built-in histograms yet: the metrics/collect task has not run"));
    assertThat(observe("error-rate", "v9", HISTS))
        .isEqualTo(new Observation.NoData("no built-in histograms for version v9: metrics/collect sent it no load"));
    assertThat(observe("request-count", "idle", HISTS)).isEqualTo(new Observation.Value(0));
    for (String m : List.of("error-rate", "mean-latency", "latency-histogram", "latency-95th-percentile")) {
      assertThat(observe(m, "idle", HISTS)).as(m).isEqualTo(new Observation.NoData("no requests yet"));
    }
  }

  @Test
  void anUnknownBuiltinIsAnError() {
    Observation o = observe("throughput", "v1", HISTS);
    assertThat(o).isInstanceOf(Observation.Error.class);
    assertThat(((Observation.Error) o).reason())
        .startsWith("metric iter8-system/throughput (version v1): provider iter8 computes request-count");
  }
}
