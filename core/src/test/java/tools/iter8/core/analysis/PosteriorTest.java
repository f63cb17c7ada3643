package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.NormalDistribution;
import org.junit.jupiter.api.Test;

class PosteriorTest {

  @Test
  void rateProbabilityIsTheBetaCdfOfJeffreysPriorUpdatedWithTheCounts() {
    BetaPosterior p = BetaPosterior.of(12, 2400);

    assertThat(p.alpha()).isEqualTo(12.5);
    assertThat(p.beta()).isEqualTo(2388.5);
    assertThat(p.probabilityWithin(Double.NEGATIVE_INFINITY, 0.01))
        .isCloseTo(new BetaDistribution(12.5, 2388.5).cumulativeProbability(0.01), within(1e-12));
  }

  @Test
  void rateProbabilityBetweenTwoLimitsIsTheMassBetweenThem() {
    BetaPosterior p = BetaPosterior.of(30, 1000);
    BetaDistribution exact = new BetaDistribution(30.5, 970.5);

    assertThat(p.probabilityWithin(0.02, 0.04))
        .isCloseTo(exact.cumulativeProbability(0.04) - exact.cumulativeProbability(0.02), within(1e-12));
    assertThat(p.probabilityWithin(-1, 2)).isEqualTo(1);
  }

  @Test
  void normalProbabilityIsTheNormalCdf() {
    NormalPosterior p = new NormalPosterior(100, 5, "");

    assertThat(p.probabilityWithin(Double.NEGATIVE_INFINITY, 110))
        .isCloseTo(new NormalDistribution(100, 5).cumulativeProbability(110), within(1e-12));
    assertThat(p.probabilityWithin(90, Double.POSITIVE_INFINITY))
        .isCloseTo(1 - new NormalDistribution(100, 5).cumulativeProbability(90), within(1e-12));
  }

  @Test
  void normalFarTailsKeepTheirPrecision() {
    NormalPosterior p = new NormalPosterior(100, 5, "");

    double expected = new NormalDistribution(100, 5).cumulativeProbability(50);
    assertThat(p.probabilityWithin(Double.NEGATIVE_INFINITY, 50)).isCloseTo(expected, within(expected * 1e-6));
  }

  @Test
  void aPointIsCertainlyInsideOrOutsideTheLimits() {
    PointPosterior p = new PointPosterior(42, "count");

    assertThat(p.probabilityWithin(40, 42)).isEqualTo(1);
    assertThat(p.probabilityWithin(Double.NEGATIVE_INFINITY, 41.9)).isZero();
  }
}
