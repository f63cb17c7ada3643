package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.workload.TemplateHash;

/**
 * Finds the ReplicaSet that runs a given version of a Deployment. A paused Deployment keeps its old
 * ReplicaSet serving the baseline; that ReplicaSet's pod template, without the {@code pod-template-hash}
 * label the Deployment controller adds, is the baseline template exactly, so its {@link TemplateHash} is
 * the {@code iter8.tools/baseline-hash} the webhook recorded. Rollback restores the template from it, and
 * the Istio router selects the baseline's pods by its {@code pod-template-hash}.
 */
public final class ReplicaSets {
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";

  private final KubernetesOps ops;

  public ReplicaSets(KubernetesOps ops) {
    this.ops = ops;
  }

  /** The ReplicaSet owned by {@code deployment} whose template hashes to {@code templateHash}. */
  public Future<Optional<JsonNode>> withTemplateHash(JsonNode deployment, String templateHash) {
    String namespace = deployment.at("/metadata/namespace").asText();
    String uid = deployment.at("/metadata/uid").asText();
    return ops.list(ResourceKind.REPLICA_SET, namespace, selector(deployment))
        .map(
            (List<JsonNode> all) ->
                all.stream()
                    .filter(rs -> ownedBy(rs, uid))
                    .filter(rs -> templateHash.equals(TemplateHash.of(templateOf(rs))))
                    .findFirst());
  }

  /** The ReplicaSet's pod template as the Deployment had it: without the controller's {@code pod-template-hash}. */
  public static JsonNode templateOf(JsonNode replicaSet) {
    JsonNode template = replicaSet.at("/spec/template");
    if (!template.isObject()) {
      return template;
    }
    ObjectNode copy = template.deepCopy();
    if (copy.path("metadata").path("labels") instanceof ObjectNode labels) {
      labels.remove(POD_TEMPLATE_HASH);
      if (labels.isEmpty()) {
        ((ObjectNode) copy.get("metadata")).remove("labels");
      }
    }
    return copy;
  }

  private static boolean ownedBy(JsonNode replicaSet, String uid) {
    for (JsonNode owner : replicaSet.at("/metadata/ownerReferences")) {
      if (uid.equals(owner.path("uid").asText()) && "Deployment".equals(owner.path("kind").asText())) {
        return true;
      }
    }
    return false;
  }

  /** The Deployment's matchLabels as a label selector, to list fewer ReplicaSets; null when it has none. */
  private static String selector(JsonNode deployment) {
    JsonNode matchLabels = deployment.at("/spec/selector/matchLabels");
    if (!matchLabels.isObject() || matchLabels.isEmpty()) {
      return null;
    }
    StringJoiner s = new StringJoiner(",");
    matchLabels.properties().forEach(e -> s.add(e.getKey() + "=" + e.getValue().asText()));
    return s.toString();
  }
}
