package tools.iter8.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The traffic of one simulated run, minute by minute, shared by every policy (common random numbers):
 * the same requests arrive for all, request i goes to the candidate when its routing number is below the
 * policy's candidate weight, and the k-th request a version serves in a minute has the same outcome
 * (error or not, latency) whichever policy routed it there. Policies therefore differ only by what they
 * decide, not by luck of the draw.
 *
 * <p>Each minute's outcome streams have their own random generator split from the run's, so how many
 * outcomes are drawn (it depends on the weights) never shifts any later number.
 */
final class SimulatedTraffic {
  private final Scenario scenario;
  private final SplittableRandom random;

  SimulatedTraffic(Scenario scenario, long seed) {
    this.scenario = scenario;
    this.random = new SplittableRandom(seed);
  }

  /** The next minute. */
  Minute next() {
    Scenario.Traffic t = scenario.traffic();
    int requests = 0;
    boolean quiet = t.quietShare() > 0 && random.nextDouble() < t.quietShare();
    double sigma = t.burstSigma();
    double burst = sigma > 0 ? Math.exp(sigma * random.nextGaussian() - sigma * sigma / 2) : 1;
    if (!quiet) {
      requests = poisson(random, t.requestsPerSecond() * 60 * burst);
    }
    Scenario.Noise n = scenario.noise();
    double errorFactor = n.errorRateCv() > 0 ? gammaMeanOne(random, n.errorRateCv()) : 1;
    double latencyFactor = n.latencySigma() > 0 ? Math.exp(n.latencySigma() * random.nextGaussian()) : 1;
    double[] route = new double[requests];
    for (int i = 0; i < requests; i++) {
      route[i] = random.nextDouble();
    }
    return new Minute(requests, route,
        new Outcomes(scenario.baseline(), errorFactor, latencyFactor, random.split()),
        new Outcomes(scenario.candidate(), errorFactor, latencyFactor, random.split()));
  }

  /** One minute of traffic. */
  record Minute(int requests, double[] route, Outcomes baseline, Outcomes candidate) {

    /** The requests a candidate weight (percent) sends to the candidate. */
    int toCandidate(int weight) {
      double share = weight / 100.0;
      int c = 0;
      for (double u : route) {
        if (u < share) {
          c++;
        }
      }
      return c;
    }
  }

  /** One version's request outcomes in one minute, drawn as far as needed. */
  static final class Outcomes {
    private final double errorRate;
    private final double median;
    private final double sigma;
    private final SplittableRandom random;
    private boolean[] error = new boolean[0];
    private double[] latency = new double[0];
    private int[] bucket = new int[0];
    private int drawn;

    Outcomes(Scenario.Behaviour b, double errorFactor, double latencyFactor, SplittableRandom random) {
      this.errorRate = Math.min(1, b.errorRate() * errorFactor);
      this.median = b.latencyMedianMs() * latencyFactor;
      this.sigma = b.latencySigma();
      this.random = random;
    }

    /** The first {@code n} requests' outcomes, summed. */
    Window first(int n) {
      draw(n);
      Window w = new Window();
      w.requests = n;
      for (int k = 0; k < n; k++) {
        if (error[k]) {
          w.errors++;
        }
        w.latencySum += latency[k];
        w.buckets[bucket[k]]++;
      }
      return w;
    }

    private void draw(int n) {
      if (n <= drawn) {
        return;
      }
      if (n > error.length) {
        int size = Math.max(n, error.length * 2);
        error = Arrays.copyOf(error, size);
        latency = Arrays.copyOf(latency, size);
        bucket = Arrays.copyOf(bucket, size);
      }
      double[] bounds = BenchExperiment.LATENCY_BOUNDS;
      for (int k = drawn; k < n; k++) {
        error[k] = random.nextDouble() < errorRate;
        double l = median * Math.exp(sigma * random.nextGaussian());
        latency[k] = l;
        int b = 0;
        while (l > bounds[b]) {
          b++;
        }
        bucket[k] = b;
      }
      drawn = n;
    }
  }

  /** Poisson by inversion for small means; Normal approximation (rounded, ≥ 0) above 50, ample here. */
  static int poisson(SplittableRandom r, double mean) {
    if (mean <= 0) {
      return 0;
    }
    if (mean > 50) {
      return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * r.nextGaussian()));
    }
    double limit = Math.exp(-mean);
    double p = r.nextDouble();
    int k = 0;
    while (p > limit) {
      p *= r.nextDouble();
      k++;
    }
    return k;
  }

  /** Gamma with mean 1 and coefficient of variation cv (shape 1/cv²), by Marsaglia–Tsang. */
  private static double gammaMeanOne(SplittableRandom r, double cv) {
    double shape = 1 / (cv * cv);
    double boost = 1;
    if (shape < 1) {
      boost = Math.pow(r.nextDouble(), 1 / shape);
      shape += 1;
    }
    double d = shape - 1.0 / 3;
    double c = 1 / Math.sqrt(9 * d);
    while (true) {
      double x = r.nextGaussian();
      double v = 1 + c * x;
      if (v <= 0) {
        continue;
      }
      v = v * v * v;
      double u = r.nextDouble();
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
        return boost * d * v / (1 / (cv * cv));
      }
    }
  }
}
