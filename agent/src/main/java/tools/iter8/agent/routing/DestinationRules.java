package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.Objects;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/**
 * The Istio DestinationRules iter8 owns for an experiment (subsets for a generated Deployment experiment,
 * a consistent hash for sticky sessions): created whole, brought back to the desired spec by a JSON
 * Patch that sets {@code spec} as a whole (iter8 owns it, and a whole value leaves no stale key behind,
 * say a header hash beside a new cookie hash), and deleted only by the experiment whose {@code iter8.tools/experiment} label they carry,
 * so a superseded experiment's cleanup cannot delete what its successor uses.
 */
final class DestinationRules {
  private final KubernetesOps ops;

  DestinationRules(KubernetesOps ops) {
    this.ops = ops;
  }

  /**
   * Creates the rule, or patches it to {@code spec} and to this experiment's label. With {@code owned},
   * the rule also gets an ownerReference to the Experiment, so deleting the Experiment removes it.
   */
  Future<Void> ensure(String namespace, String name, ObjectNode spec, Experiment experiment, boolean owned) {
    String label = CandidatePods.labelValue(Experiments.name(experiment));
    return ops.get(ResourceKind.DESTINATION_RULE, namespace, name)
        .compose(
            found -> {
              if (found.isEmpty()) {
                return ops.create(ResourceKind.DESTINATION_RULE, namespace, rule(namespace, name, spec, experiment, owned))
                    .mapEmpty();
              }
              JsonNode current = found.get();
              JsonPatch patch = new JsonPatch();
              if (!spec.equals(current.path("spec"))) {
                patch.add("/spec", spec);
              }
              JsonNode labels = current.at("/metadata/labels");
              if (!labels.isObject()) {
                patch.add("/metadata/labels", ApiMapper.json().createObjectNode().put(CandidatePods.EXPERIMENT_LABEL, label));
              } else if (!Objects.equals(label, labels.path(CandidatePods.EXPERIMENT_LABEL).textValue())) {
                patch.add(JsonPatch.pointer("metadata", "labels", CandidatePods.EXPERIMENT_LABEL), label);
              }
              return patch.isEmpty()
                  ? Future.succeededFuture()
                  : ops.jsonPatch(ResourceKind.DESTINATION_RULE, namespace, name, patch.ops()).mapEmpty();
            });
  }

  /** Deletes the rule if this experiment owns it (by label); absent or someone else's is left alone. */
  Future<Void> deleteIfOwned(String namespace, String name, Experiment experiment) {
    String label = CandidatePods.labelValue(Experiments.name(experiment));
    return ops.get(ResourceKind.DESTINATION_RULE, namespace, name)
        .compose(
            found ->
                found.isPresent()
                        && label.equals(found.get().at("/metadata/labels").path(CandidatePods.EXPERIMENT_LABEL).textValue())
                    ? ops.delete(ResourceKind.DESTINATION_RULE, namespace, name)
                    : Future.<Void>succeededFuture());
  }

  private static ObjectNode rule(String namespace, String name, ObjectNode spec, Experiment experiment, boolean owned) {
    ObjectNode rule = ApiMapper.json().createObjectNode();
    rule.put("apiVersion", ResourceKind.DESTINATION_RULE.apiVersion()).put("kind", ResourceKind.DESTINATION_RULE.kind());
    ObjectNode meta = rule.putObject("metadata").put("name", name).put("namespace", namespace);
    meta.putObject("labels")
        .put(CandidatePods.EXPERIMENT_LABEL, CandidatePods.labelValue(Experiments.name(experiment)))
        .put("app.kubernetes.io/managed-by", "iter8");
    String uid = experiment.metadata().uid();
    if (owned && uid != null && !uid.isEmpty()) {
      meta.putArray("ownerReferences")
          .addObject()
          .put("apiVersion", Experiment.API_VERSION)
          .put("kind", Experiment.KIND)
          .put("name", Experiments.name(experiment))
          .put("uid", uid);
    }
    rule.set("spec", spec);
    return rule;
  }
}
