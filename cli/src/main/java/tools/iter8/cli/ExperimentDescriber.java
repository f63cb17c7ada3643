package tools.iter8.cli;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.iter8.core.api.AggregatedMetric;
import tools.iter8.core.api.AggregatedMetricData;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.Condition;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.DurationSpec;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.MetricInfo;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.ObjectiveAssessment;
import tools.iter8.core.api.PreferredDirection;
import tools.iter8.core.api.Reward;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.api.WinnerAssessmentData;
import tools.iter8.core.defaults.ExperimentDefaults;

/**
 * {@code iter8ctl describe} as text: first the original iter8ctl's sections with its exact headers, explanation
 * lines, tables and number formatting (reference §5), then what its users missed, in sections of their own:
 * iterations, loops and timing; current and recommended weights; the decision and its reason; conditions and the
 * failure reason. Inside the original sections our figures are added beside the original's, never instead of
 * them: each objective verdict with its probability, each version's probability of being the best.
 *
 * <p>Pure: the same experiment and clock give the same text, which the golden tests hold byte for byte. The clock
 * only matters for the elapsed time of a running experiment.
 */
public final class ExperimentDescriber {
  static final String CANARY_EXPLANATION = """
      > If the candidate version satisfies the experiment objectives, then it is the winner.
      > Otherwise, if the baseline version satisfies the experiment objectives, it is the winner.
      > Otherwise, there is no winner.
      """;
  static final String CONFORMANCE_EXPLANATION = """
      > If the version being validated; i.e., the baseline version, satisfies the experiment objectives, it is the winner.
      > Otherwise, there is no winner.
      """;
  static final String REWARD_EXPLANATION =
      "> Identifies values of reward metrics for each version. The best version is marked with a '*'.\n";
  static final String OBJECTIVE_EXPLANATION =
      "> Identifies whether or not the experiment objectives are satisfied by the most recently observed metrics"
          + " values for each version.\n";
  static final String METRICS_EXPLANATION = "> Most recently read values of experiment metrics for each version.\n";

  private final Clock clock;

  public ExperimentDescriber(Clock clock) {
    this.clock = clock;
  }

  /** The whole description, ending with a blank line as the original's. */
  public String describe(Experiment experiment) {
    ExperimentFacts e = new ExperimentFacts(experiment);
    StringBuilder out = new StringBuilder();
    overview(out, e);
    progressSummary(out, e);
    if (e.completedIterations() > 0) {
      winnerAssessment(out, e);
      rewardAssessment(out, e);
      objectiveAssessment(out, e);
      metricsAssessment(out, e);
    }
    progressDetails(out, e);
    weights(out, e);
    decision(out, e);
    conditions(out, e);
    return out.append('\n').toString();
  }

  // ---- The original's sections -------------------------------------------------------------------------------

  private static void overview(StringBuilder out, ExperimentFacts e) {
    header(out, "Overview");
    line(out, "Experiment name: " + text(e.name()));
    line(out, "Experiment namespace: " + text(e.namespace()));
    line(out, "Target: " + text(e.spec() == null ? null : e.spec().target()));
    line(out, "Testing pattern: " + text(e.testingPattern()));
    line(out, "Deployment pattern: " + e.deploymentPattern());
  }

  private static void progressSummary(StringBuilder out, ExperimentFacts e) {
    header(out, "Progress Summary");
    if (e.stage() != null) {
      line(out, "Experiment stage: " + e.stage());
    }
    line(out, "Number of completed iterations: " + e.completedIterations());
  }

