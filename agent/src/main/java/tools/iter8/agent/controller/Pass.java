package tools.iter8.agent.controller;

import java.util.Optional;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.defaults.ExperimentDefaults;

/**
 * The state of one reconcile pass as it goes through the steps: the experiment as last read or
 * written (status included), and, once a step has decided how the pass ends, the result. Steps after
 * that pass it through.
 */
final class Pass {
  final Reconciliation rec;
  private Experiment experiment;
  private Experiment withDefaults;
  private ReconcileResult result;

  Pass(Reconciliation rec, Experiment experiment) {
    this.rec = rec;
    update(experiment);
  }

  /** The experiment as stored (status is what the next write builds on). */
  Experiment experiment() {
    return experiment;
  }

  /** The same experiment with its spec defaults applied, for every decision. */
  Experiment effective() {
    return withDefaults;
  }

  void update(Experiment latest) {
    experiment = latest;
    withDefaults = ExperimentDefaults.apply(latest);
  }

  Pass stop(ReconcileResult r) {
    if (result == null) {
      result = r;
    }
    return this;
  }

  boolean stopped() {
    return result != null;
  }

  Optional<ReconcileResult> result() {
    return Optional.ofNullable(result);
  }
}
