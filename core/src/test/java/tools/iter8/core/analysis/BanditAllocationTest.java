package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BanditAllocationTest {

  @Test
  void twoVersionsSplitByThompsonSamplingAboveTheFloor() {
    double[] split = BanditAllocation.allocate(new double[] {0.2, 0.8}, new boolean[] {true, true}, 5);

    assertThat(split[0]).isCloseTo(5 + 90 * 0.2, within(1e-12));
    assertThat(split[1]).isCloseTo(5 + 90 * 0.8, within(1e-12));
  }

  @Test
  void anInfeasibleVersionLosesItsFloor() {
    double[] split = BanditAllocation.allocate(new double[] {1, 0}, new boolean[] {true, false}, 5);

    assertThat(split).containsExactly(100, 0);
  }

  @Test
  void threeOrMoreVersionsUseTopTwoThompsonSampling() {
    double[] pi = {0.5, 0.3, 0.2};
    double[] psi = BanditAllocation.topTwo(pi);

    // ψᵢ = ½πᵢ + ½πᵢ Σ_{j≠i} πⱼ/(1 − πⱼ)
    double r0 = 0.5 / 0.5;
    double r1 = 0.3 / 0.7;
    double r2 = 0.2 / 0.8;
    assertThat(psi[0]).isCloseTo(0.5 * 0.5 + 0.5 * 0.5 * (r1 + r2), within(1e-12));
    assertThat(psi[1]).isCloseTo(0.5 * 0.3 + 0.5 * 0.3 * (r0 + r2), within(1e-12));
    assertThat(psi[2]).isCloseTo(0.5 * 0.2 + 0.5 * 0.2 * (r0 + r1), within(1e-12));
    assertThat(Arrays.stream(psi).sum()).isCloseTo(1, within(1e-12));
    assertThat(psi[1]).as("top-two gives the challenger more than Thompson does").isGreaterThan(0.3);
  }

  @Test
  void aVersionShortOfTheMinimumSampleIsExploredAtAnEvenShare() {
    double[] p = BanditAllocation.evenUntilSampled(new double[] {0.99, 0.01}, new boolean[] {true, false});

    assertThat(p).containsExactly(0.5, 0.5);
  }

  @Test
  void versionsWithTheirSampleShareTheRestByPreference() {
    double[] p = BanditAllocation.evenUntilSampled(new double[] {0.6, 0.2, 0.2}, new boolean[] {true, true, false});

    assertThat(p[2]).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(p[0]).isCloseTo(2.0 / 3 * 0.75, within(1e-12));
    assertThat(p[1]).isCloseTo(2.0 / 3 * 0.25, within(1e-12));
  }

  @Test
  void aVersionCertainToBeBestKeepsHalfAndTheChallengersShareTheRest() {
    assertThat(BanditAllocation.topTwo(new double[] {0, 0, 1})).containsExactly(0.25, 0.25, 0.5);
  }
}
