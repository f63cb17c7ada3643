package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.VersionDetail;

/**
 * Splits traffic of the {@code spec.targetRef} KServe InferenceService ({@code serving.kserve.io/v1beta1})
 * through {@code spec.predictor.canaryTrafficPercent}: the candidate (the latest predictor revision) gets
 * that share, the baseline (the previous ready revision) the rest.
 *
 * <p>Without the field KServe sends everything to the latest revision, so an absent value reads as
 * candidate 100; while a version is staged the webhook keeps it at 0.
 */
public final class KServeRouter implements TrafficRouter {
  static final String POINTER = "/spec/predictor/canaryTrafficPercent";

  private final KubernetesOps ops;

  public KServeRouter(KubernetesOps ops) {
    this.ops = ops;
  }

  @Override
  public Future<Map<String, Integer>> read(Experiment experiment) {
    return Futures.safely(() -> inferenceService(experiment))
        .map(
            isvc -> {
              JsonNode percent = isvc.at(POINTER);
              int candidate = percent.isMissingNode() || percent.isNull() ? 100 : percent.asInt();
              Map<String, Integer> weights = new LinkedHashMap<>();
              weights.put(Experiments.baseline(experiment).name(), 100 - candidate);
              weights.put(Experiments.onlyCandidate(experiment, "router KServe").name(), candidate);
              return weights;
            });
  }

  @Override
  public Future<Void> apply(Experiment experiment, Map<String, Integer> weights) {
    return Futures.safely(() -> inferenceService(experiment))
        .compose(
            isvc -> {
              VersionDetail candidate = Experiments.onlyCandidate(experiment, "router KServe");
              int w = Experiments.weight(experiment, weights, candidate.name());
              JsonNode current = isvc.at(POINTER);
              if (current.isInt() && current.intValue() == w) {
                return Future.succeededFuture();
              }
              JsonNode meta = isvc.path("metadata");
              String where = "InferenceService " + meta.path("namespace").asText() + "/" + meta.path("name").asText();
              if (!isvc.path("spec").path("predictor").isObject()) {
                throw new RoutingException(where + " has no spec.predictor");
              }
              return ops.jsonPatch(
                      ResourceKind.INFERENCE_SERVICE, meta.path("namespace").asText(), meta.path("name").asText(),
                      new JsonPatch().add(POINTER, w).ops())
                  .mapEmpty();
            });
  }

  private Future<JsonNode> inferenceService(Experiment experiment) {
    ObjectReference ref = Experiments.targetRef(experiment);
    String namespace = Experiments.namespaceOf(ref, experiment);
    return ops.get(ResourceKind.INFERENCE_SERVICE, namespace, ref.name())
        .map(
            found ->
                found.orElseThrow(
                    () ->
                        new RoutingException(
                            "InferenceService " + namespace + "/" + ref.name() + " (spec.targetRef of experiment "
                                + Experiments.key(experiment) + ") not found")));
  }
}
