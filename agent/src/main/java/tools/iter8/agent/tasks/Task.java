package tools.iter8.agent.tasks;

import io.vertx.core.Future;
import tools.iter8.core.api.TaskSpec;

/**
 * One built-in task (DESIGN §2.4: tasks run inside the agent, no Jobs, no sidecars). A task fails its
 * future with a reason a user can act on; credentials never appear in it. Tasks never block a thread:
 * waits are Vert.x timers and I/O is asynchronous.
 */
public interface Task {

  /** The name used in {@code task:}, e.g. {@code common/readiness}. */
  String name();

  Future<TaskOutcome> run(TaskContext context, TaskSpec spec);

  /**
   * Whether a failure of this task lets the action go on when {@code with.ignoreFailure} is not set:
   * true for notifications, as the original (a message that does not arrive must not fail a release),
   * false for the rest.
   */
  default boolean ignoresFailureByDefault() {
    return false;
  }
}
