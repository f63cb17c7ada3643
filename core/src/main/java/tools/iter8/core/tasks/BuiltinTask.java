package tools.iter8.core.tasks;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The tasks the agent runs itself (DESIGN §2.4: no Jobs, no sidecars). A task name outside this list is
 * rejected at admission rather than failing the experiment later.
 */
public enum BuiltinTask {
  /** Waits until the named objects exist and meet their condition. */
  READINESS("common/readiness"),
  /** The original's built-in load generator: sends requests and records histograms per version. */
  METRICS_COLLECT("metrics/collect"),
  /** Posts a JSON summary to a URL. */
  NOTIFICATION_HTTP("notification/http"),
  /** Posts a summary to a Slack channel. */
  NOTIFICATION_SLACK("notification/slack"),
  /** Makes the winner the only version of the target. */
  PROMOTE("common/promote"),
  /** Restores the baseline as the only version of the target. */
  ROLLBACK("common/rollback");

  private final String taskName;

  BuiltinTask(String taskName) {
    this.taskName = taskName;
  }

  public String taskName() {
    return taskName;
  }

  public static Optional<BuiltinTask> parse(String name) {
    return Arrays.stream(values()).filter(t -> t.taskName.equals(name)).findFirst();
  }

  public static String allowed() {
    return Arrays.stream(values()).map(BuiltinTask::taskName).collect(Collectors.joining(", "));
  }
}
