package tools.iter8.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.iter8.core.analysis.AnalysisInput;
import tools.iter8.core.analysis.AnalysisResult;
import tools.iter8.core.analysis.ExperimentAnalyzer;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.metrics.Histogram;
import tools.iter8.core.metrics.Observation;

/**
 * The cost of one analysis iteration ({@link ExperimentAnalyzer#analyze}), from the experiment and raw
 * observations to the status records, for 4 metrics (an error rate, the mean and p95 of a latency
 * histogram, a Normal gauge): a Canary of 2 versions (exact probabilities, no Monte Carlo), an A/B test of
 * 2 versions and an A/B/N test of 10 (Monte Carlo over P(best and feasible), the latency mean as the
 * reward), each at several draw counts. The {@code -h29} shapes are the same experiments on their 30th
 * iteration with the 29 earlier iterations' observations as {@link AnalysisInput#history()}, from which
 * the swings between iterations are measured per metric and bucket bound. Sampled per call, so the report
 * can give the median, which other processes on a shared machine disturb far less than the mean.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AnalysisCostBenchmark {

  @Param({"canary-2x4", "ab-2x4", "abn-10x4", "canary-2x4-h29", "ab-2x4-h29"})
  public String experiment;

  @Param({"1000", "2000", "4000"})
  public int draws;

  private ExperimentAnalyzer analyzer;
  private AnalysisInput input;

  @Setup
  public void setUp() {
    String[] shape = experiment.split("-");
    int versions = Integer.parseInt(shape[1].substring(0, shape[1].indexOf('x')));
    List<String> names = new ArrayList<>();
    for (int i = 0; i < versions; i++) {
      names.add("v" + (i + 1));
    }
    String cpu = "{metric: cpu, upperLimit: \"0.8\"}";
    Experiment e = shape[0].equals("canary")
        ? BenchExperiment.experiment("Canary", cpu, "", 30, names)
        : BenchExperiment.experiment(versions == 2 ? "A/B" : "A/B/N", cpu,
            "{metric: latency-mean, preferredDirection: Low}", 30, names);
    Map<String, Metric> metrics = BenchExperiment.metrics();
    Map<String, Map<String, Observation>> observations = new LinkedHashMap<>();
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (int i = 0; i < versions; i++) {
      observations.put(names.get(i), observed(4000 + 100 * i, 20 + i, i));
      weights.put(names.get(i), 100 / versions + (i == 0 ? 100 % versions : 0));
    }
    analyzer = new ExperimentAnalyzer(draws);
    int past = shape.length > 2 ? Integer.parseInt(shape[2].substring(1)) : 0;
    if (past == 0) {
      input = new AnalysisInput(e, metrics, observations, weights, 5, 0, 42L, Instant.parse("2024-01-01T00:05:00Z"));
      return;
    }
    // Totals of about the same size, reached over past + 1 iterations whose error counts and latencies swing.
    Map<String, Map<String, List<Observation>>> history = new LinkedHashMap<>();
    observations.clear();
    for (int i = 0; i < versions; i++) {
      List<Map<String, Observation>> snapshots = new ArrayList<>();
      long requests = 0;
      long errors = 0;
      double[] latency = new double[BenchExperiment.LATENCY_BOUNDS.length];
      for (int t = 0; t <= past; t++) {
        long n = 130 + 3 * i;
        requests += n;
        errors += t % 2 == 0 ? 0 : 2;
        Histogram h = ((Observation.Buckets) observed(n, 0, i + t).get(BenchExperiment.LATENCY)).histogram();
        double[] counts = h.counts();
        List<Histogram.Bucket> buckets = new ArrayList<>();
        double cumulative = 0;
        for (int b = 0; b < latency.length; b++) {
          latency[b] += counts[b];
          cumulative += latency[b];
          buckets.add(new Histogram.Bucket(BenchExperiment.LATENCY_BOUNDS[b], cumulative));
        }
        Map<String, Observation> o = new LinkedHashMap<>();
        o.put(BenchExperiment.REQUESTS, new Observation.Value(requests));
        o.put(BenchExperiment.ERRORS, new Observation.Value(errors));
        o.put(BenchExperiment.LATENCY, new Observation.Buckets(new Histogram(buckets)));
        o.put(BenchExperiment.CPU, new Observation.Value(0.5 + 0.01 * i));
        snapshots.add(o);
      }
      observations.put(names.get(i), snapshots.remove(past));
      Map<String, List<Observation>> byMetric = new LinkedHashMap<>();
      for (Map<String, Observation> snapshot : snapshots) {
        snapshot.forEach((key, o) -> byMetric.computeIfAbsent(key, k -> new ArrayList<>()).add(o));
      }
      history.put(names.get(i), byMetric);
    }
    input = new AnalysisInput(e, metrics, observations, weights, past + 1, 0, 42L,
        Instant.parse("2024-01-01T00:30:00Z"), history);
  }

  /** A version's cumulative observations: requests, errors, 16 latency buckets, a CPU gauge. */
  private static Map<String, Observation> observed(long requests, long errors, int shift) {
    double[] share = {0.02, 0.08, 0.2, 0.25, 0.2, 0.12, 0.06, 0.03, 0.015, 0.01, 0.005, 0.004, 0.003, 0.002, 0.001, 0};
    List<Histogram.Bucket> buckets = new ArrayList<>();
    double cumulative = 0;
    for (int b = 0; b < share.length; b++) {
      cumulative += Math.round(requests * share[(b + (b > 2 ? shift % 2 : 0)) % share.length]);
      buckets.add(new Histogram.Bucket(BenchExperiment.LATENCY_BOUNDS[b], cumulative));
    }
    Map<String, Observation> o = new LinkedHashMap<>();
    o.put(BenchExperiment.REQUESTS, new Observation.Value(requests));
    o.put(BenchExperiment.ERRORS, new Observation.Value(errors));
    o.put(BenchExperiment.LATENCY, new Observation.Buckets(new Histogram(buckets)));
    o.put(BenchExperiment.CPU, new Observation.Value(0.5 + 0.01 * shift));
    return o;
  }

  @Benchmark
  public AnalysisResult analyze() {
    return analyzer.analyze(input);
  }
}
