package tools.iter8.agent.tasks;

import java.util.List;

/**
 * An action stopped at a failed task, as the original's task runner stopped at the first error. The
 * message names the action, the task's index and name, and the reason, e.g. {@code start action: task
 * [0] common/readiness failed: not ready after 13 checks: Deployment shop/backend (apps/v1): not found}.
 */
public final class ActionFailedException extends RuntimeException {
  private final int taskIndex;
  private final String taskName;
  private final String reason;
  private final List<String> messages;

  public ActionFailedException(String action, int taskIndex, String taskName, String reason, List<String> messages) {
    super(action + " action: task [" + taskIndex + "] " + taskName + " failed: " + reason, null, false, false);
    this.taskIndex = taskIndex;
    this.taskName = taskName;
    this.reason = reason;
    this.messages = List.copyOf(messages);
  }

  public int taskIndex() {
    return taskIndex;
  }

  public String taskName() {
    return taskName;
  }

  public String reason() {
    return reason;
  }

  /** The lines of the tasks before the failed one, and the failed one's. */
  public List<String> messages() {
    return messages;
  }
}
