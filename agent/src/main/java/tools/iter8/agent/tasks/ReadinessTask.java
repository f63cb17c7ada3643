package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ObjectReference;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.VersionInfo;
import tools.iter8.core.tasks.BuiltinTask;

/**
 * {@code common/readiness}: waits until Kubernetes objects exist and meet their {@code waitFor}
 * (reference §4.7). Inputs and defaults as the original: {@code initialDelaySeconds} (5),
 * {@code numRetries} (12), {@code intervalSeconds} (5), {@code objRefs: [{kind, apiVersion?, namespace?,
 * name, waitFor?}]}; the namespace defaults to the experiment's. Every {@code versionInfo} weightObjRef
 * object must exist too, as the original's docs promise (its code had that part commented out).
 *
 * <p>The first check runs after the initial delay, then up to {@code numRetries} more, one interval apart
 * ({@code 1 + numRetries} checks, as the original). An object once ready is not checked again. The waits
 * are Vert.x timers, so no thread blocks, and the whole wait is bounded: inputs whose worst case exceeds
 * the limit are rejected up front. Kinds are resolved by {@link KindResolver} and conditions evaluated by
 * {@link WaitCondition}; an unknown kind or an unsupported {@code waitFor} fails at once. A Kubernetes API
 * error counts as "not ready yet" (it may be transient) and is reported if it outlasts the retries.
 * Seconds may be fractional.
 */
public final class ReadinessTask implements Task {
  private static final Logger LOG = LoggerFactory.getLogger(ReadinessTask.class);

  /** The longest wait a task may plan: an hour is far beyond any rollout and still ends a typo's wait. */
  public static final Duration DEFAULT_MAX_WAIT = Duration.ofHours(1);

  static final double DEFAULT_INITIAL_DELAY_SECONDS = 5;
  static final long DEFAULT_NUM_RETRIES = 12;
  static final double DEFAULT_INTERVAL_SECONDS = 5;

  private final Vertx vertx;
  private final KubernetesOps kubernetes;
  private final Duration maxWait;

  public ReadinessTask(Vertx vertx, KubernetesOps kubernetes, Duration maxWait) {
    this.vertx = vertx;
    this.kubernetes = kubernetes;
    this.maxWait = maxWait;
  }

  public ReadinessTask(Vertx vertx, KubernetesOps kubernetes) {
    this(vertx, kubernetes, DEFAULT_MAX_WAIT);
  }

  @Override
  public String name() {
    return BuiltinTask.READINESS.taskName();
  }

  /** One object to check. */
  private record Check(ResourceKind kind, String namespace, String name, WaitCondition condition) {
    String describe() {
      return kind.kind() + " " + namespace + "/" + name + " (" + kind.apiVersion() + ")";
    }
  }

  private record Plan(long initialDelayMillis, long retries, long intervalMillis, List<Check> checks) {}

