package tools.iter8.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.Optional;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.workload.WorkloadKeys;

/**
 * Reads the workload a generated experiment releases, to learn whether the experiment is still the one
 * the workload records (docs/workloads.md): a newer version, a re-applied baseline or a removed watch
 * label ends it.
 */
public final class TargetWorkloads {
  private final KubernetesOps ops;

  /** What the workload says now. {@code experiment} is empty when no experiment is recorded. */
  public record WorkloadState(boolean exists, boolean labeled, Optional<String> experiment) {
    static final WorkloadState GONE = new WorkloadState(false, false, Optional.empty());
  }

  public TargetWorkloads(KubernetesOps ops) {
    this.ops = ops;
  }

  public Future<WorkloadState> stateOf(Experiment e) {
    ObjectReference ref = e.spec().targetRef();
    Optional<ResourceKind> kind = ref == null ? Optional.empty() : ResourceKind.of(ref.apiVersion(), ref.kind());
    if (kind.isEmpty()) {
      return Future.succeededFuture(WorkloadState.GONE);
    }
    String ns = ref.namespace() != null ? ref.namespace() : e.metadata().namespace();
    return ops.get(kind.get(), ns, ref.name()).map(found -> found.map(TargetWorkloads::state).orElse(WorkloadState.GONE));
  }

  private static WorkloadState state(JsonNode w) {
    JsonNode meta = w.path("metadata");
    String recorded = meta.path("annotations").path(WorkloadKeys.EXPERIMENT).asText("");
    boolean labeled = "true".equals(meta.path("labels").path(WorkloadKeys.WATCH_LABEL).asText());
    return new WorkloadState(true, labeled, recorded.isEmpty() ? Optional.empty() : Optional.of(recorded));
  }
}
