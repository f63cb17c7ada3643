package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.tasks.TaskCondition;

/**
 * Runs the tasks of one action in order, as the original's task runner did (reference §4.7), inside the
 * agent (DESIGN §2.4):
 *
 * <ul>
 *   <li>each task's {@code if} is evaluated against the experiment's status when the task's turn comes
 *       ({@code WinnerFound()}, {@code CandidateWon()}: exactly one candidate and it is the winner); a task
 *       whose condition is false is skipped;
 *   <li>the action stops at the first failed task, unless the task's {@code with.ignoreFailure} is true
 *       (default true for notifications, false for the rest): then it goes on;
 *   <li>{@code run:} scripts are skipped, never executed, with a warning in the messages: the agent has no
 *       shell and no tools, and a script run by a controller with the agent's credentials would be a
 *       privilege escalation for anyone who can create an Experiment. What the original's samples scripted
 *       ({@code kubectl apply} of the winner) the agent does itself: it applies the final traffic split, and
 *       {@code common/promote} and {@code common/rollback} change the workload;
 *   <li>a {@code metrics/collect} task's histograms are visible to the tasks after it (the next collect
 *       merges into them), and the last ones are the action's outcome.
 * </ul>
 *
 * <p>The future fails with an {@link ActionFailedException} naming the task's index, name and reason.
 */
public final class ActionRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ActionRunner.class);

  static final String NO_SCRIPTS =
      "skipped: the agent runs no scripts (it has no shell, and a script would run with the agent's "
          + "credentials); the agent applies the final traffic split itself, and common/promote and "
          + "common/rollback promote or roll back the workload";

  private final TaskRegistry registry;
  private final Clock clock;

  /** @param clock stamps the histograms a collect task leaves for the tasks after it */
  public ActionRunner(TaskRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Where the action is: the experiment as the next task sees it, and what the tasks so far left. */
  private record Progress(Experiment experiment, JsonNode histograms, List<String> messages) {
    Progress with(String line) {
      List<String> lines = new ArrayList<>(messages);
      lines.add(line);
      return new Progress(experiment, histograms, lines);
    }
  }

  /**
   * @param action the experiment as of the action's start, which action, and its id
   * @param tasks the action's tasks, in order
   */
  public Future<ActionOutcome> run(TaskContext action, List<TaskSpec> tasks) {
    Future<Progress> progress = Future.succeededFuture(new Progress(action.experiment(), null, List.of()));
    for (int i = 0; i < tasks.size(); i++) {
      int index = i;
      TaskSpec spec = tasks.get(i);
      progress = progress.compose(p -> step(action, index, spec, p));
    }
    return progress.map(p -> new ActionOutcome(p.histograms(), p.messages()));
  }

  private Future<Progress> step(TaskContext action, int index, TaskSpec spec, Progress p) {
    boolean isTask = spec.task() != null && !spec.task().isBlank();
    boolean isRun = spec.run() != null && !spec.run().isBlank();
    String name = isTask ? spec.task().strip() : "run";
    String label = "[" + index + "] " + name;
    if (isTask == isRun) {
      return fail(action, index, name, "exactly one of task or run must be set", p);
    }
    boolean applies;
    try {
      applies = TaskCondition.parse(spec.condition()).evaluate(ExperimentSummary.of(p.experiment()).facts());
    } catch (TaskCondition.SyntaxException e) {
      return fail(action, index, name, "if: " + e.getMessage(), p);
    }
    if (!applies) {
      return Future.succeededFuture(p.with(label + ": skipped: if " + spec.condition().strip() + " is false"));
    }
    if (isRun) {
      LOG.warn("experiment {}: {} action: {}: {}", action.experimentKey(), action.action().key(), label, NO_SCRIPTS);
      return Future.succeededFuture(p.with(label + ": " + NO_SCRIPTS));
    }
    Optional<Task> task = registry.find(name);
    boolean ignoreFailure;
    try {
      ignoreFailure = new TaskInputs(spec.with()).bool("ignoreFailure", task.map(Task::ignoresFailureByDefault).orElse(false));
    } catch (TaskException e) {
      return fail(action, index, name, e.getMessage(), p);
    }
    TaskContext context = new TaskContext(p.experiment(), action.action(), action.actionId());
    return task.map(t -> invoke(t, context, spec))
        .orElseGet(() -> Future.failedFuture(new TaskException(
            "unknown task; the agent runs " + String.join(", ", registry.names()))))
        .map(outcome -> after(p, label, outcome))
        .recover(e -> {
          if (!ignoreFailure) {
            return fail(action, index, name, reason(e), p);
          }
          LOG.warn("experiment {}: {} action: {} failed, ignored: {}", action.experimentKey(), action.action().key(), label, reason(e));
          return Future.succeededFuture(p.with(label + ": failed, ignored (ignoreFailure): " + reason(e)));
        });
  }

  private static Future<TaskOutcome> invoke(Task task, TaskContext context, TaskSpec spec) {
    try {
      Future<TaskOutcome> outcome = task.run(context, spec);
      return outcome != null ? outcome : Future.failedFuture(new TaskException("the task returned no outcome"));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Progress after(Progress p, String label, TaskOutcome outcome) {
    String line = label + (outcome == null || outcome.message() == null ? "" : ": " + outcome.message());
    if (outcome == null || outcome.builtinHistograms() == null) {
      return p.with(line);
    }
    Experiment next = BuiltinHistograms.withData(p.experiment(), outcome.builtinHistograms(), clock.instant());
    return new Progress(next, outcome.builtinHistograms(), p.with(line).messages());
  }

  private static <T> Future<T> fail(TaskContext action, int index, String name, String reason, Progress p) {
    List<String> lines = p.with("[" + index + "] " + name + ": failed: " + reason).messages();
    return Future.failedFuture(new ActionFailedException(action.action().key(), index, name, reason, lines));
  }

  private static String reason(Throwable e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
