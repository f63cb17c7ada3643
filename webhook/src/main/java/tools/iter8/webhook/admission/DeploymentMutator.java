package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import tools.iter8.core.workload.WorkloadKind;

/**
 * Deployments (sidecar-free): {@code spec.paused: true}. A paused Deployment accepts the new pod template
 * but creates no new ReplicaSet, so the old one keeps serving; the agent runs the candidate as its own
 * Deployment and, on promotion, unpauses this one.
 */
final class DeploymentMutator implements WorkloadMutator {

  @Override
  public WorkloadKind kind() {
    return WorkloadKind.DEPLOYMENT;
  }

  @Override
  public Optional<String> notComparable(JsonNode oldObject, boolean staged) {
    return Optional.empty();
  }

  @Override
  public String baselineRevision(JsonNode oldObject, boolean staged) {
    return null;
  }

  @Override
  public String candidateRevision(JsonNode object) {
    return null;
  }

  @Override
  public void stage(ObjectNode object, JsonNode oldObject, boolean staged) {
    object.withObjectProperty("spec").put("paused", true);
  }

  @Override
  public void unstage(ObjectNode object, JsonNode oldObject) {
    if (object.path("spec").path("paused").asBoolean(false)) {
      object.withObjectProperty("spec").remove("paused");
    }
  }
}