  private static void winnerAssessment(StringBuilder out, ExperimentFacts e) {
    if (e.analysis().map(Analysis::winnerAssessment).isEmpty()) {
      return;
    }
    header(out, "Winner Assessment");
    boolean conformance = TestingPattern.CONFORMANCE.wireName().equals(e.testingPattern());
    if (TestingPattern.CANARY.wireName().equals(e.testingPattern())) {
      out.append(CANARY_EXPLANATION);
    } else if (conformance) {
      out.append(CONFORMANCE_EXPLANATION);
    }
    if (!conformance && e.spec() != null && e.spec().versionInfo() != null) {
      line(out, "App versions in this experiment: [" + String.join(" ", e.versions()) + "]");
    }
    line(out, "Winning version: " + e.winner().orElse("not found"));
    String recommended = e.status().map(ExperimentStatus::versionRecommendedForPromotion).orElse(null);
    if (!conformance && recommended != null) {
      line(out, "Version recommended for promotion: " + recommended);
    }

    Optional<WinnerAssessmentData> data = e.winnerAssessment();
    Map<String, Double> probabilities = data.map(WinnerAssessmentData::probabilities).orElse(Map.of());
    if (!probabilities.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (String v : ordered(e.versions(), probabilities.keySet())) {
        parts.add(v + " " + Numbers.probability(probabilities.get(v)));
      }
      line(out, "Probability of being the best feasible version: " + String.join(", ", parts));
    }
    List<String> best = data.map(WinnerAssessmentData::bestVersions).orElse(List.of());
    if (!e.winnerFound() && !best.isEmpty()) {
      line(out, "Best versions so far: [" + String.join(" ", best) + "]");
    }
    data.map(WinnerAssessmentData::reason).filter(r -> !r.isBlank()).ifPresent(r -> line(out, "Reason: " + r));
  }

  private static void rewardAssessment(StringBuilder out, ExperimentFacts e) {
    Criteria c = e.spec() == null ? null : e.spec().criteria();
    if (c == null || c.rewards() == null || c.rewards().isEmpty()
        || e.analysis().map(Analysis::versionAssessments).isEmpty()) {
      return;
    }
    header(out, "Reward Assessment");
    out.append(REWARD_EXPLANATION);
    List<String> versions = e.versions();
    Table table = new Table(headerRow("Reward", versions));
    for (Reward r : c.rewards()) {
      boolean higher = PreferredDirection.HIGH.wireName().equals(r.preferredDirection());
      List<String> row = new ArrayList<>();
      row.add(r.metric() + (higher ? " (higher better)" : " (lower better)"));
      int bestIndex = -1;
      BigDecimal bestValue = null;
      for (int i = 0; i < versions.size(); i++) {
        Optional<BigDecimal> value = e.metricValue(r.metric(), versions.get(i)).map(Numbers::round);
        if (value.isEmpty()) {
          row.add(Numbers.UNAVAILABLE);
          continue;
        }
        row.add(value.get().toPlainString());
        int cmp = bestValue == null ? 0 : value.get().compareTo(bestValue);
        if (bestValue == null || (higher ? cmp > 0 : cmp < 0)) {
          bestIndex = i;
          bestValue = value.get();
        }
      }
      if (bestIndex >= 0) {
        row.set(bestIndex + 1, row.get(bestIndex + 1) + " *");
      }
      table.addRow(row);
    }
    out.append(table.render());
  }

  private static void objectiveAssessment(StringBuilder out, ExperimentFacts e) {
    Criteria c = e.spec() == null ? null : e.spec().criteria();
    if (c == null || c.objectives() == null || c.objectives().isEmpty()
        || e.analysis().map(Analysis::versionAssessments).isEmpty()) {
      return;
    }
    header(out, "Objective Assessment");
    out.append(OBJECTIVE_EXPLANATION);
    List<String> versions = e.versions();
    boolean anyDetail = false;
    Table table = new Table(headerRow("Objective", versions));
    for (int i = 0; i < c.objectives().size(); i++) {
      int index = i;
      List<String> row = new ArrayList<>();
      row.add(objective(c.objectives().get(i)));
      for (String v : versions) {
        Optional<ObjectiveAssessment> detail = e.objectiveDetail(index, v);
        anyDetail |= detail.isPresent();
        row.add(detail.map(ExperimentDescriber::verdict)
            .orElseGet(() -> e.objectiveMet(index, v).map(String::valueOf).orElse(Numbers.UNAVAILABLE)));
      }
      table.addRow(row);
    }
    if (anyDetail) {
      double strength = c.strength() != null ? c.strength() : ExperimentDefaults.STRENGTH;
      line(out, "> In parentheses: the probability that the version satisfies the objective. true needs at least "
          + strength + ", false at most " + Numbers.probability(1 - strength) + "; in between it is undecided.");
    }
    out.append(table.render());
  }

