package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.assertJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;

/** Fortio's buckets at 1 ms resolution, exported as the original stored them. */
class LatencyHistogramTest {

  @Test
  void aValueFallsInTheBucketWhoseUpperBoundIsTheFirstAboveItAndOnABoundInTheLowerBucket() {
    assertThat(LatencyHistogram.index(0)).isZero();
    assertThat(bounds(0.0004)).containsExactly(0, 1);
    assertThat(bounds(0.001)).containsExactly(0, 1);
    assertThat(bounds(0.0123)).containsExactly(12, 14);
    assertThat(bounds(0.012)).containsExactly(11, 12);
    assertThat(bounds(0.047)).containsExactly(45, 50);
    assertThat(bounds(0.95)).containsExactly(900, 1000);
    assertThat(bounds(6.0)).containsExactly(5000, 7500);
    assertThat(LatencyHistogram.index(100.5)).isEqualTo(LatencyHistogram.BOUNDS_MS.length);
  }

  private static int[] bounds(double seconds) {
    int i = LatencyHistogram.index(seconds);
    return new int[] {LatencyHistogram.BOUNDS_MS[i - 1], LatencyHistogram.BOUNDS_MS[i]};
  }

  @Test
  void exportKeepsNonEmptyBucketsWithTheFirstStartingAtTheMinimumAndTheLastEndingAtTheMaximum() {
    LatencyHistogram h = new LatencyHistogram();
    h.record(0.0123);
    h.record(0.0131);
    h.record(0.0032);
    h.record(0.250);
    h.record(120.0);

    JsonNode json = h.toJson();

    ObjectNode expected = (ObjectNode) ApiMapper.read("""
        Count: 5
        Max: 120.0
        Sum: 0
        Data:
        - {Start: 0.0032, End: 0.004, Count: 1}
        - {Start: 0.012, End: 0.014, Count: 2}
        - {Start: 0.2, End: 0.25, Count: 1}
        - {Start: 100.0, End: 120.0, Count: 1}
        """, JsonNode.class);
    // Summed in this order, as the recording did, so the floating-point sum is the same.
    expected.put("Sum", 0.0123 + 0.0131 + 0.0032 + 0.250 + 120.0);
    assertJson(json, expected);
  }

  @Test
  void anEmptyHistogramHasNoBuckets() {
    assertJson(new LatencyHistogram().toJson(), "{Count: 0, Max: 0.0, Sum: 0.0, Data: []}");
  }
}
