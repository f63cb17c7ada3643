package tools.iter8.agent.tasks;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;
import tools.iter8.agent.workload.WorkloadHandler;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.tasks.BuiltinTask;

/**
 * {@code common/promote} (ours; the original left promotion to scripts): makes the winning candidate the
 * only version of the workload in {@code spec.targetRef}, through its {@link WorkloadHandler} (DESIGN
 * §2.3: the live object ends equal to what the user applied).
 *
 * <p>It promotes only a candidate that won ({@code CandidateWon()}); otherwise it fails and says so, rather
 * than release a version the analysis did not choose — an unguarded {@code common/promote} should be
 * {@code if: CandidateWon()}. Without a targetRef there is no workload to change: the agent's final traffic
 * split already routes to the recommended version, so the task succeeds and says that.
 */
public final class PromoteTask implements Task {
  private final Function<Experiment, Optional<WorkloadHandler>> workloads;

  /** @param workloads the handler of an experiment's targetRef kind, empty for a kind nobody handles */
  public PromoteTask(Function<Experiment, Optional<WorkloadHandler>> workloads) {
    this.workloads = workloads;
  }

  @Override
  public String name() {
    return BuiltinTask.PROMOTE.taskName();
  }

  @Override
  public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
    Experiment experiment = context.experiment();
    ExperimentSummary summary = ExperimentSummary.of(experiment);
    if (!WorkloadTarget.present(experiment)) {
      return Future.succeededFuture(TaskOutcome.done(
          "no workload to promote: the final traffic split already routes to " + summary.recommendedVersion()));
    }
    if (!summary.candidateWon()) {
      return Future.failedFuture(new TaskException(
          "refusing to promote " + WorkloadTarget.describe(experiment) + ": the candidate did not win ("
              + (summary.winner() == null ? "no winner" : "winner: " + summary.winner())
              + "); guard common/promote with if: CandidateWon(), and roll back otherwise"));
    }
    String candidate = summary.candidates().get(0);
    return WorkloadTarget.handler(workloads, experiment)
        .compose(handler -> handler.promote(experiment)
            .recover(e -> Future.failedFuture(new TaskException(
                "promoting " + candidate + " on " + WorkloadTarget.describe(experiment) + " failed: "
                    + WorkloadTarget.reason(e)))))
        .map(v -> TaskOutcome.done(
            "promoted " + candidate + ": " + WorkloadTarget.describe(experiment) + " now runs only it"));
  }
}
