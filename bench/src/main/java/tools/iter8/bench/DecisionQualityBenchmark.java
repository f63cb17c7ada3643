package tools.iter8.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import tools.iter8.core.analysis.ExperimentAnalyzer;

/**
 * The decision-quality benchmark (issue: "bench/"): every scenario of {@link Scenario#suite()}, {@code runs}
 * seeded runs each, through our analysis and three re-implemented peers on shared traffic, in one
 * process; writes {@code decision-quality.md} and {@code .csv}. The same seed gives the same report
 * (apart from the wall time), whatever the number of threads: every run has its own seed and results are
 * summed in run order.
 *
 * <p>Usage: {@code DecisionQualityBenchmark [--runs N] [--seed S] [--threads T] [--out DIR]}.
 */
public final class DecisionQualityBenchmark {
  static final int DEFAULT_RUNS = 1000;
  static final long DEFAULT_SEED = 20240501L;

  private DecisionQualityBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = DEFAULT_RUNS;
    long seed = DEFAULT_SEED;
    int threads = Runtime.getRuntime().availableProcessors();
    Path out = Path.of("docs/benchmarks");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--threads" -> threads = Integer.parseInt(args[++i]);
        case "--out" -> out = Path.of(args[++i]);
        default -> throw new IllegalArgumentException(
            "unknown argument " + args[i] + "; usage: [--runs N] [--seed S] [--threads T] [--out DIR]");
      }
    }
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long start = System.nanoTime();
    List<Scenario> scenarios = Scenario.suite();
    List<Tally[]> tallies = run(scenarios, runs, seed, threads);
    double seconds = (System.nanoTime() - start) / 1e9;
    DecisionQualityReport report =
        new DecisionQualityReport(scenarios, tallies, runs, seed, threads, seconds, load);
    write(report, out);
    System.out.print(report.summary());
    System.out.printf("decision-quality: %d scenarios x %d runs x %d policies in %.1f s on %d threads%n",
        scenarios.size(), runs, Simulation.POLICIES.size(), seconds, threads);
  }

  static List<Tally[]> run(List<Scenario> scenarios, int runs, long seed, int threads)
      throws InterruptedException, ExecutionException {
    ExperimentAnalyzer analyzer = new ExperimentAnalyzer();
    Simulation simulation = new Simulation(analyzer);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Tally[]> tallies = new ArrayList<>();
      for (int s = 0; s < scenarios.size(); s++) {
        Scenario scenario = scenarios.get(s);
        if (scenario.candidateShouldWin() != (scenario.worse() != Scenario.Worse.CANDIDATE)) {
          throw new IllegalStateException("scenario " + scenario.name() + ": truth and worse version disagree");
        }
        List<Future<RunResult[]>> futures = new ArrayList<>(runs);
        for (int r = 0; r < runs; r++) {
          long runSeed = mix(seed, s, r);
          futures.add(pool.submit(() -> simulation.run(scenario, runSeed)));
        }
        int policies = Simulation.POLICIES.size();
        RunResult[][] byPolicy = new RunResult[policies][runs];
        for (int r = 0; r < runs; r++) {
          RunResult[] results = futures.get(r).get();
          for (int p = 0; p < policies; p++) {
            byPolicy[p][r] = results[p];
          }
        }
        Tally[] t = new Tally[policies];
        for (int p = 0; p < policies; p++) {
          t[p] = new Tally(scenario.candidateShouldWin(), byPolicy[p]);
        }
        tallies.add(t);
      }
      return tallies;
    } finally {
      pool.shutdownNow();
    }
  }

  private static void write(DecisionQualityReport report, Path out) throws IOException {
    java.nio.file.Files.createDirectories(out);
    java.nio.file.Files.writeString(out.resolve("decision-quality.md"), report.markdown());
    java.nio.file.Files.writeString(out.resolve("decision-quality.csv"), report.csv());
  }

  /** A run's seed from the suite seed, the scenario and the run (SplitMix64 finaliser). */
  static long mix(long seed, int scenario, int run) {
    long z = seed + 0x9E3779B97F4A7C15L * (1 + scenario * 1_000_003L + run);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
