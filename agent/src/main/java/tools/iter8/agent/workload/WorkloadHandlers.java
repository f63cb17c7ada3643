package tools.iter8.agent.workload;

import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.routing.ReplicaSets;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.workload.WorkloadKind;

/**
 * Picks the workload handler of an experiment by the kind of its {@code spec.targetRef}: Deployment,
 * Knative Service or InferenceService. Experiments without a targetRef (hand-written ones routing through
 * {@code weightObjRef}s) have none: their promotion is the user's finish tasks' business, as in the
 * original.
 *
 * <p>Order with the router: call {@link tools.iter8.agent.routing.TrafficRouter#cleanup} before {@link
 * WorkloadHandler#promote} or {@link WorkloadHandler#rollback}. The handlers rewrite Knative's traffic and
 * KServe's percent (a cleanup afterwards would find no pinned traffic, or put the percent back), and with
 * Istio subsets managed for a Deployment the route must point at the Service again before the candidate is
 * deleted and the rollout replaces the baseline's ReplicaSet ({@code docs/routing.md}).
 */
public final class WorkloadHandlers {
  private final DeploymentHandler deployments;
  private final KnativeServiceHandler knativeServices;
  private final InferenceServiceHandler inferenceServices;

  public WorkloadHandlers(KubernetesOps ops, Vertx vertx, Clock clock, Duration readinessTimeout) {
    DeploymentReadiness readiness =
        new DeploymentReadiness(ops, vertx, clock, DeploymentReadiness.DEFAULT_INTERVAL, readinessTimeout);
    this.deployments = new DeploymentHandler(ops, new ReplicaSets(ops), readiness);
    this.knativeServices = new KnativeServiceHandler(ops);
    this.inferenceServices = new InferenceServiceHandler(ops);
  }

  public Optional<WorkloadHandler> forExperiment(Experiment experiment) {
    ObjectReference ref = experiment.spec() == null ? null : experiment.spec().targetRef();
    if (ref == null || ref.apiVersion() == null || ref.kind() == null) {
      return Optional.empty();
    }
    int slash = ref.apiVersion().indexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    return WorkloadKind.of(ref.apiVersion().substring(0, slash), ref.apiVersion().substring(slash + 1), ref.kind())
        .map(
            kind ->
                switch (kind) {
                  case DEPLOYMENT -> deployments;
                  case KNATIVE_SERVICE -> knativeServices;
                  case INFERENCE_SERVICE -> inferenceServices;
                });
  }
}
