package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.junit.jupiter.api.Test;

class DirichletHistogramTest {
  private static final double[] BOUNDS = {50, 100, 200, 300, 500, 1000, Double.POSITIVE_INFINITY};
  /** 100 observations; 95 at or below 200 ms, 98 at or below 300 ms. */
  private static final double[] COUNTS = {30, 50, 15, 3, 1, 1, 0};
  private static final double PRIOR = 1.0 / 7;

  private static DirichletHistogram histogram(double... counts) {
    return new DirichletHistogram(Fixtures.histogram(BOUNDS, counts));
  }

  /** P(share at or below the bound ≥ q), the share being Beta(A, α − A). */
  private static double exactAtBound(double observedBelow, int bucketsBelow, double q) {
    double a = observedBelow + bucketsBelow * PRIOR;
    double total = 100 + 1;
    return 1 - new BetaDistribution(a, total - a).cumulativeProbability(q);
  }

  @Test
  void quantileProbabilityAtABucketBoundIsTheBetaTailOfTheShareBelowIt() {
    HistogramQuantilePosterior p95 = histogram(COUNTS).quantilePosterior(0.95);

    assertThat(p95.cdf(200)).isCloseTo(exactAtBound(95, 3, 0.95), within(1e-12));
    assertThat(p95.cdf(300)).isCloseTo(exactAtBound(98, 4, 0.95), within(1e-12));
    assertThat(p95.probabilityWithin(Double.NEGATIVE_INFINITY, 300))
        .isCloseTo(exactAtBound(98, 4, 0.95), within(1e-12));
  }

  @Test
  void quantileProbabilityBetweenBoundsIsInterpolatedLinearly() {
    HistogramQuantilePosterior p95 = histogram(COUNTS).quantilePosterior(0.95);

    assertThat(p95.cdf(250)).isCloseTo((p95.cdf(200) + p95.cdf(300)) / 2, within(1e-15));
    assertThat(p95.cdf(25)).isCloseTo(p95.cdf(50) / 2, within(1e-15));
  }

  @Test
  void aQuantileInTheOverflowBucketNeverMeetsALimitBeyondTheLastBound() {
    HistogramQuantilePosterior p95 = histogram(60, 20, 5, 0, 0, 0, 15).quantilePosterior(0.95);

    assertThat(p95.cdf(5000)).isEqualTo(p95.cdf(1000));
    assertThat(p95.cdf(1000)).isLessThan(0.001);
  }

  @Test
  void meanPosteriorHasTheDirichletMeanAndVariance() {
    double[] mid = {25, 75, 150, 250, 400, 750, 1000};
    double m1 = 0;
    double m2 = 0;
    for (int i = 0; i < 7; i++) {
      double a = COUNTS[i] + PRIOR;
      m1 += a * mid[i];
      m2 += a * mid[i] * mid[i];
    }
    double mean = m1 / 101;
    double variance = (m2 / 101 - mean * mean) / 102;

    NormalPosterior p = histogram(COUNTS).meanPosterior();

    assertThat(p.mean()).isCloseTo(mean, within(1e-9));
    assertThat(p.sd()).isCloseTo(Math.sqrt(variance), within(1e-9));
  }

  @Test
  void aDesignEffectMultipliesTheMeansVariance() {
    NormalPosterior plain = histogram(COUNTS).meanPosterior();
    NormalPosterior widened = histogram(COUNTS).meanPosterior(2.5);

    assertThat(widened.mean()).isEqualTo(plain.mean());
    assertThat(widened.sd()).isCloseTo(plain.sd() * Math.sqrt(2.5), within(1e-12));
  }

  @Test
  void designEffectsDivideTheDirichletWeightsOnBothSidesOfEachBound() {
    double[] effects = {1, 1, 2, 3, 1, 1, 1};
    HistogramQuantilePosterior p95 = histogram(COUNTS).quantilePosterior(0.95, effects);

    // At 200 ms: Beta(A/2, (α − A)/2), A = 95 + 3/7, α = 101.
    double a = 95 + 3 * PRIOR;
    assertThat(p95.cdf(200)).isCloseTo(
        1 - new BetaDistribution(a / 2, (101 - a) / 2).cumulativeProbability(0.95), within(1e-12));
    double a300 = 98 + 4 * PRIOR;
    assertThat(p95.cdf(300)).isCloseTo(
        1 - new BetaDistribution(a300 / 3, (101 - a300) / 3).cumulativeProbability(0.95), within(1e-12));
  }

  @Test
  void designEffectsThatDifferByBoundKeepTheDistributionFunctionMonotone() {
    // A large effect at 100 ms alone spreads Beta(80.3/200, 20.7/200) so far that P(p95 ≤ 100) = 0.615,
    // above P(p95 ≤ 200) = 0.459: the larger bound keeps the larger probability.
    HistogramQuantilePosterior p95 = histogram(COUNTS).quantilePosterior(0.95, new double[] {1, 200, 1, 1, 1, 1, 1});

    assertThat(p95.cdf(100)).isCloseTo(0.6148, within(1e-4));
    assertThat(p95.cdf(200)).isEqualTo(p95.cdf(100));
    assertThat(p95.cdf(300)).isGreaterThanOrEqualTo(p95.cdf(200));
  }

  @Test
  void pointQuantileIsWhatPrometheusHistogramQuantileReturns() {
    DirichletHistogram h = histogram(COUNTS);

    // rank 90 falls in (100, 200], 10 of its 15 observations in: 100 + 100 × 10/15.
    assertThat(h.pointQuantile(0.9)).isCloseTo(100 + 100.0 * 10 / 15, within(1e-9));
    assertThat(h.pointQuantile(0.5)).isCloseTo(50 + 50.0 * 20 / 50, within(1e-9));
    assertThat(h.pointMean()).isCloseTo((30 * 25 + 50 * 75 + 15 * 150 + 3 * 250 + 400 + 750) / 100.0, within(1e-9));
  }

  @Test
  void quantileDrawsFollowTheQuantilePosterior() {
    HistogramQuantilePosterior p95 = histogram(COUNTS).quantilePosterior(0.95);
    Sampler s = new Sampler(3);
    int draws = 40_000;
    int below = 0;
    for (int i = 0; i < draws; i++) {
      below += p95.sample(s) <= 200 ? 1 : 0;
    }
    double p = p95.cdf(200);
    assertThat((double) below / draws).isCloseTo(p, within(5 * Math.sqrt(p * (1 - p) / draws)));
  }
}
