package tools.iter8.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.routing.Experiments;
import tools.iter8.agent.routing.Futures;
import tools.iter8.agent.routing.JsonPatch;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * Releases a labeled KServe InferenceService (DESIGN §2.3). The webhook set {@code
 * spec.predictor.canaryTrafficPercent: 0}, so KServe keeps the previous predictor revision serving while
 * the new one (the candidate) starts; the router moves that percent.
 *
 * <ul>
 *   <li><b>prepare</b> does nothing: KServe creates the candidate revision.
 *   <li><b>promote</b> removes {@code canaryTrafficPercent} (KServe then sends 100% to the latest revision)
 *       and ends the record; the object is then what the user applied.
 *   <li><b>rollback</b> puts back the previous predictor from the annotation {@code
 *       iter8.tools/baseline-spec}, without {@code canaryTrafficPercent}, and records the rejected hash.
 *       KServe rolls out that predictor as a new revision of the old model.
 *   <li><b>abandon</b> does nothing: both versions are revisions of the one object.
 * </ul>
 */
public final class InferenceServiceHandler implements WorkloadHandler {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServiceHandler.class);
  private static final String CANARY = "/spec/predictor/canaryTrafficPercent";

  private final KubernetesOps ops;

  public InferenceServiceHandler(KubernetesOps ops) {
    this.ops = ops;
  }

  /** The patch and the InferenceService it applies to. */
  private record Change(JsonNode isvc, JsonPatch patch) {}

  @Override
  public Future<Void> prepare(Experiment experiment) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> promote(Experiment experiment) {
    return Futures.safely(() -> WorkloadRecord.owned(ops, ResourceKind.INFERENCE_SERVICE, experiment))
        .map(i -> i.map(isvc -> promotion(experiment, isvc)))
        .compose(c -> send(experiment, c, "promoted"));
  }

  @Override
  public Future<Void> rollback(Experiment experiment, String reason) {
    return Futures.safely(() -> WorkloadRecord.owned(ops, ResourceKind.INFERENCE_SERVICE, experiment))
        .map(i -> i.map(isvc -> rollbackPatch(experiment, isvc, reason)))
        .compose(c -> send(experiment, c, "rolled back"));
  }

  @Override
  public Future<Void> abandon(Experiment experiment, String reason) {
    return Future.succeededFuture();
  }

  private static Change promotion(Experiment experiment, JsonNode isvc) {
    JsonPatch patch = WorkloadRecord.guarded(experiment);
    if (!isvc.at(CANARY).isMissingNode()) {
      patch.remove(CANARY);
    }
    return new Change(isvc, WorkloadRecord.promoted(patch, isvc, experiment));
  }

  private static Change rollbackPatch(Experiment experiment, JsonNode isvc, String reason) {
    JsonPatch patch = WorkloadRecord.guarded(experiment).replace("/spec/predictor", baselinePredictor(isvc));
    return new Change(isvc, WorkloadRecord.rejected(patch, isvc, experiment, reason, false));
  }

  private Future<Void> send(Experiment experiment, Optional<Change> change, String what) {
    if (change.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonNode isvc = change.get().isvc();
    String namespace = isvc.at("/metadata/namespace").asText();
    String name = isvc.at("/metadata/name").asText();
    return ops.jsonPatch(ResourceKind.INFERENCE_SERVICE, namespace, name, change.get().patch().ops())
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("experiment {}: InferenceService {} {}", Experiments.key(experiment), name, what));
  }

  /** The predictor saved by the webhook, without {@code canaryTrafficPercent}. */
  private static ObjectNode baselinePredictor(JsonNode isvc) {
    String saved = WorkloadRecord.annotation(isvc, WorkloadKeys.BASELINE_SPEC);
    if (saved != null) {
      try {
        if (ApiMapper.json().readTree(saved) instanceof ObjectNode predictor) {
          predictor.remove("canaryTrafficPercent");
          return predictor;
        }
      } catch (IOException e) {
        // Reported below.
      }
    }
    throw new WorkloadException(
        "cannot roll back " + WorkloadRecord.describe(isvc) + ": annotation " + WorkloadKeys.BASELINE_SPEC
            + (saved == null ? " is missing" : " is not a JSON object") + ", so the previous predictor is unknown;"
            + " nothing was changed and the candidate keeps its share of traffic");
  }
}
