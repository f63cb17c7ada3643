package tools.iter8.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import tools.iter8.agent.routing.CandidatePods;
import tools.iter8.agent.routing.Experiments;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * The Deployment that runs a generated experiment's candidate, built from the labeled Deployment (pure).
 *
 * <p>The webhook paused the labeled Deployment with the new template, so its {@code spec.template} is the
 * candidate's. The copy keeps the spec (strategy, minReadySeconds, ...) except {@code paused} and
 * {@code replicas}, adds {@code iter8.tools/version: candidate} to the pod labels and the selector (the
 * labeled Deployment's ReplicaSets select by {@code pod-template-hash}, so they never adopt these pods,
 * while the Service, selecting the workload's labels, reaches both), keeps the workload's labels except
 * iter8's own (a copied {@code iter8.tools/watch} would make the candidate a watched workload itself), and
 * is owned by the Experiment, so deleting the Experiment deletes it.
 */
final class CandidateDeployment {
  private CandidateDeployment() {}

  static ObjectNode of(JsonNode target, Experiment experiment, String name, int replicas) {
    ObjectNode candidate = ApiMapper.json().createObjectNode();
    candidate.put("apiVersion", "apps/v1").put("kind", "Deployment");
    ObjectNode meta = candidate.putObject("metadata").put("name", name).put("namespace", target.at("/metadata/namespace").asText());
    ObjectNode labels = meta.putObject("labels");
    target.at("/metadata/labels").properties().forEach(e -> {
      if (!WorkloadKeys.isIter8(e.getKey())) {
        labels.set(e.getKey(), e.getValue().deepCopy());
      }
    });
    labels.put(CandidatePods.EXPERIMENT_LABEL, CandidatePods.labelValue(Experiments.name(experiment)));
    labels.put(CandidatePods.VERSION_LABEL, CandidatePods.CANDIDATE);
    String uid = experiment.metadata().uid();
    if (uid != null && !uid.isEmpty()) {
      meta.putArray("ownerReferences")
          .addObject()
          .put("apiVersion", Experiment.API_VERSION)
          .put("kind", Experiment.KIND)
          .put("name", Experiments.name(experiment))
          .put("uid", uid)
          .put("controller", true);
    }
    ObjectNode spec = target.path("spec").deepCopy();
    spec.remove(List.of("paused", "replicas"));
    spec.put("replicas", replicas);
    spec.withObjectProperty("selector").withObjectProperty("matchLabels")
        .put(CandidatePods.VERSION_LABEL, CandidatePods.CANDIDATE);
    spec.withObjectProperty("template").withObjectProperty("metadata").withObjectProperty("labels")
        .put(CandidatePods.VERSION_LABEL, CandidatePods.CANDIDATE);
    candidate.set("spec", spec);
    return candidate;
  }
}
