package tools.iter8.agent.workload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * Releases a labeled Knative Service (DESIGN §2.3). Both versions are revisions of the one Service, so
 * there is nothing to create or delete: the webhook pinned {@code spec.traffic} to the baseline revision,
 * the router moves the percents, and this handler ends the experiment.
 *
 * <ul>
 *   <li><b>prepare</b> does nothing: Knative creates the candidate revision from the new template.
 *   <li><b>promote</b> gives the user's own {@code spec.traffic} back (annotation {@code
 *       iter8.tools/baseline-traffic}; absent or {@code null}: no {@code spec.traffic}, so Knative routes
 *       100% to the latest revision, the candidate), and ends the record.
 *   <li><b>rollback</b> sends 100% to the baseline revision and records the rejected hash. The template is
 *       still the rejected one, so the Service stays staged ({@code baseline-hash} and {@code
 *       baseline-traffic} stay, as {@code docs/workloads.md} says).
 *   <li><b>abandon</b> does nothing: the newer experiment's staging already re-pinned the traffic, and
 *       Knative garbage-collects unrouted revisions itself.
 * </ul>
 */
public final class KnativeServiceHandler implements WorkloadHandler {
  private static final Logger LOG = LoggerFactory.getLogger(KnativeServiceHandler.class);

  private final KubernetesOps ops;

  public KnativeServiceHandler(KubernetesOps ops) {
    this.ops = ops;
  }

  @Override
  public Future<Void> prepare(Experiment experiment) {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> promote(Experiment experiment) {
    return Futures.safely(() -> WorkloadRecord.owned(ops, ResourceKind.KNATIVE_SERVICE, experiment))
        .map(s -> s.map(service -> promotion(experiment, service)))
        .compose(p -> send(experiment, p, "promoted"));
  }

  @Override
  public Future<Void> rollback(Experiment experiment, String reason) {
    return Futures.safely(() -> WorkloadRecord.owned(ops, ResourceKind.KNATIVE_SERVICE, experiment))
        .map(s -> s.map(service -> rollbackPatch(experiment, service, reason)))
        .compose(p -> send(experiment, p, "rolled back"));
  }

  @Override
  public Future<Void> abandon(Experiment experiment, String reason) {
    return Future.succeededFuture();
  }

  /** The patch and the Service it applies to. */
  private record Change(JsonNode service, JsonPatch patch) {}

  private static Change promotion(Experiment experiment, JsonNode service) {
    JsonPatch patch = WorkloadRecord.guarded(experiment);
    JsonNode traffic = userTraffic(service);
    if (traffic.isNull()) {
      if (service.at("/spec/traffic").isArray()) {
        patch.remove("/spec/traffic");
      }
    } else {
      patch.add("/spec/traffic", traffic);
    }
    return new Change(service, WorkloadRecord.promoted(patch, service, experiment));
  }

  private static Change rollbackPatch(Experiment experiment, JsonNode service, String reason) {
    String revision = baselineRevision(experiment, service);
    ArrayNode traffic = ApiMapper.json().createArrayNode();
    traffic.addObject().put("revisionName", revision).put("percent", 100);
    JsonPatch patch = WorkloadRecord.guarded(experiment).add("/spec/traffic", traffic);
    return new Change(service, WorkloadRecord.rejected(patch, service, experiment, reason, true));
  }

  private Future<Void> send(Experiment experiment, Optional<Change> change, String what) {
    if (change.isEmpty()) {
      return Future.succeededFuture();
    }
    JsonNode service = change.get().service();
    String namespace = service.at("/metadata/namespace").asText();
    String name = service.at("/metadata/name").asText();
    return ops.jsonPatch(ResourceKind.KNATIVE_SERVICE, namespace, name, change.get().patch().ops())
        .<Void>mapEmpty()
        .onSuccess(v -> LOG.info("experiment {}: Knative Service {} {}", Experiments.key(experiment), name, what));
  }

  /** The user's {@code spec.traffic} as the webhook saved it; a JSON null when the user set none. */
  private static JsonNode userTraffic(JsonNode service) {
    String saved = WorkloadRecord.annotation(service, WorkloadKeys.BASELINE_TRAFFIC);
    if (saved == null || saved.isBlank()) {
      return ApiMapper.json().nullNode();
    }
    try {
      JsonNode traffic = ApiMapper.json().readTree(saved);
      if (traffic.isNull() || traffic.isArray()) {
        return traffic;
      }
    } catch (IOException e) {
      // Reported below.
    }
    throw new WorkloadException(
        "cannot promote " + WorkloadRecord.describe(service) + ": annotation " + WorkloadKeys.BASELINE_TRAFFIC
            + " is not a JSON list of traffic targets or null; nothing was changed");
  }

  /** The baseline's revision: its {@code revision} variable, else the pinned entry that is not the latest. */
  private static String baselineRevision(Experiment experiment, JsonNode service) {
    return Experiments.variable(Experiments.baseline(experiment), "revision")
        .or(
            () -> {
              for (JsonNode entry : service.at("/spec/traffic")) {
                if (entry.hasNonNull("revisionName") && !entry.path("latestRevision").asBoolean(false)
                    && !"candidate".equals(entry.path("tag").asText(null))) {
                  return Optional.of(entry.get("revisionName").asText());
                }
              }
              return Optional.empty();
            })
        .orElseThrow(
            () ->
                new WorkloadException(
                    "cannot roll back " + WorkloadRecord.describe(service) + ": the baseline has no revision variable"
                        + " and spec.traffic names no baseline revision; nothing was changed"));
  }
}