  @Override
  public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
    Plan plan;
    try {
      plan = plan(context, new TaskInputs(spec.with()));
    } catch (TaskException e) {
      return Future.failedFuture(e);
    }
    if (plan.checks().isEmpty()) {
      return Future.succeededFuture(TaskOutcome.done("nothing to check: no objRefs and no weightObjRefs"));
    }
    return delay(plan.initialDelayMillis())
        .compose(v -> attempt(context, plan, plan.checks(), 0))
        .map(v -> TaskOutcome.done(
            plan.checks().size() + " object(s) ready: "
                + plan.checks().stream().map(Check::describe).collect(Collectors.joining(", "))));
  }

  private Plan plan(TaskContext context, TaskInputs with) {
    String namespace = context.experiment().metadata().namespace();
    long initialDelay = millis(with.number("initialDelaySeconds", DEFAULT_INITIAL_DELAY_SECONDS, 0));
    long retries = with.integer("numRetries", DEFAULT_NUM_RETRIES, 0);
    long interval = millis(with.number("intervalSeconds", DEFAULT_INTERVAL_SECONDS, 0));
    double worst = initialDelay + (double) retries * interval;
    if (worst > maxWait.toMillis()) {
      throw new TaskException(
          "initialDelaySeconds + numRetries × intervalSeconds is " + Math.round(worst / 1000) + " s, more than the "
              + maxWait.toSeconds() + " s a readiness task may wait");
    }
    // Keyed by object, so an object named twice (say in objRefs and as a weightObjRef) is read once.
    Map<String, Check> checks = new LinkedHashMap<>();
    List<JsonNode> refs = with.list("objRefs");
    for (int i = 0; i < refs.size(); i++) {
      String at = "with.objRefs[" + i + "]";
      JsonNode ref = refs.get(i);
      if (!ref.isObject()) {
        throw new TaskException(at + ": expected {kind, apiVersion?, namespace?, name, waitFor?}");
      }
      ResourceKind kind =
          KindResolver.resolve(
              TaskInputs.field(ref, "kind", at).orElse(null), TaskInputs.field(ref, "apiVersion", at).orElse(null), at);
      String ns = TaskInputs.field(ref, "namespace", at).filter(s -> !s.isBlank()).orElse(namespace);
      String name = TaskInputs.requiredField(ref, "name", at);
      WaitCondition condition = WaitCondition.parse(TaskInputs.field(ref, "waitFor", at).orElse(null), at + ".waitFor");
      add(checks, new Check(kind, ns, name, condition));
    }
    VersionInfo versionInfo = context.experiment().spec() == null ? null : context.experiment().spec().versionInfo();
    if (versionInfo != null) {
      for (VersionDetail v : versionInfo.all()) {
        ObjectReference ref = v.weightObjRef();
        if (ref != null && ref.name() != null) {
          String at = "versionInfo " + v.name() + " weightObjRef";
          ResourceKind kind = KindResolver.resolve(ref.kind(), ref.apiVersion(), at);
          String ns = ref.namespace() == null || ref.namespace().isBlank() ? namespace : ref.namespace();
          add(checks, new Check(kind, ns, ref.name(), new WaitCondition.Exists()));
        }
      }
    }
    return new Plan(initialDelay, retries, interval, List.copyOf(checks.values()));
  }

  private static void add(Map<String, Check> checks, Check check) {
    String key = check.kind() + "/" + check.namespace() + "/" + check.name();
    Check existing = checks.get(key);
    // An existence check adds nothing to a condition on the same object.
    if (existing == null || existing.condition() instanceof WaitCondition.Exists) {
      checks.put(key, check);
    }
  }

  /** Checks the objects not yet ready; retries the rest after an interval, or fails naming them. */
  private Future<Void> attempt(TaskContext context, Plan plan, List<Check> pending, long attempt) {
    List<Future<Optional<String>>> results = pending.stream().map(this::unmet).toList();
    // Each result is a reason or none, never a failure, so all() waits for every object.
    return Future.all(results)
        .compose(v -> {
          List<Check> notReady = new ArrayList<>();
          List<String> reasons = new ArrayList<>();
          for (int i = 0; i < pending.size(); i++) {
            Optional<String> why = results.get(i).result();
            if (why.isPresent()) {
              notReady.add(pending.get(i));
              reasons.add(pending.get(i).describe() + ": " + why.get());
            }
          }
          if (notReady.isEmpty()) {
            return Future.succeededFuture();
          }
          if (attempt >= plan.retries()) {
            return Future.failedFuture(new TaskException(
                "not ready after " + (attempt + 1) + " checks: " + String.join("; ", reasons)));
          }
          LOG.debug("experiment {}: readiness check {} of {}: {}", context.experimentKey(), attempt + 1,
              plan.retries() + 1, reasons);
          return delay(plan.intervalMillis()).compose(w -> attempt(context, plan, notReady, attempt + 1));
        });
  }

  /** Why one object is not ready, or empty; an API error is a reason too, never a failure of its own. */
  private Future<Optional<String>> unmet(Check check) {
    return kubernetes
        .get(check.kind(), check.namespace(), check.name())
        .map(object -> object.isEmpty() ? Optional.of("not found") : check.condition().unmet(object.get()))
        .otherwise(e -> Optional.of("cannot read it: " + e.getMessage()));
  }

  private Future<Void> delay(long millis) {
    // Vert.x timers need at least 1 ms; a zero wait is no timer at all.
    return millis <= 0 ? Future.succeededFuture() : vertx.timer(millis, TimeUnit.MILLISECONDS);
  }

  private static long millis(double seconds) {
    return Math.round(seconds * 1000);
  }
}
