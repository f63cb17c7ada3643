package tools.iter8.agent.tasks;

import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.Experiment;

/**
 * What a task sees: the experiment as of the start of its action (defaults applied), which action runs
 * it, and the action's id in {@code status.completedActions} ({@code start}, {@code loop-2}, ...).
 */
public record TaskContext(Experiment experiment, ActionKind action, String actionId) {

  /** {@code namespace/name}, for messages and logs. */
  public String experimentKey() {
    return experiment.metadata().key();
  }
}
