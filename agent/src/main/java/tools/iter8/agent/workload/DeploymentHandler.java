package tools.iter8.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.kube.KubernetesApiException;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.routing.Experiments;
import tools.iter8.agent.routing.Futures;
import tools.iter8.agent.routing.JsonPatch;
import tools.iter8.agent.routing.ReplicaSets;
import tools.iter8.agent.routing.TrafficRouters;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Router;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * Releases a labeled Deployment (DESIGN §2.3). The webhook paused it with the new template, so its old
 * ReplicaSet keeps serving the baseline; the candidate runs as its own Deployment, named by the
 * candidate's {@code workload} variable ({@code <workload>-<id>}, the experiment's name).
 *
 * <ul>
 *   <li><b>prepare</b> creates the candidate Deployment ({@link CandidateDeployment}) with 0 replicas
 *       under the Replicas and Istio routers, which start it when they can route to it (its pods would
 *       otherwise share the Service's traffic at once); with the labeled Deployment's replicas under other
 *       routers (Gateway API), which need running pods behind their own backend. Creating it again is a
 *       no-op.
 *   <li><b>promote</b> unpauses the Deployment (it has no record of a user's own pause, so {@code paused}
 *       is removed), waits until it is available with the new template, deletes the candidate, and only
 *       then ends the record, so a promotion interrupted at any point is finished by repeating it.
 *   <li><b>rollback</b> restores the baseline template from the ReplicaSet running it, unpauses and ends
 *       the record with the rejected hash in one JSON Patch (the webhook sees the baseline come back and
 *       lets it pass), then deletes the candidate. With no such ReplicaSet nothing is written: the
 *       Deployment stays paused on the rejected template and the candidate keeps running, so no version
 *       is half rolled out, and the error says so.
 *   <li><b>abandon</b> deletes the candidate Deployment only.
 * </ul>
 */
public final class DeploymentHandler implements WorkloadHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentHandler.class);

  private final KubernetesOps ops;
  private final ReplicaSets replicaSets;
  private final DeploymentReadiness readiness;

  public DeploymentHandler(KubernetesOps ops, ReplicaSets replicaSets, DeploymentReadiness readiness) {
    this.ops = ops;
    this.replicaSets = replicaSets;
    this.readiness = readiness;
  }

  /** The Deployment and the template that makes it the baseline again. */
  private record Restore(JsonNode deployment, JsonNode template) {}

  @Override
  public Future<Void> prepare(Experiment experiment) {
    return Futures.safely(() -> target(experiment))
        .map(d -> CandidateDeployment.of(d, experiment, candidateName(experiment), initialReplicas(experiment, d)))
        .compose(candidate -> ops.create(ResourceKind.DEPLOYMENT, Experiments.namespace(experiment), candidate))
        .<Void>mapEmpty()
        .recover(e -> alreadyExists(e) ? Future.succeededFuture() : Future.failedFuture(e))
        .onSuccess(v -> LOG.info("experiment {}: candidate Deployment {} is in place", Experiments.key(experiment),
            candidateName(experiment)));
  }

  @Override
  public Future<Void> promote(Experiment experiment) {
    return Futures.safely(() -> WorkloadRecord.owned(ops, ResourceKind.DEPLOYMENT, experiment))
        .compose(d -> unpause(experiment, d))
        .compose(d -> awaitAvailable(d))
        .compose(d -> deleteCandidate(experiment).map(d))
        .compose(d -> endPromotion(experiment, d));
  }

  @Override
  public Future<Void> rollback(Experiment experiment, String reason) {
    return Futures.safely(() -> WorkloadRecord.owned(ops, ResourceKind.DEPLOYMENT, experiment))
        .compose(d -> baselineTemplate(experiment, d))
        .compose(r -> restore(experiment, r, reason))
        .compose(v -> deleteCandidate(experiment));
  }

  @Override
  public Future<Void> abandon(Experiment experiment, String reason) {
    return Futures.safely(() -> deleteCandidate(experiment))
        .onSuccess(v -> LOG.info("experiment {} abandoned ({}): candidate Deployment {} deleted",
            Experiments.key(experiment), reason, candidateName(experiment)));
  }

  private Future<Optional<JsonNode>> unpause(Experiment experiment, Optional<JsonNode> deployment) {
    if (deployment.isEmpty() || !deployment.get().at("/spec/paused").isBoolean()) {
      return Future.succeededFuture(deployment);
    }
    JsonNode d = deployment.get();
    JsonPatch patch = WorkloadRecord.guarded(experiment).remove("/spec/paused");
    return ops.jsonPatch(ResourceKind.DEPLOYMENT, namespaceOf(d), nameOf(d), patch.ops()).map(Optional::of);
  }

  private Future<Optional<JsonNode>> awaitAvailable(Optional<JsonNode> deployment) {
    if (deployment.isEmpty()) {
      return Future.succeededFuture(deployment);
    }
    return readiness.awaitAvailable(namespaceOf(deployment.get()), nameOf(deployment.get())).map(Optional::of);
  }

  private Future<Void> endPromotion(Experiment experiment, Optional<JsonNode> deployment) {
    if (deployment.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonNode d = deployment.get();
    JsonPatch patch = WorkloadRecord.promoted(WorkloadRecord.guarded(experiment), d, experiment);
    return ops.jsonPatch(ResourceKind.DEPLOYMENT, namespaceOf(d), nameOf(d), patch.ops())
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("experiment {}: Deployment {} promoted", Experiments.key(experiment), nameOf(d)));
  }

  private Future<Optional<Restore>> baselineTemplate(Experiment experiment, Optional<JsonNode> deployment) {
    if (deployment.isEmpty()) {
      return Future.succeededFuture(Optional.empty());
    }
    JsonNode d = deployment.get();
    String hash = WorkloadRecord.annotation(d, WorkloadKeys.BASELINE_HASH);
    if (hash == null) {
      hash = Experiments.variable(Experiments.baseline(experiment), "hash").orElse(null);
    }
    if (hash == null) {
      return Future.failedFuture(
          new WorkloadException(
              "cannot roll back " + WorkloadRecord.describe(d) + ": it records no " + WorkloadKeys.BASELINE_HASH
                  + "; nothing was changed"));
    }
    String baselineHash = hash;
    return replicaSets.withTemplateHash(d, baselineHash)
        .map(
            rs ->
                rs.map(r -> new Restore(d, ReplicaSets.templateOf(r)))
                    .orElseThrow(
                        () ->
                            new WorkloadException(
                                "cannot roll back " + WorkloadRecord.describe(d) + ": no ReplicaSet it owns runs the"
                                    + " baseline template " + baselineHash + ". Nothing was changed: the Deployment"
                                    + " stays paused on the rejected template and the candidate Deployment "
                                    + candidateName(experiment) + " keeps running; restore the template by hand")))
        .map(Optional::of);
  }

  private Future<Void> restore(Experiment experiment, Optional<Restore> restore, String reason) {
    if (restore.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonNode d = restore.get().deployment();
    JsonPatch patch = WorkloadRecord.guarded(experiment).replace("/spec/template", restore.get().template());
    if (d.at("/spec/paused").isBoolean()) {
      patch.remove("/spec/paused");
    }
    WorkloadRecord.rejected(patch, d, experiment, reason, false);
    return ops.jsonPatch(ResourceKind.DEPLOYMENT, namespaceOf(d), nameOf(d), patch.ops())
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("experiment {}: Deployment {} rolled back to its baseline template ({})",
            Experiments.key(experiment), nameOf(d), reason));
  }

  private Future<Void> deleteCandidate(Experiment experiment) {
    return ops.delete(ResourceKind.DEPLOYMENT, Experiments.namespace(experiment), candidateName(experiment));
  }

  private Future<JsonNode> target(Experiment experiment) {
    var ref = Experiments.targetRef(experiment);
    String namespace = Experiments.namespaceOf(ref, experiment);
    return ops.get(ResourceKind.DEPLOYMENT, namespace, ref.name())
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new WorkloadException(
                            "Deployment " + namespace + "/" + ref.name() + " (spec.targetRef of experiment "
                                + Experiments.key(experiment) + ") not found")));
  }

  /** The candidate Deployment's name: the candidate's {@code workload} variable. */
  private static String candidateName(Experiment experiment) {
    VersionDetail candidate = Experiments.onlyCandidate(experiment, "a Deployment experiment");
    return Experiments.requireVariable(experiment, candidate, "workload");
  }

  private static int initialReplicas(Experiment experiment, JsonNode target) {
    Router router;
    try {
      router = TrafficRouters.routerOf(experiment);
    } catch (RuntimeException e) {
      router = Router.REPLICAS;
    }
    return router == Router.REPLICAS || router == Router.ISTIO ? 0 : target.at("/spec/replicas").asInt(1);
  }

  private static boolean alreadyExists(Throwable e) {
    return e instanceof KubernetesApiException k && k.isConflict();
  }

  private static String namespaceOf(JsonNode object) {
    return object.at("/metadata/namespace").asText();
  }

  private static String nameOf(JsonNode object) {
    return object.at("/metadata/name").asText();
  }
}
