package tools.iter8.core.analysis;

import java.util.List;
import java.util.Map;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectiveAssessment;
import tools.iter8.core.api.WinnerAssessmentData;

/**
 * What the previous iteration concluded, read back from the experiment's status: the one piece of memory
 * the sequential decision uses, kept in status so a restarted agent confirms exactly as the old one would.
 *
 * @param iteration the iteration the status's analysis belongs to, or 0 when there is none
 * @param winner the winner found then, or null
 * @param verdicts per version, the verdict words per objective then
 */
record PreviousLook(int iteration, String winner, Map<String, List<ObjectiveAssessment>> verdicts) {

  static final PreviousLook NONE = new PreviousLook(0, null, Map.of());

  static PreviousLook of(Experiment experiment) {
    if (experiment.status() == null || experiment.status().analysis() == null) {
      return NONE;
    }
    Analysis a = experiment.status().analysis();
    Decision d = experiment.status().decision();
    int iteration = d == null || d.iteration() == null ? 0 : d.iteration();
    WinnerAssessmentData w = a.winnerAssessment() == null ? null : a.winnerAssessment().data();
    String winner = w != null && Boolean.TRUE.equals(w.winnerFound()) ? w.winner() : null;
    Map<String, List<ObjectiveAssessment>> verdicts =
        a.versionAssessments() == null || a.versionAssessments().details() == null
            ? Map.of()
            : a.versionAssessments().details();
    return new PreviousLook(iteration, winner, verdicts);
  }

  /** Whether this look is the one right before {@code iteration}. */
  boolean precedes(int current) {
    return iteration == current - 1;
  }

  /** Whether the previous look found {@code version} violating objective {@code index}. */
  boolean violated(String version, int index) {
    List<ObjectiveAssessment> v = verdicts.get(version);
    return v != null && index < v.size() && Verdict.VIOLATED.wireName().equals(v.get(index).verdict());
  }

  /** Whether the previous look found {@code version} violating any objective. */
  boolean anyViolated(String version) {
    List<ObjectiveAssessment> v = verdicts.get(version);
    return v != null && v.stream().anyMatch(o -> Verdict.VIOLATED.wireName().equals(o.verdict()));
  }
}
