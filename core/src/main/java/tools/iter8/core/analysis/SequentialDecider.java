package tools.iter8.core.analysis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.iter8.core.api.Objective;

/**
 * The decision of one iteration, taken afresh from the cumulative evidence every time, in this order:
 *
 * <ol>
 *   <li>Fail: a metric a verdict needs errored {@code consecutiveErrorLimit} iterations in a row.
 *   <li>Rollback: a version under test violates an objective with {@code rollback_on_failure}.
 *   <li>Hold: a needed metric errored or has no data for some version: weights are held and nothing is
 *       promoted, because an outage must never promote. On the last iteration this becomes a rollback.
 *   <li>Promote: the winner rule found a winner (which needs the minimum sample).
 *   <li>Rollback: every version under test is infeasible, so none can win.
 *   <li>Rollback: the last iteration passed with no winner.
 *   <li>Continue.
 * </ol>
 *
 * <p>Looking at accumulating data every iteration and stopping at the first look that crosses
 * {@code strength} makes wrong decisions likelier than a single look would, most of all early, when a
 * few unlucky requests or one unusual minute dominate the sample. So a promotion or rollback also needs
 * the same conclusion at the previous iteration (read from status, so a restarted agent confirms the
 * same way): the second look adds data that the first did not see, and a crossing that was luck rarely
 * survives it. It costs one iteration on every decision; on the last iteration there is no next one, and
 * the single look decides. Decisive evidence needs no second look: a conclusion whose posterior
 * probability reaches {@link ExperimentPlan#decisiveStrength()} (0.999 at the default strength 0.95) stands
 * at once, as in Haybittle and Peto's group-sequential rule, where an interim look stops a trial only at a
 * far stricter bar than the final one. The false-decision rates this gives are measured by the
 * decision-quality benchmark (docs/benchmarks/decision-quality.md), not assumed.
 *
 * <p>On the last iteration the winner rule may name a version that is more likely than not the winner
 * without reaching {@code strength} ({@link WinnerRule#HORIZON_PROBABILITY}): it is promoted; otherwise
 * the experiment rolls back.
 */
final class SequentialDecider {

  /** The decision, and the error count to write back to status. */
  record Outcome(DecisionAction action, String version, Double probability, String reason, int consecutiveErrors) {}

  private final ExperimentPlan plan;

  SequentialDecider(ExperimentPlan plan) {
    this.plan = plan;
  }

