package tools.iter8.core.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A cumulative histogram as Prometheus exposes it: buckets with an inclusive upper bound ({@code le})
 * and the number of observations at or below it; the last bound is {@code +Inf}. Counts are doubles
 * because {@code increase()} extrapolates. Buckets are sorted by bound and made monotone on creation
 * (counter resets and extrapolation can leave a bucket a hair below its predecessor).
 */
public record Histogram(List<Bucket> buckets) {

  /** One cumulative bucket. */
  public record Bucket(double upperBound, double cumulativeCount) {}

  public Histogram {
    List<Bucket> sorted = new ArrayList<>(buckets);
    sorted.sort(Comparator.comparingDouble(Bucket::upperBound));
    double running = 0;
    for (int i = 0; i < sorted.size(); i++) {
      Bucket b = sorted.get(i);
      if (Double.isNaN(b.upperBound()) || Double.isNaN(b.cumulativeCount()) || b.cumulativeCount() < 0) {
        throw new IllegalArgumentException("histogram bucket " + b + " is not a bound with a count");
      }
      running = Math.max(running, b.cumulativeCount());
      sorted.set(i, new Bucket(b.upperBound(), running));
    }
    buckets = List.copyOf(sorted);
  }

  /** All observations (the {@code +Inf} bucket, or the last one). */
  public double total() {
    return buckets.isEmpty() ? 0 : buckets.get(buckets.size() - 1).cumulativeCount();
  }

  /** Observations in each bucket alone (not cumulative), in bound order. */
  public double[] counts() {
    double[] c = new double[buckets.size()];
    double previous = 0;
    for (int i = 0; i < c.length; i++) {
      c[i] = buckets.get(i).cumulativeCount() - previous;
      previous = buckets.get(i).cumulativeCount();
    }
    return c;
  }
}