  private static void metricsAssessment(StringBuilder out, ExperimentFacts e) {
    Optional<Map<String, AggregatedMetric>> aggregated =
        e.analysis().map(Analysis::aggregatedMetrics).map(a -> a.data() == null ? Map.of() : a.data());
    if (aggregated.isEmpty()) {
      return;
    }
    header(out, "Metrics Assessment");
    out.append(METRICS_EXPLANATION);
    List<String> versions = e.versions();
    Table table = new Table(headerRow("Metric", versions));
    // Ours: why a value is missing, one line per metric and cause (all versions often share one).
    Map<Missing, List<String>> unavailable = new LinkedHashMap<>();
    for (String[] metric : metricRows(e, aggregated.get())) {
      List<String> row = new ArrayList<>();
      row.add(metric[1]);
      for (String v : versions) {
        Optional<AggregatedMetricData> d = e.metricData(metric[0], v);
        row.add(Numbers.format(d.map(AggregatedMetricData::value).orElse(null)));
        d.filter(x -> x.outcome() != null && !"value".equals(x.outcome()))
            .ifPresent(x -> unavailable
                .computeIfAbsent(new Missing(metric[0], x.outcome() + (x.reason() == null ? "" : ": " + x.reason())),
                    k -> new ArrayList<>())
                .add(v));
      }
      table.addRow(row);
    }
    out.append(table.render());
    if (!unavailable.isEmpty()) {
      line(out, "Values not available:");
      unavailable.forEach((m, vs) -> line(out, "- " + m.metric() + " for " + String.join(", ", vs) + ": " + m.cause()));
    }
  }

  /** A metric without a value, and why: no data or an error, with the reason the agent gave. */
  private record Missing(String metric, String cause) {}

  /** Rows as the original: {@code status.metrics} in order, named with units; else the aggregated metrics. */
  private static List<String[]> metricRows(ExperimentFacts e, Map<String, AggregatedMetric> aggregated) {
    List<MetricInfo> infos = e.status().map(ExperimentStatus::metrics).orElse(null);
    List<String[]> rows = new ArrayList<>();
    if (infos != null && !infos.isEmpty()) {
      for (MetricInfo m : infos) {
        String units = m.metricObj() == null || m.metricObj().spec() == null ? null : m.metricObj().spec().units();
        rows.add(new String[] {m.name(), m.name() + (units == null ? "" : " (" + units + ")")});
      }
    } else {
      aggregated.keySet().forEach(k -> rows.add(new String[] {k, k}));
    }
    return rows;
  }

  // ---- Ours ---------------------------------------------------------------------------------------------------

  private void progressDetails(StringBuilder out, ExperimentFacts e) {
    header(out, "Progress Details");
    DurationSpec d = e.duration();
    line(out, "Loop: " + e.currentLoop() + " of " + d.maxLoops());
    line(out, "Iterations: " + e.completedIterations() + " of " + e.totalIterations() + " ("
        + d.iterationsPerLoop() + " per loop, one every " + d.intervalSeconds() + "s)");
    e.status().map(ExperimentStatus::consecutiveErrors).filter(n -> n > 0).ifPresent(n -> {
      Integer limit = e.spec() == null || e.spec().criteria() == null
          ? null : e.spec().criteria().consecutiveErrorLimit();
      line(out, "Consecutive metric errors: " + n + " of "
          + (limit != null ? limit : ExperimentDefaults.CONSECUTIVE_ERROR_LIMIT) + " allowed");
    });
    Optional<ExperimentStatus> s = e.status();
    s.map(ExperimentStatus::initTime).ifPresent(t -> line(out, "Initialized: " + t));
    s.map(ExperimentStatus::startTime).ifPresent(t -> line(out, "Started: " + t));
    s.map(ExperimentStatus::lastUpdateTime).ifPresent(t -> line(out, "Last update: " + t));
    e.condition(ExperimentFacts.COMPLETED)
        .filter(c -> "True".equals(c.status()) && c.lastTransitionTime() != null)
        .ifPresent(c -> line(out, "Completed: " + c.lastTransitionTime()));
    Instant now = clock.instant();
    e.elapsed(now).ifPresent(el -> line(out, "Elapsed: " + Numbers.duration(el)));
  }

