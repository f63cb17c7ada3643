package tools.iter8.bench;

import java.util.List;
import java.util.Map;
import tools.iter8.core.analysis.ExperimentAnalyzer;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;

/**
 * One run of one scenario through every policy on the same traffic ({@link SimulatedTraffic}): each
 * minute each undecided policy routes the minute's requests by its weight, its own {@link Ledger} records
 * what each version served, and the policy may decide. After a decision the chosen version serves
 * everything until the horizon, so a wrong decision keeps costing exposure and a right one stops it.
 */
final class Simulation {
  /**
   * The policies, in report order: ours first ({@link #OURS} of them: the production path, then the same
   * analysis also given the per-iteration history), then the peers.
   */
  static final List<String> POLICIES =
      List.of("iter8 (ours)", "iter8 + history", "Iter8 v2 original", "Flagger", "Kayenta-style");

  /** How many of {@link #POLICIES} are ours; the rest are peers. */
  static final int OURS = 2;

  /** Minutes simulated: the experiments' length (ours, the original, Kayenta's lifetime) and the horizon. */
  static final int MINUTES = 30;

  private final ExperimentAnalyzer analyzer;
  private final Experiment experiment;
  private final Map<String, Metric> metrics;

  Simulation(ExperimentAnalyzer analyzer) {
    this.analyzer = analyzer;
    this.experiment = BenchExperiment.canary(MINUTES, Iter8Policy.BASELINE, Iter8Policy.CANDIDATE);
    this.metrics = BenchExperiment.metrics();
  }

  /** @return one result per policy, in {@link #POLICIES} order */
  RunResult[] run(Scenario scenario, long seed) {
    Policy[] policies = {
      new Iter8Policy(analyzer, experiment, metrics, Long.toHexString(seed), false),
      new Iter8Policy(analyzer, experiment, metrics, Long.toHexString(seed), true),
      new OriginalIter8Policy(MINUTES),
      new FlaggerPolicy(),
      new KayentaPolicy(MINUTES)
    };
    int n = policies.length;
    Ledger[] ledgers = new Ledger[n];
    Policy.Outcome[] outcomes = new Policy.Outcome[n];
    int[] decidedAt = new int[n];
    long[] worse = new long[n];
    for (int p = 0; p < n; p++) {
      ledgers[p] = new Ledger();
    }
    long requests = 0;
    SimulatedTraffic traffic = new SimulatedTraffic(scenario, seed);
    for (int minute = 1; minute <= MINUTES; minute++) {
      SimulatedTraffic.Minute m = traffic.next();
      requests += m.requests();
      for (int p = 0; p < n; p++) {
        if (outcomes[p] != null) {
          worse[p] += servesWorse(scenario, outcomes[p] == Policy.Outcome.PROMOTE) ? m.requests() : 0;
          continue;
        }
        int toCandidate = m.toCandidate(policies[p].candidateWeight());
        ledgers[p].record(m.baseline().first(m.requests() - toCandidate), m.candidate().first(toCandidate));
        worse[p] += switch (scenario.worse()) {
          case CANDIDATE -> toCandidate;
          case BASELINE -> m.requests() - toCandidate;
          case NEITHER -> 0;
        };
        Policy.Outcome o = policies[p].afterMinute(minute, ledgers[p]);
        if (o != null) {
          outcomes[p] = o;
          decidedAt[p] = minute;
        }
      }
    }
    RunResult[] results = new RunResult[n];
    for (int p = 0; p < n; p++) {
      // A policy still undecided at the horizon has kept the baseline serving: count it as a rollback.
      Policy.Outcome o = outcomes[p] == null ? Policy.Outcome.ROLLBACK : outcomes[p];
      results[p] = new RunResult(o, outcomes[p] == null ? MINUTES : decidedAt[p], worse[p], requests);
    }
    return results;
  }

  /** Whether the version left serving after a decision is the worse one. */
  private static boolean servesWorse(Scenario s, boolean promoted) {
    return switch (s.worse()) {
      case CANDIDATE -> promoted;
      case BASELINE -> !promoted;
      case NEITHER -> false;
    };
  }
}
