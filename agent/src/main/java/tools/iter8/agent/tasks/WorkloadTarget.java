package tools.iter8.agent.tasks;

import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.Function;
import tools.iter8.agent.workload.WorkloadHandler;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;

/**
 * The workload an experiment releases ({@code spec.targetRef}) and its {@link WorkloadHandler}, for the
 * promotion and rollback tasks. Hand-written experiments have no targetRef: their traffic is moved by
 * weightObjRefs or a router, so the final traffic split is the whole release.
 */
final class WorkloadTarget {
  private WorkloadTarget() {}

  /** {@code Deployment shop/backend}, the namespace defaulting to the experiment's. */
  static String describe(Experiment experiment) {
    ObjectReference ref = experiment.spec().targetRef();
    String ns = ref.namespace() == null || ref.namespace().isBlank() ? experiment.metadata().namespace() : ref.namespace();
    return ref.kind() + " " + ns + "/" + ref.name();
  }

  static boolean present(Experiment experiment) {
    return experiment.spec() != null && experiment.spec().targetRef() != null;
  }

  /** The handler, or a failure naming the workload nobody handles. */
  static Future<WorkloadHandler> handler(Function<Experiment, Optional<WorkloadHandler>> handlers, Experiment experiment) {
    Optional<WorkloadHandler> handler;
    try {
      handler = handlers.apply(experiment);
    } catch (RuntimeException e) {
      return Future.failedFuture(new TaskException("no workload handler for " + describe(experiment) + ": " + e.getMessage()));
    }
    return handler
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new TaskException(
            "no workload handler for " + describe(experiment)
                + ": the agent promotes and rolls back Deployments, Knative Services and InferenceServices")));
  }

  static String reason(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
