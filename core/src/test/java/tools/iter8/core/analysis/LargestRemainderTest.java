package tools.iter8.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LargestRemainderTest {

  @Test
  void thirdsGiveTheSparePointToTheEarlierVersion() {
    assertThat(LargestRemainder.round(new double[] {100.0 / 3, 100.0 / 3, 100.0 / 3})).containsExactly(34, 33, 33);
  }

  @Test
  void theLargestFractionsGetTheMissingPoints() {
    assertThat(LargestRemainder.round(new double[] {10.2, 20.7, 69.1})).containsExactly(10, 21, 69);
    assertThat(LargestRemainder.round(new double[] {12.5, 12.5, 75})).containsExactly(13, 12, 75);
  }

  @Test
  void integersStayAsTheyAreEvenWithFloatNoise() {
    assertThat(LargestRemainder.round(new double[] {30.000000000001, 29.999999999999, 40})).containsExactly(30, 30, 40);
  }

  @Test
  void anySplitRoundsToIntegersSummingTo100WithinOnePointOfTheExactShare() {
    SplittableRandom r = new SplittableRandom(5);
    for (int trial = 0; trial < 2000; trial++) {
      int n = 2 + r.nextInt(9);
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = r.nextDouble() < 0.2 ? 0 : r.nextDouble() * 50;
      }
      if (Arrays.stream(w).sum() == 0) {
        w[0] = 1;
      }
      double total = Arrays.stream(w).sum();
      int[] rounded = LargestRemainder.round(w);

      assertThat(Arrays.stream(rounded).sum()).isEqualTo(100);
      for (int i = 0; i < n; i++) {
        assertThat(Math.abs(rounded[i] - w[i] * 100 / total)).isLessThan(1);
      }
    }
  }
}
