package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.iter8.core.metrics.Observation;

/** Swings between iterations: the intra-iteration correlation and each version's design effect. */
class OverdispersionTest {
  /** Four iterations of 1000 requests whose error rate swings 0.5%, 1.5%, 0.5%, 1.5% around 1%. */
  private static final double[] N = {1000, 1000, 1000, 1000};
  private static final double[] SWINGING = {5, 15, 5, 15};
  /** X² = Σ n(pₜ − p)²/(p(1 − p)) = 4 × 1000 × 0.005² / (0.01 × 0.99); df = 3; Σ(n − 1)(1 − n/N) = 2997. */
  private static final double X2 = 4 * 1000 * 0.005 * 0.005 / (0.01 * 0.99);

  private static Map<String, double[]> of(Object... versionAndValues) {
    Map<String, double[]> m = new LinkedHashMap<>();
    for (int i = 0; i < versionAndValues.length; i += 2) {
      m.put((String) versionAndValues[i], (double[]) versionAndValues[i + 1]);
    }
    return m;
  }

  @Test
  void theCorrelationIsThePearsonExcessOverItsDegreesOfFreedom() {
    Overdispersion o = Overdispersion.binary(of("v1", SWINGING), of("v1", N));

    assertThat(o.rho()).isCloseTo((X2 - 3) / 2997, within(1e-15));
    assertThat(o.basis()).isEqualTo("ICC 0.002369 over 4 iterations");
  }

  @Test
  void aVersionsDesignEffectGrowsWithTheSizeOfItsIterations() {
    double rho = (X2 - 3) / 2997;
    Overdispersion o = Overdispersion.binary(of("v1", SWINGING, "v2", new double[] {3}), of("v1", N, "v2",
        new double[] {500}));

    // n̄ = Σ n²/N: 1000 for v1; v2's 500 requests are one iteration, one cluster.
    assertThat(o.designEffect("v1")).isCloseTo(1 + rho * 999, within(1e-12));
    assertThat(o.designEffect("v2")).isCloseTo(1 + rho * 499, within(1e-12));
    assertThat(o.designEffect("unknown")).isEqualTo(1);
  }

  @Test
  void steadyIterationsShowNoSwing() {
    Overdispersion o = Overdispersion.binary(of("v1", new double[] {10, 10, 10, 10}), of("v1", N));

    assertThat(o).isSameAs(Overdispersion.NONE);
    assertThat(o.designEffect("v1")).isEqualTo(1);
  }

  @Test
  void aSwingSmallerThanChanceIsTakenAsNone() {
    // X² = 4 × 1000 × 0.001² / (0.01 × 0.99) = 0.40 < df 3.
    Overdispersion o = Overdispersion.binary(of("v1", new double[] {9, 11, 9, 11}), of("v1", N));

    assertThat(o).isSameAs(Overdispersion.NONE);
  }

  @Test
  void eachVersionIsJudgedAroundItsOwnMeanSoADifferenceBetweenVersionsIsNoSwing() {
    // v2 fails 5% steadily: it adds 3 degrees of freedom and 2997 to the scale, but nothing to X².
    Overdispersion o = Overdispersion.binary(of("v1", SWINGING, "v2", new double[] {50, 50, 50, 50}),
        of("v1", N, "v2", N));

    assertThat(o.rho()).isCloseTo((X2 - 6) / 5994, within(1e-15));
  }

  @Test
  void withoutTwoIterationsOfAnyVersionThereIsNothingToMeasure() {
    Overdispersion o = Overdispersion.binary(of("v1", new double[] {5}, "v2", new double[] {30}),
        of("v1", new double[] {1000}, "v2", new double[] {1000}));

    assertThat(o).isSameAs(Overdispersion.NONE);
  }

  @Test
  void aContinuousQuantityComparesTheSwingOfIterationMeansWithTheSpreadWithinThem() {
    // Three iterations of 100 with means 18, 20, 22 and variance 100 within each:
    // X² = 100 × (4 + 0 + 4) / 100 = 8, df = 2, Σ(n − 1)(1 − n/N) = 3 × 99 × 2/3 = 198.
    double[] n = {100, 100, 100};
    double[] sums = {1800, 2000, 2200};
    double[] squares = new double[3];
    for (int t = 0; t < 3; t++) {
      squares[t] = sums[t] * sums[t] / n[t] + 99 * 100;
    }

    Overdispersion o = Overdispersion.continuous(of("v1", n), of("v1", sums), of("v1", squares));

    assertThat(o.rho()).isCloseTo(6.0 / 198, within(1e-15));
  }

  @Test
  void rateIncrementsSkipSnapshotsWithoutValuesAndCounterResets() {
    List<Observation> errors = List.of(new Observation.NoData("no series"), value(2), value(5), value(3), value(6));
    List<Observation> requests = List.of(new Observation.NoData("no series"), value(100), value(300), value(50),
        value(200));

    double[][] inc = Swings.rateIncrements(errors, requests, true);

    // 300 → 50 is a reset: that increment is dropped and the next starts from 50.
    assertThat(inc[0]).containsExactly(100, 200, 150);
    assertThat(inc[1]).containsExactly(2, 3, 3);
  }

  @Test
  void aRateGivenAsAFractionIncrementsItsEvents() {
    double[][] inc = Swings.rateIncrements(List.of(value(0.02), value(0.015)), List.of(value(100), value(400)),
        false);

    assertThat(inc[0]).containsExactly(100, 300);
    assertThat(inc[1]).containsExactly(2, 4);
  }

  @Test
  void histogramIncrementsAreTheNewObservationsOfEachBucket() {
    double[] bounds = {100, Double.POSITIVE_INFINITY};
    List<Observation> snapshots = List.of(new Observation.NoData("no series"),
        new Observation.Buckets(Fixtures.histogram(bounds, 10, 20)),
        new Observation.Buckets(Fixtures.histogram(bounds, 15, 35)));

    double[][] inc = Swings.histogramIncrements(snapshots);

    assertThat(inc).hasDimensions(2, 2);
    assertThat(inc[0]).containsExactly(10, 20);
    assertThat(inc[1]).containsExactly(5, 15);
  }

  private static Observation value(double v) {
    return new Observation.Value(v);
  }
}
