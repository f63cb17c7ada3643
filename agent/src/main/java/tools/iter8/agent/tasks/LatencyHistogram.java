package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import tools.iter8.core.api.ApiMapper;

/**
 * Request durations bucketed as fortio does with its default resolution of 1 ms, so histograms from the
 * agent and from the original's fortio runs mean the same and merge.
 *
 * <p>Bucket bounds in milliseconds (fortio's {@code histogramBucketValues}): every millisecond up to 11,
 * then 12, 14, 16, 18, 20; every 5 to 50; every 10 to 100; every 20 to 200; every 50 to 500; every 100 to
 * 1000; then 2000, 3000, 4000, 5000, 7500, 10000, 20000, 30000, 40000, 50000, 75000, 100000, and one
 * overflow bucket above 100 s. A bucket holds the values in {@code ]lower, upper]}. Only non-empty buckets
 * are exported, as {@code {Start, End, Count}} in seconds; like fortio, the first exported bucket starts at
 * the smallest value seen and the last ends at the largest, so {@code Start}/{@code End} never claim more
 * than was observed.
 *
 * <p>Not thread-safe: one load run records from one Vert.x context.
 */
final class LatencyHistogram {
  static final int[] BOUNDS_MS = {
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
    12, 14, 16, 18, 20,
    25, 30, 35, 40, 45, 50,
    60, 70, 80, 90, 100,
    120, 140, 160, 180, 200,
    250, 300, 350, 400, 450, 500,
    600, 700, 800, 900, 1000,
    2000, 3000, 4000, 5000, 7500, 10000,
    20000, 30000, 40000, 50000, 75000, 100000
  };

  /** Fortio subtracts this before bucketing so that a value on a bound falls in the lower bucket. */
  private static final double EPSILON = 1e-10;

  private final long[] counts = new long[BOUNDS_MS.length + 1];
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max;

  void record(double seconds) {
    double v = Math.max(0, seconds);
    counts[index(v)]++;
    count++;
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }

  long count() {
    return count;
  }

  /** Bucket {@code i < BOUNDS_MS.length} holds {@code ]BOUNDS_MS[i-1], BOUNDS_MS[i]]}; the last, overflow. */
  static int index(double seconds) {
    double millis = seconds * 1000 - EPSILON;
    if (millis <= BOUNDS_MS[0]) {
      return 0;
    }
    if (millis > BOUNDS_MS[BOUNDS_MS.length - 1]) {
      return BOUNDS_MS.length;
    }
    // The first bound above the whole milliseconds: fortio's lookup table, as a binary search.
    int whole = (int) millis;
    int i = Arrays.binarySearch(BOUNDS_MS, whole);
    return i >= 0 ? i + 1 : -i - 1;
  }

  /** {@code {Count, Max, Sum, Data: [{Start, End, Count}]}}, the shape the original kept. */
  ObjectNode toJson() {
    ObjectNode hist = ApiMapper.json().createObjectNode();
    hist.put("Count", count);
    hist.put("Max", max);
    hist.put("Sum", sum);
    ArrayNode data = hist.putArray("Data");
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] == 0) {
        continue;
      }
      double start = data.isEmpty() ? min : (i == 0 ? 0 : BOUNDS_MS[i - 1] / 1000.0);
      double end = i < BOUNDS_MS.length ? BOUNDS_MS[i] / 1000.0 : max;
      data.addObject().put("Start", start).put("End", end).put("Count", counts[i]);
    }
    if (!data.isEmpty()) {
      ((ObjectNode) data.get(data.size() - 1)).put("End", max);
    }
    return hist;
  }
}
