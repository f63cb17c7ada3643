package tools.iter8.core.lifecycle;

import java.util.List;
import java.util.Optional;
import tools.iter8.core.api.Condition;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;
import tools.iter8.core.api.Stage;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.tasks.TaskCondition;

/** Read-only questions about an experiment's status, asked by the agent, the CLI and the tasks. */
public final class ExperimentFacts {
  private ExperimentFacts() {}

  public static boolean condition(Experiment e, String type) {
    return conditionOf(e, type).map(c -> "True".equals(c.status())).orElse(false);
  }

  public static Optional<Condition> conditionOf(Experiment e, String type) {
    ExperimentStatus s = e.status();
    if (s == null || s.conditions() == null) {
      return Optional.empty();
    }
    return s.conditions().stream().filter(c -> type.equals(c.type())).findFirst();
  }

  public static boolean completed(Experiment e) {
    return condition(e, Reasons.COMPLETED);
  }

  public static Stage stage(Experiment e) {
    return Optional.ofNullable(e.status()).map(ExperimentStatus::stage).flatMap(Stage::parse).orElse(Stage.WAITING);
  }

  public static int completedIterations(Experiment e) {
    return Optional.ofNullable(e.status()).map(ExperimentStatus::completedIterations).orElse(0);
  }

  public static boolean actionCompleted(Experiment e, String actionId) {
    List<String> done = e.status() == null ? null : e.status().completedActions();
    return done != null && done.contains(actionId);
  }

  public static Optional<String> winner(Experiment e) {
    return Optional.ofNullable(e.status())
        .map(ExperimentStatus::analysis)
        .map(a -> a.winnerAssessment())
        .map(w -> w.data())
        .filter(d -> Boolean.TRUE.equals(d.winnerFound()))
        .map(d -> d.winner());
  }

  /** The facts {@code if:} conditions see: the original's WinnerFound() and CandidateWon(). */
  public static TaskCondition.Facts taskFacts(Experiment e) {
    Optional<String> winner = winner(e);
    List<VersionDetail> candidates =
        e.spec() == null || e.spec().versionInfo() == null || e.spec().versionInfo().candidates() == null
            ? List.of()
            : e.spec().versionInfo().candidates();
    boolean candidateWon = candidates.size() == 1 && winner.map(w -> w.equals(candidates.get(0).name())).orElse(false);
    return new TaskCondition.Facts(winner.isPresent(), candidateWon);
  }
}