  private static void weights(StringBuilder out, ExperimentFacts e) {
    Map<String, Integer> current = e.currentWeights();
    Map<String, Integer> recommended = e.recommendedWeights();
    if (current.isEmpty() && recommended.isEmpty()) {
      return;
    }
    header(out, "Weights");
    line(out, "> Percent of traffic per version: observed on the cluster, and recommended by the last analysis.");
    List<String> versions = e.versions();
    Table table = new Table(headerRow("Weight", versions));
    table.addRow(weightRow("observed", versions, current));
    table.addRow(weightRow("recommended", versions, recommended));
    out.append(table.render());
  }

  private static List<String> weightRow(String label, List<String> versions, Map<String, Integer> weights) {
    List<String> row = new ArrayList<>();
    row.add(label);
    for (String v : versions) {
      Integer w = weights.get(v);
      row.add(w == null ? Numbers.UNAVAILABLE : w.toString());
    }
    return row;
  }

  private static void decision(StringBuilder out, ExperimentFacts e) {
    Decision d = e.status().map(ExperimentStatus::decision).orElse(null);
    if (d == null) {
      return;
    }
    header(out, "Decision");
    line(out, "Action: " + text(d.action()));
    if (d.version() != null) {
      line(out, "Version: " + d.version());
    }
    if (d.probability() != null) {
      line(out, "Probability: " + Numbers.probability(d.probability()));
    }
    if (d.iteration() != null) {
      line(out, "Iteration: " + d.iteration() + (d.time() == null ? "" : " (" + d.time() + ")"));
    }
    if (d.reason() != null) {
      line(out, "Reason: " + d.reason());
    }
  }

  private static void conditions(StringBuilder out, ExperimentFacts e) {
    List<Condition> conditions = e.status().map(ExperimentStatus::conditions).orElse(List.of());
    String message = e.status().map(ExperimentStatus::message).orElse(null);
    if (conditions.isEmpty() && message == null) {
      return;
    }
    header(out, "Conditions");
    if (e.failed()) {
      line(out, "Failure reason: " + e.failureReason());
    }
    if (!conditions.isEmpty()) {
      Table table = new Table(List.of("Condition", "Status", "Reason", "Message", "Last transition"));
      for (Condition c : conditions) {
        table.addRow(List.of(text(c.type()), text(c.status()), text(c.reason()), text(c.message()),
            c.lastTransitionTime() == null ? "" : c.lastTransitionTime().toString()));
      }
      out.append(table.render());
    }
    if (message != null && !message.isBlank()) {
      line(out, "Latest message: " + message);
    }
  }

  // ---- Helpers ------------------------------------------------------------------------------------------------

  /** The original's objective label, {@code L <= metric <= U}, limits to three decimals rounded up. */
  static String objective(Objective o) {
    StringBuilder s = new StringBuilder();
    if (o.lowerLimit() != null) {
      s.append(Numbers.format(o.lowerLimit())).append(" <= ");
    }
    s.append(o.metric());
    if (o.upperLimit() != null) {
      s.append(" <= ").append(Numbers.format(o.upperLimit()));
    }
    return s.toString();
  }

  /** {@code true (0.973)}: met is true and violated false, as the original; undecided says so. */
  static String verdict(ObjectiveAssessment a) {
    String word = switch (a.verdict() == null ? "" : a.verdict()) {
      case "met" -> "true";
      case "violated" -> "false";
      case "" -> Numbers.UNAVAILABLE;
      default -> a.verdict();
    };
    return a.probability() == null ? word : word + " (" + Numbers.probability(a.probability()) + ")";
  }

  private static List<String> headerRow(String first, List<String> versions) {
    List<String> h = new ArrayList<>();
    h.add(first);
    h.addAll(versions);
    return h;
  }

  /** Spec order first, then any other keys as they come. */
  private static List<String> ordered(List<String> versions, Collection<String> keys) {
    List<String> result = versions.stream().filter(keys::contains).collect(Collectors.toCollection(ArrayList::new));
    keys.stream().filter(k -> !result.contains(k)).forEach(result::add);
    return result;
  }

  private static void header(StringBuilder out, String title) {
    out.append("\n****** ").append(title).append(" ******\n");
  }

  private static void line(StringBuilder out, String s) {
    out.append(s).append('\n');
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }
}
