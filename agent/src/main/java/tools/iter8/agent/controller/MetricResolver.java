package tools.iter8.agent.controller;

import io.vertx.core.Future;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Criteria;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.MetricInfo;
import tools.iter8.core.api.Objective;
import tools.iter8.core.api.Reward;

/**
 * Finds every Metric an experiment's criteria reach — requestCount, rewards, indicators, objectives,
 * and through them each {@code sampleSize} and {@code posterior.histogram} — for the snapshot in
 * {@code status.metrics} (reference §4.8): later edits to a Metric do not change a running experiment.
 * A bare name resolves in the experiment's namespace, or for {@code sampleSize} and
 * {@code posterior.histogram} in the referring metric's.
 */
public final class MetricResolver {
  /** The snapshot, keyed {@code namespace/name}, or the first reference that does not exist. */
  public record Resolved(List<MetricInfo> metrics, Optional<String> missing) {}

  private final KubernetesOps ops;
  private final BiFunction<String, String, Optional<Metric>> cache;

  /**
   * @param cache the Metric informer's view (namespace, name); a Metric it does not hold yet (created a
   *     moment ago) is read from the API server
   */
  public MetricResolver(KubernetesOps ops, BiFunction<String, String, Optional<Metric>> cache) {
    this.ops = ops;
    this.cache = cache;
  }

  public Future<Resolved> resolve(Experiment e) {
    String ns = e.metadata().namespace();
    Deque<String> pending = new ArrayDeque<>();
    Criteria c = e.spec().criteria();
    if (c != null) {
      if (c.requestCount() != null) {
        pending.add(key(ns, c.requestCount()));
      }
      if (c.rewards() != null) {
        c.rewards().stream().map(Reward::metric).forEach(m -> pending.add(key(ns, m)));
      }
      if (c.indicators() != null) {
        c.indicators().forEach(m -> pending.add(key(ns, m)));
      }
      if (c.objectives() != null) {
        c.objectives().stream().map(Objective::metric).forEach(m -> pending.add(key(ns, m)));
      }
    }
    return next(pending, new LinkedHashMap<>());
  }

  /** One metric at a time: a handful per experiment, read once at start. */
  private Future<Resolved> next(Deque<String> pending, Map<String, Metric> found) {
    String key = pending.poll();
    if (key == null) {
      List<MetricInfo> infos = new ArrayList<>();
      found.forEach((k, m) -> infos.add(new MetricInfo(k, m, null)));
      return Future.succeededFuture(new Resolved(infos, Optional.empty()));
    }
    if (found.containsKey(key)) {
      return next(pending, found);
    }
    String[] parts = key.split("/", 2);
    Optional<Metric> cached = cache.apply(parts[0], parts[1]);
    Future<Optional<Metric>> read = cached.isPresent()
        ? Future.succeededFuture(cached)
        : ops.get(ResourceKind.METRIC, parts[0], parts[1]).map(n -> n.map(x -> ApiMapper.fromTree(x, Metric.class)));
    return read.compose(metric -> {
      if (metric.isEmpty()) {
        return Future.succeededFuture(new Resolved(List.of(), Optional.of(key)));
      }
      Metric m = metric.get();
      found.put(key, snapshotOf(m));
      if (m.spec() != null && m.spec().sampleSize() != null) {
        pending.add(key(parts[0], m.spec().sampleSize()));
      }
      if (m.spec() != null && m.spec().posterior() != null && m.spec().posterior().histogram() != null) {
        pending.add(key(parts[0], m.spec().posterior().histogram()));
      }
      return next(pending, found);
    });
  }

  /** The Metric without server-side metadata noise, as the original stored it. */
  private static Metric snapshotOf(Metric m) {
    return new Metric(m.apiVersion(), m.kind(),
        tools.iter8.core.api.ObjectMeta.named(m.metadata().namespace(), m.metadata().name()), m.spec(), null);
  }

  static String key(String namespace, String ref) {
    return ref.contains("/") ? ref : namespace + "/" + ref;
  }
}
