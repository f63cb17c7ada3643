package tools.iter8.webhook.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;

/**
 * Knative Services: {@code spec.traffic} pinned to the ready revision (100%) and the latest revision (0%,
 * tag {@code candidate}). Knative still creates the new revision, so it can be probed through its tag
 * URL, but it gets no traffic until the agent moves the weights. The user's own {@code spec.traffic}
 * (or its absence, as {@code null}) is kept in {@code iter8.tools/baseline-traffic} and restored when the
 * object is unstaged, so the live object ends as the user wrote it.
 */
final class KnativeServiceMutator implements WorkloadMutator {
  static final String CANDIDATE_TAG = "candidate";

  @Override
  public WorkloadKind kind() {
    return WorkloadKind.KNATIVE_SERVICE;
  }

  @Override
  public Optional<String> notComparable(JsonNode oldObject, boolean staged) {
    if (baselineRevision(oldObject, staged) == null) {
      return Optional.of(
          "Knative Service has no ready revision yet (status.latestReadyRevisionName), so there is no"
              + " serving version to compare the new one with");
    }
    return Optional.empty();
  }

  /**
   * While staged, the baseline is the revision the pin names (the latest ready revision may by now be a
   * candidate); otherwise the latest ready revision.
   */
  @Override
  public String baselineRevision(JsonNode oldObject, boolean staged) {
    if (staged) {
      for (JsonNode t : oldObject.path("spec").path("traffic")) {
        if (t.path("revisionName").isTextual() && !CANDIDATE_TAG.equals(t.path("tag").asText())) {
          return t.path("revisionName").asText();
        }
      }
    }
    JsonNode ready = oldObject.path("status").path("latestReadyRevisionName");
    return ready.isTextual() && !ready.asText().isEmpty() ? ready.asText() : null;
  }

  /** A revision name chosen by the user ({@code spec.template.metadata.name}) is known in advance. */
  @Override
  public String candidateRevision(JsonNode object) {
    JsonNode name = object.at("/spec/template/metadata/name");
    return name.isTextual() && !name.asText().isEmpty() ? name.asText() : null;
  }

  @Override
  public void stage(ObjectNode object, JsonNode oldObject, boolean staged) {
    String baseline = baselineRevision(oldObject, staged);
    JsonNode traffic = object.path("spec").path("traffic");
    String kept = KubeObjects.annotation(oldObject, WorkloadKeys.BASELINE_TRAFFIC);
    boolean carriedOver = traffic.equals(oldObject.path("spec").path("traffic"));
    // While staged, spec.traffic is our pin (carried over by the apply): the user's own is the recorded
    // one. Traffic the writer changed is theirs.
    String userTraffic = staged && kept != null && carriedOver ? kept : KubeObjects.compactJson(traffic);
    KubeObjects.setAnnotation(object, WorkloadKeys.BASELINE_TRAFFIC, userTraffic);

    ArrayNode pin = object.withObjectProperty("spec").putArray("traffic");
    ObjectNode b = pin.addObject();
    b.put("revisionName", baseline);
    b.put("percent", 100);
    ObjectNode c = pin.addObject();
    c.put("latestRevision", true);
    c.put("percent", 0);
    c.put("tag", CANDIDATE_TAG);
  }

  @Override
  public void unstage(ObjectNode object, JsonNode oldObject) {
    String kept = KubeObjects.annotation(oldObject, WorkloadKeys.BASELINE_TRAFFIC);
    JsonNode traffic = object.path("spec").path("traffic");
    if (kept == null || !traffic.equals(oldObject.path("spec").path("traffic"))) {
      return; // nothing recorded, or the writer set traffic itself (the agent's rollback does)
    }
    JsonNode userTraffic = ApiMapper.read(kept, JsonNode.class);
    if (userTraffic == null || userTraffic.isNull()) {
      object.withObjectProperty("spec").remove("traffic");
    } else {
      object.withObjectProperty("spec").set("traffic", userTraffic);
    }
  }
}
