package tools.iter8.agent.controller;

import io.vertx.core.Future;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.iter8.agent.tasks.ActionOutcome;

/**
 * Actions run in the background so a long readiness wait or load generation never holds a reconcile
 * worker: a reconcile launches the action, returns, and the action's completion enqueues the
 * experiment again. Only the outcome of the action last launched for an experiment is kept. An agent
 * that restarts mid-action runs it again (every built-in task is safe to repeat), since the action is
 * recorded in {@code status.completedActions} only once it has finished.
 */
final class ActionTracker {
  private record Tracked(String actionId, Future<ActionOutcome> future) {}

  private final Map<String, Tracked> actions = new ConcurrentHashMap<>();
  private final Consumer<String> enqueue;

  ActionTracker(Consumer<String> enqueue) {
    this.enqueue = enqueue;
  }

  /** The action's future if it was launched for this experiment and not yet forgotten. */
  Optional<Future<ActionOutcome>> find(String key, String actionId) {
    Tracked t = actions.get(key);
    return t != null && t.actionId().equals(actionId) ? Optional.of(t.future()) : Optional.empty();
  }

  void launch(String key, String actionId, Supplier<Future<ActionOutcome>> action) {
    Future<ActionOutcome> f;
    try {
      f = action.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    actions.put(key, new Tracked(actionId, f));
    f.onComplete(done -> enqueue.accept(key));
  }

  void forget(String key) {
    actions.remove(key);
  }
}
