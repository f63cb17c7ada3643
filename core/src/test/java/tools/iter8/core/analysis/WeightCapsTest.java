package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The original's weight constraints (reference §3.4) on its own worked numbers. The mixes M are the
 * original's ε-greedy splits (ε = 10%): [5, 95] when the candidate is best, [95, 5] when none is. Where the
 * original rounded fractions at random (w-07), our largest-remainder rounding gives the one answer.
 */
class WeightCapsTest {

  static Stream<Arguments> workedNumbers() {
    return Stream.of(
        // w-01..w-04: the analytics tests without spec.strategy.weights, i.e. unconstrained (100/100).
        Arguments.of("w-01 candidate best, no old weights", new double[] {5, 95}, new double[] {100, 0}, 100, 100,
            new int[] {5, 95}),
        Arguments.of("w-02 no winner", new double[] {95, 5}, new double[] {100, 0}, 100, 100, new int[] {95, 5}),
        Arguments.of("w-03 old [70, 30], candidate best", new double[] {5, 95}, new double[] {70, 30}, 100, 100,
            new int[] {5, 95}),
        Arguments.of("w-04 old [50, 50], no winner: decreases are never limited", new double[] {95, 5},
            new double[] {50, 50}, 100, 100, new int[] {95, 5}),
        Arguments.of("w-05 old [50, 50], max 53, increment 2", new double[] {5, 95}, new double[] {50, 50}, 53, 2,
            new int[] {48, 52}),
        Arguments.of("w-06 three versions, increment 10, max 40", new double[] {20, 30, 50},
            new double[] {20, 40, 40}, 40, 10, new int[] {30, 30, 40}),
        Arguments.of("w-07 three versions, one best, defaults", new double[] {10.0 / 3, 10.0 / 3, 100 - 20.0 / 3},
            new double[] {100, 0, 0}, 100, 10, new int[] {87, 3, 10}),
        Arguments.of("w-07 three versions, two best, defaults",
            new double[] {10.0 / 3, 100.0 / 3 * 1.45, 100.0 / 3 * 1.45}, new double[] {100, 0, 0}, 100, 10,
            new int[] {80, 10, 10}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workedNumbers")
  void theOriginalsWorkedNumbersHold(String name, double[] mix, double[] old, int max, int increment, int[] expected) {
    assertThat(LargestRemainder.round(WeightCaps.apply(mix, old, max, increment))).containsExactly(expected);
  }

  @Test
  void w08ACandidateThatKeepsWinningClimbsTenPointsAnIterationToNinetyFive() {
    double[] old = {100, 0};
    List<Integer> trajectory = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      int[] w = LargestRemainder.round(WeightCaps.apply(new double[] {5, 95}, old, 100, 10));
      trajectory.add(w[1]);
      old = new double[] {w[0], w[1]};
    }
    assertThat(trajectory).containsExactly(10, 20, 30, 40, 50, 60, 70, 80, 90, 95, 95);
  }

  @Test
  void theBaselineIsNeverCapped() {
    double[] capped = WeightCaps.apply(new double[] {100, 0}, new double[] {0, 100}, 10, 10);

    assertThat(capped).containsExactly(100, 0);
  }
}
