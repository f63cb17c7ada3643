package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;

/**
 * KServe InferenceServices (serverless mode): {@code spec.predictor.canaryTrafficPercent: 0}, so KServe
 * creates the new predictor revision but keeps 100% of the traffic on the previous one. The previous
 * {@code spec.predictor} is kept as JSON in {@code iter8.tools/baseline-spec}: the agent restores it on
 * rollback. In RawDeployment mode there are no revisions (no {@code latestReadyRevision}): nothing to
 * compare, so writes pass untouched.
 */
final class InferenceServiceMutator implements WorkloadMutator {
  static final String CANARY_TRAFFIC_PERCENT = "canaryTrafficPercent";

  @Override
  public WorkloadKind kind() {
    return WorkloadKind.INFERENCE_SERVICE;
  }

  @Override
  public Optional<String> notComparable(JsonNode oldObject, boolean staged) {
    if (!staged && baselineRevision(oldObject, false) == null) {
      return Optional.of(
          "InferenceService has no ready predictor revision (status.components.predictor.latestReadyRevision;"
              + " canary rollouts need KServe's serverless mode), so there is no serving version to compare the"
              + " new one with");
    }
    return Optional.empty();
  }

  /** The revision with all the traffic (KServe's latest rolled-out one), else the latest ready one. */
  @Override
  public String baselineRevision(JsonNode oldObject, boolean staged) {
    JsonNode predictor = oldObject.path("status").path("components").path("predictor");
    for (String field : new String[] {"latestRolledoutRevision", "latestReadyRevision"}) {
      JsonNode r = predictor.path(field);
      if (r.isTextual() && !r.asText().isEmpty()) {
        return r.asText();
      }
    }
    return null;
  }

  @Override
  public String candidateRevision(JsonNode object) {
    return null;
  }

  @Override
  public void stage(ObjectNode object, JsonNode oldObject, boolean staged) {
    String kept = KubeObjects.annotation(oldObject, WorkloadKeys.BASELINE_SPEC);
    // While staged, the stored predictor is a candidate: the baseline's is the one recorded.
    String baselineSpec =
        staged && kept != null ? kept : KubeObjects.compactJson(oldObject.path("spec").path("predictor"));
    KubeObjects.setAnnotation(object, WorkloadKeys.BASELINE_SPEC, baselineSpec);
    object.withObjectProperty("spec").withObjectProperty("predictor").put(CANARY_TRAFFIC_PERCENT, 0);
  }

  /** Back to the baseline's own {@code canaryTrafficPercent}: usually none. */
  @Override
  public void unstage(ObjectNode object, JsonNode oldObject) {
    String kept = KubeObjects.annotation(oldObject, WorkloadKeys.BASELINE_SPEC);
    JsonNode baseline = kept == null ? null : ApiMapper.read(kept, JsonNode.class);
    if (!(object.path("spec").path("predictor") instanceof ObjectNode predictor)) {
      return;
    }
    JsonNode percent = baseline == null ? null : baseline.get(CANARY_TRAFFIC_PERCENT);
    if (percent == null || percent.isNull()) {
      predictor.remove(CANARY_TRAFFIC_PERCENT);
    } else {
      predictor.set(CANARY_TRAFFIC_PERCENT, percent.deepCopy());
    }
  }
}