  Outcome decide(
      Map<String, VersionAssessment> assessments,
      WinnerAssessment winner,
      int iteration,
      int priorErrors,
      PreviousLook previous) {
    String baseline = plan.baseline();
    List<String> errors = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    String firstAffected = null;
    for (VersionAssessment a : assessments.values()) {
      a.errors().forEach(e -> errors.add(a.version() + ": " + e));
      a.missing().forEach(m -> missing.add(a.version() + ": " + m));
      if (firstAffected == null && !(a.errors().isEmpty() && a.missing().isEmpty())) {
        firstAffected = a.version();
      }
    }
    int consecutive = errors.isEmpty() ? 0 : priorErrors + 1;
    boolean last = iteration >= plan.totalIterations();
    // A conclusion stands when the previous iteration reached it too, when it is decisive on its own, or
    // when there is no next look.
    boolean secondLook = previous.precedes(iteration);
    double decisive = plan.decisiveStrength();

    if (consecutive >= plan.consecutiveErrorLimit()) {
      return new Outcome(DecisionAction.FAIL, baseline, null,
          "metric queries failed " + consecutive + " iterations in a row (limit " + plan.consecutiveErrorLimit()
              + "): " + String.join("; ", errors) + "; failing and rolling back to " + baseline, consecutive);
    }

    Outcome pending = null;
    for (Violation v : rollbackViolations(assessments)) {
      boolean confirmed = secondLook && previous.violated(v.version(), v.objective());
      if (last || confirmed || v.probability() >= decisive) {
        return new Outcome(DecisionAction.ROLLBACK, baseline, v.probability(),
            v.describe() + standing(last, confirmed, decisive) + "; rolling back to " + baseline, consecutive);
      }
      if (pending == null) {
        pending = new Outcome(DecisionAction.CONTINUE, v.version(), v.probability(),
            v.describe() + "; to be confirmed at the next iteration before rolling back", consecutive);
      }
    }

    if (!errors.isEmpty() || !missing.isEmpty()) {
      String what =
          !errors.isEmpty()
              ? "metric queries failed (" + consecutive + " of " + plan.consecutiveErrorLimit()
                  + " allowed in a row): " + String.join("; ", errors)
              : "no data: " + String.join("; ", missing);
      if (last) {
        return new Outcome(DecisionAction.ROLLBACK, baseline, null,
            "last iteration (" + iteration + ") and " + what + "; nothing is promoted without data, keeping "
                + baseline, consecutive);
      }
      return new Outcome(DecisionAction.HOLD, firstAffected, null,
          "holding weights, " + what + "; nothing is promoted without data", consecutive);
    }

    if (winner.found()) {
      boolean confirmed = secondLook && winner.winner().equals(previous.winner());
      if (last || confirmed || (winner.probability() != null && winner.probability() >= decisive)) {
        return new Outcome(DecisionAction.PROMOTE, winner.winner(), winner.probability(),
            "promoting " + winner.winner() + ": " + winner.reason() + standing(last, confirmed, decisive),
            consecutive);
      }
      pending = pending != null ? pending : new Outcome(DecisionAction.CONTINUE, winner.winner(), winner.probability(),
          winner.reason() + "; to be confirmed at the next iteration before promotion", consecutive);
    }

    List<String> underTest = plan.underTest();
    if (underTest.stream().allMatch(v -> assessments.get(v).infeasible())) {
      String what = String.join(", ", underTest) + (underTest.size() == 1 ? " violates" : " all violate")
          + " an objective (" + assessments.get(underTest.get(0)).summary() + ")";
      boolean confirmed = secondLook && underTest.stream().allMatch(previous::anyViolated);
      double surest = underTest.stream().mapToDouble(v -> violation(assessments.get(v))).min().orElse(0);
      if (last || confirmed || surest >= decisive) {
        return new Outcome(DecisionAction.ROLLBACK, baseline, surest,
            "no version under test can win: " + what + standing(last, confirmed, decisive) + "; keeping " + baseline,
            consecutive);
      }
      pending = pending != null ? pending : new Outcome(DecisionAction.CONTINUE, winner.leader(),
          winner.probability(), what + "; to be confirmed at the next iteration before rolling back", consecutive);
    }

    if (last) {
      return new Outcome(DecisionAction.ROLLBACK, baseline, null,
          "no winner after " + iteration + " iterations (" + winner.reason() + "); keeping " + baseline, consecutive);
    }
    return pending != null
        ? pending
        : new Outcome(DecisionAction.CONTINUE, winner.leader(), winner.probability(), winner.reason(), consecutive);
  }

  /** Why a conclusion stands: the empty string on the last iteration, else the confirmation or the bar. */
  private static String standing(boolean last, boolean confirmed, double decisive) {
    if (last) {
      return "";
    }
    return confirmed ? ", as at the previous iteration" : "; decisive at one look (P ≥ " + Figures.number(decisive) + ")";
  }

  /** The probability of the surest violation among a version's violated objectives, 0 when none is. */
  static double violation(VersionAssessment a) {
    double surest = 0;
    for (ObjectiveVerdict v : a.objectives()) {
      if (v.verdict() == Verdict.VIOLATED && v.probability() != null) {
        surest = Math.max(surest, 1 - v.probability());
      }
    }
    return surest;
  }

  /** A version under test violating an objective that rolls back on failure. */
  private record Violation(String version, int objective, String metric, double probability, String reason) {
    String describe() {
      return version + " violates " + metric + ", which rolls back on failure (" + reason + ")";
    }
  }

  private List<Violation> rollbackViolations(Map<String, VersionAssessment> assessments) {
    List<Violation> found = new ArrayList<>();
    for (String v : plan.underTest()) {
      List<ObjectiveVerdict> verdicts = assessments.get(v).objectives();
      for (int j = 0; j < verdicts.size(); j++) {
        Objective o = plan.objectives().get(j);
        ObjectiveVerdict verdict = verdicts.get(j);
        if (Boolean.TRUE.equals(o.rollbackOnFailure()) && verdict.verdict() == Verdict.VIOLATED) {
          found.add(new Violation(v, j, o.metric(), 1 - verdict.probability(), verdict.reason()));
        }
      }
    }
    return found;
  }
}
