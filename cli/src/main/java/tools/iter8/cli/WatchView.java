package tools.iter8.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.WinnerAssessmentData;

/**
 * One frame of {@code iter8ctl watch}: stage, loop and elapsed time, an iteration progress bar, and per version
 * its current and recommended weight, probability of being best and latest objective verdicts; then the winner
 * and the last decision. Plain ASCII, so it reads the same in a terminal and in a CI log. Pure.
 *
 * <pre>
 * Experiment: default/quickstart-exp (Canary, Progressive)
 * Stage: Running, loop 1 of 1, elapsed 1m0s
 * Iterations: [###############---------------] 6 of 12
 *   VERSION    WEIGHT  NEXT  P(BEST)  mean-latency       error-rate
 *   current        60    50    0.129  true (0.990)       true (>0.999)
 *   candidate      40    50    0.871  undecided (0.871)  true (0.981)
 * Winner: not found
 * Decision: Continue: no winner yet: candidate candidate is undecided (...)
 * </pre>
 */
public final class WatchView {
  static final int BAR_WIDTH = 30;

  private WatchView() {}

  public static String render(ExperimentFacts e, Instant now) {
    List<String> lines = new ArrayList<>();
    lines.add("Experiment: " + e.key() + " (" + orDash(e.testingPattern()) + ", " + e.deploymentPattern() + ")");
    String stage = "Stage: " + (e.stage() == null ? "Pending" : e.stage())
        + ", loop " + e.currentLoop() + " of " + e.duration().maxLoops();
    stage += e.elapsed(now).map(d -> ", elapsed " + Numbers.duration(d)).orElse("");
    lines.add(stage);
    lines.add("Iterations: " + bar(e.completedIterations(), e.totalIterations()) + " "
        + e.completedIterations() + " of " + e.totalIterations());
    lines.addAll(versionTable(e));
    lines.add("Winner: " + winner(e));
    Decision d = e.status().map(ExperimentStatus::decision).orElse(null);
    if (d != null) {
      lines.add("Decision: " + ExperimentFacts.join(d.action(), d.reason()));
    }
    if (e.failed()) {
      lines.add("Failed: " + e.failureReason());
    } else if (d == null) {
      e.status().map(ExperimentStatus::message).filter(m -> !m.isBlank()).ifPresent(m -> lines.add("Message: " + m));
    }
    return String.join("\n", lines) + "\n";
  }

  /** {@code [#####-----]}: completed iterations out of all of them. */
  static String bar(int done, int total) {
    int filled = total <= 0 ? 0 : (int) Math.min(BAR_WIDTH, Math.round((double) BAR_WIDTH * done / total));
    filled = Math.max(0, filled);
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
  }

  /** One row per version; one column per objective, headed by the metric's name without its namespace. */
  private static List<String> versionTable(ExperimentFacts e) {
    List<String> versions = e.versions();
    if (versions.isEmpty()) {
      return List.of();
    }
    Map<String, Integer> current = e.currentWeights();
    Map<String, Integer> next = e.recommendedWeights();
    Map<String, Double> best =
        e.winnerAssessment().map(WinnerAssessmentData::probabilities).orElse(Map.of());
    Criteria criteria = e.spec() == null ? null : e.spec().criteria();
    List<Objective> objectives = criteria == null || criteria.objectives() == null ? List.of() : criteria.objectives();

    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("VERSION", "WEIGHT", "NEXT", "P(BEST)"));
    for (Objective o : objectives) {
      String m = o.metric() == null ? "" : o.metric();
      header.add(m.substring(m.lastIndexOf('/') + 1));
    }
    rows.add(header);
    for (String v : versions) {
      List<String> row = new ArrayList<>(List.of(
          v,
          weight(current.get(v)),
          weight(next.get(v)),
          best.containsKey(v) ? Numbers.probability(best.get(v)) : "-"));
      for (int i = 0; i < objectives.size(); i++) {
        int index = i;
        row.add(e.objectiveDetail(i, v).map(ExperimentDescriber::verdict)
            .or(() -> e.objectiveMet(index, v).map(String::valueOf))
            .orElse("-"));
      }
      rows.add(row);
    }
    int[] widths = new int[header.size()];
    for (List<String> r : rows) {
      for (int c = 0; c < r.size(); c++) {
        widths[c] = Math.max(widths[c], Table.width(r.get(c)));
      }
    }
    List<String> lines = new ArrayList<>();
    for (List<String> r : rows) {
      StringBuilder s = new StringBuilder(" ");
      for (int c = 0; c < r.size(); c++) {
        boolean numeric = c >= 1 && c <= 3;
        s.append(' ').append(c == r.size() - 1 && !numeric ? r.get(c) : pad(r.get(c), widths[c], numeric));
        if (c < r.size() - 1) {
          s.append(' ');
        }
      }
      lines.add(s.toString());
    }
    return lines;
  }

  /** The frame with every line cut to fit {@code columns}, so a terminal never wraps one and redraws stay exact. */
  public static String fit(String frame, int columns) {
    if (columns <= 0) {
      return frame;
    }
    int max = Math.max(10, columns - 1);
    StringBuilder out = new StringBuilder();
    for (String line : frame.split("\n", -1)) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(Table.width(line) <= max ? line : line.substring(0, line.offsetByCodePoints(0, max - 3)) + "...");
    }
    return out.toString();
  }

  private static String winner(ExperimentFacts e) {
    if (e.winner().isPresent()) {
      return e.winner().get();
    }
    return "not found";
  }

  private static String weight(Integer w) {
    return w == null ? "-" : w.toString();
  }

  private static String pad(String s, int width, boolean right) {
    String gap = " ".repeat(Math.max(0, width - Table.width(s)));
    return right ? gap + s : s + gap;
  }

  private static String orDash(String s) {
    return s == null ? "-" : s;
  }
}
