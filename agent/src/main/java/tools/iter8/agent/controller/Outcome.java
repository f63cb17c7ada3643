package tools.iter8.agent.controller;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.iter8.core.analysis.DecisionAction;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.core.lifecycle.Reasons;

/**
 * How a finishing experiment ends, read from its last decision: the winner promoted, the baseline kept
 * (rolled back), failed, or simply completed (a Conformance run). It says which action runs — the
 * original ran {@code finish} after a rollback too; a {@code rollback} action, when given, runs instead,
 * and a failure runs the {@code failure} action (the original ran nothing, etc3#201) — and what split
 * the traffic ends on.
 */
enum Outcome {
  PROMOTED,
  ROLLED_BACK,
  FAILED,
  COMPLETED;

  static Outcome of(Experiment e) {
    if (ExperimentFacts.condition(e, Reasons.FAILED)) {
      return FAILED;
    }
    String action = Optional.ofNullable(e.status().decision()).map(Decision::action).orElse("");
    return switch (DecisionAction.parse(action).orElse(DecisionAction.CONTINUE)) {
      case PROMOTE -> PROMOTED;
      case ROLLBACK -> ROLLED_BACK;
      case FAIL -> FAILED;
      default -> COMPLETED;
    };
  }

  ActionKind actionKind(Experiment e) {
    return switch (this) {
      case ROLLED_BACK -> has(e, ActionKind.ROLLBACK) ? ActionKind.ROLLBACK : ActionKind.FINISH;
      case FAILED -> ActionKind.FAILURE;
      default -> ActionKind.FINISH;
    };
  }

  /** The id recorded in completedActions, or null when there is nothing to run. */
  String actionId(Experiment e) {
    ActionKind kind = actionKind(e);
    return has(e, kind) ? kind.key() : null;
  }

  /** All live traffic to the version that stays. */
  Map<String, Integer> finalSplit(Experiment e) {
    List<VersionDetail> versions = e.spec().versionInfo().all();
    String keep = this == PROMOTED ? e.status().decision().version() : versions.get(0).name();
    Map<String, Integer> split = new LinkedHashMap<>();
    versions.forEach(v -> split.put(v.name(), v.name().equals(keep) ? 100 : 0));
    return split;
  }

  /** Failed, or ended as decided but an action of the end (e.g. the rollback itself) failed. */
  boolean failed(Experiment e) {
    return this == FAILED || ExperimentFacts.condition(e, Reasons.FAILED);
  }

  String reason(Experiment e) {
    return failed(e) ? "ExperimentFailed" : Reasons.EXPERIMENT_COMPLETED;
  }

  String message(Experiment e) {
    String why = Optional.ofNullable(e.status().decision()).map(Decision::reason).orElse("");
    if (this != FAILED && failed(e)) {
      String failure = ExperimentFacts.conditionOf(e, Reasons.FAILED).map(c -> c.message()).orElse("");
      return switch (this) {
        case PROMOTED -> "Experiment failed while promoting " + e.status().decision().version() + ": " + failure;
        case ROLLED_BACK -> "Experiment failed while rolling back (" + why + "): " + failure;
        default -> "Experiment failed: " + failure;
      };
    }
    return switch (this) {
      case PROMOTED -> "Experiment completed: " + e.status().decision().version() + " promoted: " + why;
      case ROLLED_BACK -> "Experiment rolled back: " + why;
      case FAILED -> "Experiment failed: " + ExperimentFacts.conditionOf(e, Reasons.FAILED)
          .map(c -> c.message()).orElse(why);
      case COMPLETED -> "Experiment completed successfully";
    };
  }

  private static boolean has(Experiment e, ActionKind kind) {
    Map<String, List<TaskSpec>> actions = e.spec().strategy().actions();
    return actions != null && actions.get(kind.key()) != null && !actions.get(kind.key()).isEmpty();
  }
}
