package tools.iter8.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.kube.KubernetesApiException;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.workload.ExperimentTemplates;
import tools.iter8.core.workload.TemplateHash;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;

/**
 * The agent's side of zero-touch experiments (docs/workloads.md) for one labeled workload: it creates
 * the Experiment the webhook generated and recorded in {@code iter8.tools/experiment-spec}
 * (idempotently: the name is deterministic and a second create is a 409), merges the named template,
 * fills in the candidate's revision when Knative or KServe has created it, and reports a new version
 * that rolled out without passing through the webhook.
 */
public final class WorkloadReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadReconciler.class);
  static final String BYPASSED = "BypassedWebhook";
  private static final Duration REVISION_WAIT = Duration.ofSeconds(2);

  private final WorkloadKind kind;
  private final ResourceKind resource;
  private final KubernetesOps ops;
  private final EventRecorder events;
  private final Consumer<String> enqueueExperiment;
  private final Map<String, String> bypassed = new ConcurrentHashMap<>();

  public WorkloadReconciler(WorkloadKind kind, KubernetesOps ops, EventRecorder events, Consumer<String> enqueueExperiment) {
    this.kind = kind;
    this.resource = new ResourceKind(kind.group(), kind.version(), kind.plural(), kind.kind(), true);
    this.ops = ops;
    this.events = events;
    this.enqueueExperiment = enqueueExperiment;
  }

  public ResourceKind resource() {
    return resource;
  }

  /**
   * Called with the informer's old and new object. A labeled workload whose template changed while
   * neither the old nor the new object records staging or an experiment did not pass through the
   * webhook (it was down, and its failurePolicy is Ignore): the next pass reports it.
   *
   * @return whether the workload needs a pass
   */
  public boolean onUpdate(JsonNode oldObj, JsonNode newObj) {
    boolean labeled = "true".equals(newObj.path("metadata").path("labels").path(WorkloadKeys.WATCH_LABEL).asText());
    boolean wasLabeled = "true".equals(oldObj.path("metadata").path("labels").path(WorkloadKeys.WATCH_LABEL).asText());
    if (labeled && wasLabeled) {
      String before = TemplateHash.of(kind, oldObj);
      String after = TemplateHash.of(kind, newObj);
      if (!before.equals(after) && !recordsIter8State(oldObj) && !recordsIter8State(newObj)) {
        bypassed.put(key(newObj), after);
      }
    }
    return true;
  }

  private static boolean recordsIter8State(JsonNode obj) {
    JsonNode a = obj.path("metadata").path("annotations");
    return a.hasNonNull(WorkloadKeys.BASELINE_HASH) || a.hasNonNull(WorkloadKeys.EXPERIMENT);
  }

  private static String key(JsonNode obj) {
    return obj.path("metadata").path("namespace").asText() + "/" + obj.path("metadata").path("name").asText();
  }

  public Future<ReconcileResult> reconcile(Reconciliation rec) {
    return ops.get(resource, rec.namespace(), rec.name()).compose(found -> {
      if (found.isEmpty()) {
        bypassed.remove(rec.key());
        return Future.succeededFuture(ReconcileResult.done("workload deleted"));
      }
      JsonNode workload = found.get();
      return reportBypass(rec, workload).compose(v -> materialise(rec, workload));
    });
  }

  private Future<Void> reportBypass(Reconciliation rec, JsonNode workload) {
    String hash = bypassed.remove(rec.key());
    if (hash == null) {
      return Future.succeededFuture();
    }
    String msg = "template " + hash + " rolled out without an experiment: the iter8 webhook did not see this"
        + " write (was it down?); apply the next version with the webhook up, or re-apply this one after"
        + " changing iter8.tools/retry";
    events.warning(rec, workload, BYPASSED, msg);
    ObjectNode patch = ApiMapper.json().createObjectNode();
    patch.putObject("metadata").putObject("annotations").put(WorkloadKeys.STATUS, msg);
    return ops.mergePatch(resource, rec.namespace(), rec.name(), patch).mapEmpty();
  }

  private Future<ReconcileResult> materialise(Reconciliation rec, JsonNode workload) {
    JsonNode annotations = workload.path("metadata").path("annotations");
    String name = annotations.path(WorkloadKeys.EXPERIMENT).asText("");
    String spec = annotations.path(WorkloadKeys.EXPERIMENT_SPEC).asText("");
    if (name.isEmpty()) {
      return Future.succeededFuture(ReconcileResult.done("no experiment recorded"));
    }
    String experimentKey = rec.namespace() + "/" + name;
    return ops.get(ResourceKind.EXPERIMENT, rec.namespace(), name).compose(existing -> {
      if (existing.isPresent()) {
        // The experiment decides what a change of its workload means (a newer version, a removed label).
        enqueueExperiment.accept(experimentKey);
        return Future.succeededFuture(ReconcileResult.done("experiment exists"));
      }
      if (spec.isEmpty()) {
        return Future.succeededFuture(ReconcileResult.done("no experiment spec recorded"));
      }
      ObjectNode generated = (ObjectNode) ApiMapper.read(spec, JsonNode.class);
      Optional<String> missingRevision = fillCandidateRevision(generated, workload);
      if (missingRevision.isPresent()) {
        return Future.succeededFuture(ReconcileResult.requeueAfter(REVISION_WAIT, missingRevision.get()));
      }
      return withTemplate(rec, generated)
          .compose(experiment -> create(rec, experiment, workload))
          .map(v -> {
            enqueueExperiment.accept(experimentKey);
            return ReconcileResult.done("experiment " + experimentKey + " materialised");
          });
    });
  }

  /**
   * Knative and KServe name the candidate's revision only once they have created it; the built-in
   * metrics select on it, so the experiment waits for it.
   */
  private Optional<String> fillCandidateRevision(ObjectNode experiment, JsonNode workload) {
    if (kind == WorkloadKind.DEPLOYMENT) {
      return Optional.empty();
    }
    ArrayNode candidates = (ArrayNode) experiment.path("spec").path("versionInfo").path("candidates");
    if (candidates.isMissingNode() || candidates.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode candidate = (ObjectNode) candidates.get(0);
    ArrayNode vars = candidate.has("variables") ? (ArrayNode) candidate.get("variables") : candidate.putArray("variables");
    for (JsonNode v : vars) {
      if ("revision".equals(v.path("name").asText()) && !v.path("value").asText().isEmpty()) {
        return Optional.empty();
      }
    }
    String baselineRevision = "";
    for (JsonNode v : experiment.path("spec").path("versionInfo").path("baseline").path("variables")) {
      if ("revision".equals(v.path("name").asText())) {
        baselineRevision = v.path("value").asText();
      }
    }
    String latest = kind == WorkloadKind.KNATIVE_SERVICE
        ? workload.path("status").path("latestCreatedRevisionName").asText("")
        : workload.path("status").path("components").path("predictor").path("latestCreatedRevision").asText("");
    if (latest.isEmpty() || latest.equals(baselineRevision)) {
      return Optional.of("waiting for the candidate revision to be created");
    }
    vars.addObject().put("name", "revision").put("value", latest);
    return Optional.empty();
  }

  private Future<ObjectNode> withTemplate(Reconciliation rec, ObjectNode generated) {
    String template = generated.path("metadata").path("annotations").path(WorkloadKeys.TEMPLATE).asText("");
    if (template.isEmpty()) {
      return Future.succeededFuture(generated);
    }
    return ops.get(ResourceKind.EXPERIMENT, rec.namespace(), template).map(found -> {
      JsonNode t = found.orElse(null);
      boolean isTemplate = t != null && "true".equals(t.path("metadata").path("labels").path("iter8.tools/template").asText());
      if (!isTemplate) {
        LOG.warn("{}: template experiment {}/{} not found or not labeled iter8.tools/template=true; using the generated spec",
            rec, rec.namespace(), template);
        return generated;
      }
      Set<String> overrides = Arrays.stream(
              generated.path("metadata").path("annotations").path(WorkloadKeys.OVERRIDES).asText("").split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
      generated.set("spec", ExperimentTemplates.merge(generated.path("spec"), t.path("spec"), overrides));
      return generated;
    });
  }

  private Future<Void> create(Reconciliation rec, ObjectNode experiment, JsonNode workload) {
    ObjectNode meta = experiment.with("metadata");
    meta.put("namespace", rec.namespace());
    ArrayNode owners = meta.putArray("ownerReferences");
    // Deleting the workload deletes its experiments; the experiment never blocks the workload's deletion.
    owners.addObject()
        .put("apiVersion", workload.path("apiVersion").asText())
        .put("kind", workload.path("kind").asText())
        .put("name", workload.path("metadata").path("name").asText())
        .put("uid", workload.path("metadata").path("uid").asText())
        .put("blockOwnerDeletion", false)
        .put("controller", false);
    return ops.create(ResourceKind.EXPERIMENT, rec.namespace(), experiment)
        .<Void>mapEmpty()
        .recover(err -> err instanceof KubernetesApiException k && k.isConflict()
            ? Future.succeededFuture() : Future.failedFuture(err));
  }
}
