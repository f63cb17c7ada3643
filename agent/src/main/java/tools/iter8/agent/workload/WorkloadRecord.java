package tools.iter8.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.routing.Experiments;
import tools.iter8.agent.routing.JsonPatch;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * The experiment state a workload keeps in its annotations ({@code docs/workloads.md}, "State on the
 * object"), read and ended the same way for every kind.
 *
 * <p>A workload belongs to the experiment named in {@code iter8.tools/experiment}. Promotion and rollback
 * act only while it still names this experiment, and every write that ends it carries a JSON Patch
 * {@code test} of that annotation, so a newer version applied meanwhile (which names a newer experiment)
 * is never overwritten. A workload that names no experiment was already ended: repeating the call only
 * finishes what is left (deleting a candidate). One that names another experiment was superseded, and
 * promoting or rolling back this one fails with a message saying so.
 */
final class WorkloadRecord {
  /** Annotations that mean "staged": they go when the baseline serves again or the candidate is promoted. */
  static final List<String> STAGING =
      List.of(WorkloadKeys.BASELINE_HASH, WorkloadKeys.BASELINE_SPEC, WorkloadKeys.BASELINE_TRAFFIC);

  /** Annotations of the running experiment. */
  static final List<String> EXPERIMENT =
      List.of(WorkloadKeys.EXPERIMENT, WorkloadKeys.EXPERIMENT_SPEC, WorkloadKeys.CANDIDATE_HASH);

  private WorkloadRecord() {}

  /**
   * The workload while it still belongs to the experiment; empty when it names no experiment (already
   * ended); a failed Future when it is missing or names another experiment.
   */
  static Future<Optional<JsonNode>> owned(KubernetesOps ops, ResourceKind kind, Experiment experiment) {
    ObjectReference ref = Experiments.targetRef(experiment);
    String namespace = Experiments.namespaceOf(ref, experiment);
    String what = ref.kind() + " " + namespace + "/" + ref.name();
    return ops.get(kind, namespace, ref.name())
        .map(
            found -> {
              JsonNode workload =
                  found.orElseThrow(
                      () ->
                          new WorkloadException(
                              what + " (spec.targetRef of experiment " + Experiments.key(experiment) + ") not found"));
              String recorded = annotation(workload, WorkloadKeys.EXPERIMENT);
              if (recorded == null) {
                return Optional.<JsonNode>empty();
              }
              if (!recorded.equals(Experiments.name(experiment))) {
                throw new WorkloadException(
                    what + " now records experiment " + recorded + ", which superseded " + Experiments.key(experiment)
                        + "; the workload is left to it (end this experiment by abandoning it)");
              }
              return Optional.of(workload);
            });
  }

  /** A patch that applies only while the workload still names the experiment. */
  static JsonPatch guarded(Experiment experiment) {
    return new JsonPatch()
        .test(JsonPatch.pointer("metadata", "annotations", WorkloadKeys.EXPERIMENT), Experiments.name(experiment));
  }

  /** Ends the record for a promoted candidate: nothing is staged any more. */
  static JsonPatch promoted(JsonPatch patch, JsonNode workload, Experiment experiment) {
    Map<String, String> set = Map.of(
        WorkloadKeys.STATUS,
        "promoted: template " + candidateHash(workload, experiment) + " won experiment " + Experiments.name(experiment));
    List<String> remove = new ArrayList<>(EXPERIMENT);
    remove.addAll(STAGING);
    return patch.annotations(workload, set, remove);
  }

  /**
   * Ends the record for a rejected candidate, so the webhook does not retry the template until it or
   * {@code iter8.tools/retry} changes. {@code staysStaged}: the rejected template is still the object's
   * (Knative), so the staging annotations stay.
   */
  static JsonPatch rejected(JsonPatch patch, JsonNode workload, Experiment experiment, String reason, boolean staysStaged) {
    String hash = candidateHash(workload, experiment);
    Map<String, String> set = new LinkedHashMap<>();
    set.put(WorkloadKeys.REJECTED_HASH, hash);
    set.put(WorkloadKeys.REJECTED_EXPERIMENT, Experiments.name(experiment));
    set.put(
        WorkloadKeys.STATUS,
        "rejected: template " + hash + " lost experiment " + Experiments.name(experiment) + ": " + reason);
    List<String> remove = new ArrayList<>(EXPERIMENT);
    // The webhook compares the retry value with rejected-retry; no retry value means no rejected-retry.
    String retry = annotation(workload, WorkloadKeys.RETRY);
    if (retry != null) {
      set.put(WorkloadKeys.REJECTED_RETRY, retry);
    } else {
      remove.add(WorkloadKeys.REJECTED_RETRY);
    }
    if (!staysStaged) {
      remove.addAll(STAGING);
    }
    return patch.annotations(workload, set, remove);
  }

  /** The tested template's hash: as the workload recorded it, else as the experiment names it. */
  static String candidateHash(JsonNode workload, Experiment experiment) {
    String recorded = annotation(workload, WorkloadKeys.CANDIDATE_HASH);
    if (recorded != null) {
      return recorded;
    }
    return Experiments.candidates(experiment).stream()
        .findFirst()
        .flatMap(c -> Experiments.variable(c, "hash"))
        .orElse("unknown");
  }

  static String annotation(JsonNode object, String key) {
    JsonNode value = object.at("/metadata/annotations").path(key);
    return value.isTextual() ? value.textValue() : null;
  }

  static String describe(JsonNode object) {
    return object.path("kind").asText("object") + " " + object.at("/metadata/namespace").asText() + "/"
        + object.at("/metadata/name").asText();
  }
}
