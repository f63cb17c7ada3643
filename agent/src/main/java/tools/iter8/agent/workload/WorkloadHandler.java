package tools.iter8.agent.workload;

import io.vertx.core.Future;
import tools.iter8.core.api.Experiment;

/**
 * What an experiment generated from a labeled workload does to that workload (DESIGN §2.3), one
 * implementation per kind: Deployment, Knative Service, InferenceService. Every method is idempotent,
 * because a restarted agent may call it again.
 */
public interface WorkloadHandler {

  /** Stages the candidate so it can receive traffic (e.g. creates the candidate Deployment). */
  Future<Void> prepare(Experiment experiment);

  /**
   * Makes the candidate the only version: the live object ends equal to what the user applied, so
   * kubectl, Helm and GitOps tools see no drift.
   */
  Future<Void> promote(Experiment experiment);

  /**
   * Makes the baseline the only version again and records the rejected template on the workload, so
   * the same template is not retried until it (or {@code iter8.tools/retry}) changes.
   */
  Future<Void> rollback(Experiment experiment, String reason);

  /** Removes the candidate of an experiment superseded by a newer version, without touching the rest. */
  Future<Void> abandon(Experiment experiment, String reason);
}
