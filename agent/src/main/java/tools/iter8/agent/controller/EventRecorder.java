package tools.iter8.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.atomic.AtomicLong;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/**
 * Writes a Kubernetes Event on the experiment for every stage change and decision, so
 * {@code kubectl describe experiment} and {@code kubectl get events} tell the story. Events are best
 * effort: a failure to write one is logged, never fails the reconcile.
 */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  private final KubernetesOps ops;
  private final String component;
  private final Clock clock;

  public EventRecorder(KubernetesOps ops, String component, Clock clock) {
    this.ops = ops;
    this.component = component;
    this.clock = clock;
  }

  public void normal(Reconciliation rec, Experiment e, String reason, String message) {
    record(rec, about(e), "Normal", reason, message);
  }

  public void warning(Reconciliation rec, Experiment e, String reason, String message) {
    record(rec, about(e), "Warning", reason, message);
  }

  /** A warning on any object, e.g. a workload whose new version bypassed the webhook. */
  public void warning(Object logName, JsonNode object, String reason, String message) {
    ObjectNode involved = ApiMapper.json().createObjectNode();
    JsonNode meta = object.path("metadata");
    involved.put("apiVersion", object.path("apiVersion").asText()).put("kind", object.path("kind").asText())
        .put("namespace", meta.path("namespace").asText()).put("name", meta.path("name").asText());
    if (meta.hasNonNull("uid")) {
      involved.put("uid", meta.get("uid").asText());
    }
    record(logName, involved, "Warning", reason, message);
  }

  private static ObjectNode about(Experiment e) {
    ObjectNode involved = ApiMapper.json().createObjectNode();
    involved.put("apiVersion", Experiment.API_VERSION).put("kind", Experiment.KIND)
        .put("namespace", e.metadata().namespace()).put("name", e.metadata().name());
    if (e.metadata().uid() != null) {
      involved.put("uid", e.metadata().uid());
    }
    if (e.metadata().resourceVersion() != null) {
      involved.put("resourceVersion", e.metadata().resourceVersion());
    }
    return involved;
  }

  private void record(Object logName, ObjectNode involved, String type, String reason, String message) {
    Instant now = clock.instant();
    ObjectNode ev = ApiMapper.json().createObjectNode();
    ev.put("apiVersion", "v1").put("kind", "Event");
    ObjectNode meta = ev.putObject("metadata");
    String namespace = involved.path("namespace").asText();
    meta.put("name", involved.path("name").asText() + "." + Long.toHexString(now.toEpochMilli())
        + Long.toHexString(SEQUENCE.incrementAndGet() & 0xfff));
    meta.put("namespace", namespace);
    ev.set("involvedObject", involved);
    ev.put("type", type).put("reason", reason).put("message", message).put("count", 1);
    ev.put("firstTimestamp", now.toString()).put("lastTimestamp", now.toString());
    ev.putObject("source").put("component", component);
    ev.put("reportingComponent", component);
    LOG.info("{}: {} {}: {}", logName, type.toLowerCase(Locale.ROOT), reason, message);
    ops.create(ResourceKind.EVENT, namespace, ev)
        .onFailure(err -> LOG.warn("{}: could not record event {}: {}", logName, reason, err.getMessage()));
  }
}
