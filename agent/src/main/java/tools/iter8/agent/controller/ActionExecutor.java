package tools.iter8.agent.controller;

import io.vertx.core.Future;
import java.util.List;
import tools.iter8.agent.tasks.ActionOutcome;
import tools.iter8.agent.tasks.TaskContext;
import tools.iter8.core.api.TaskSpec;

/** Runs the tasks of one action of an experiment (start, loop, finish, rollback, failure). */
@FunctionalInterface
public interface ActionExecutor {

  /** Fails with a reason naming the task when a task fails (and does not ignore failures). */
  Future<ActionOutcome> run(TaskContext context, List<TaskSpec> tasks);
}
