package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final int DRAWS = 200_000;

  @ParameterizedTest(name = "shape {0}")
  @ValueSource(doubles = {0.3, 1, 7.5, 250})
  void gammaDrawsHaveTheGammaMeanAndVariance(double shape) {
    Sampler s = new Sampler(7);
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < DRAWS; i++) {
      double x = s.gamma(shape);
      sum += x;
      sumSq += x * x;
    }
    double mean = sum / DRAWS;
    double variance = sumSq / DRAWS - mean * mean;
    // Five standard errors of the mean, and a relative band for the variance.
    assertThat(mean).isCloseTo(shape, within(5 * Math.sqrt(shape / DRAWS)));
    assertThat(variance).isCloseTo(shape, within(shape * 0.05));
  }

  @Test
  void betaDrawsHaveTheBetaMean() {
    Sampler s = new Sampler(11);
    double sum = 0;
    for (int i = 0; i < DRAWS; i++) {
      sum += s.beta(13, 2389);
    }
    double mean = 13.0 / 2402;
    double sd = Math.sqrt(mean * (1 - mean) / 2403);
    assertThat(sum / DRAWS).isCloseTo(mean, within(5 * sd / Math.sqrt(DRAWS)));
  }

  @Test
  void theSameSeedDrawsTheSameNumbers() {
    Sampler a = new Sampler(99);
    Sampler b = new Sampler(99);
    for (int i = 0; i < 1000; i++) {
      assertThat(a.beta(2.5, 40)).isEqualTo(b.beta(2.5, 40));
    }
  }
}
