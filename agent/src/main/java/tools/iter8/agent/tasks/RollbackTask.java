package tools.iter8.agent.tasks;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;
import tools.iter8.agent.workload.WorkloadHandler;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.tasks.BuiltinTask;

/**
 * {@code common/rollback} (ours; the original left rollback to scripts): makes the baseline the only
 * version of the workload in {@code spec.targetRef} again, through its {@link WorkloadHandler}, which also
 * records the rejected template with the reason so it is not retried (DESIGN §2.3). The reason is the last
 * decision's, or else names the action that rolled back.
 *
 * <p>Without a targetRef there is no workload to change: the agent's final traffic split already routes
 * to the baseline, so the task succeeds and says that.
 */
public final class RollbackTask implements Task {
  private final Function<Experiment, Optional<WorkloadHandler>> workloads;

  /** @param workloads the handler of an experiment's targetRef kind, empty for a kind nobody handles */
  public RollbackTask(Function<Experiment, Optional<WorkloadHandler>> workloads) {
    this.workloads = workloads;
  }

  @Override
  public String name() {
    return BuiltinTask.ROLLBACK.taskName();
  }

  @Override
  public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
    Experiment experiment = context.experiment();
    ExperimentSummary summary = ExperimentSummary.of(experiment);
    if (!WorkloadTarget.present(experiment)) {
      return Future.succeededFuture(TaskOutcome.done(
          "no workload to roll back: the final traffic split already routes to " + summary.baseline()));
    }
    String reason =
        summary.reason() != null && !summary.reason().isBlank()
            ? summary.reason()
            : "the " + (context.action() == null ? "" : context.action().key() + " ") + "action rolled the candidate back";
    return WorkloadTarget.handler(workloads, experiment)
        .compose(handler -> handler.rollback(experiment, reason)
            .recover(e -> Future.failedFuture(new TaskException(
                "rolling back " + WorkloadTarget.describe(experiment) + " failed: " + WorkloadTarget.reason(e)))))
        .map(v -> TaskOutcome.done(
            "rolled back " + WorkloadTarget.describe(experiment) + " to baseline " + summary.baseline()));
  }
}
