package tools.iter8.agent.controller;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;

/**
 * Reads experiments for reconciles and writes their status.
 *
 * <p>Reads come from the informer cache, except right after our own write when the cache has not yet
 * caught up: a reconcile that acted on a stale status could repeat an iteration. So the store
 * remembers what each status write returned, and when the cached object carries another resourceVersion it
 * reads the API server instead. When the cache carries the same one (the steady state: the watch delivered
 * our write, and nobody wrote since), the experiment is the one our write returned, so it is used as it is:
 * converting the cached object (Gson → text → Jackson) on every pass cost more CPU than anything else in a
 * pass (docs/benchmarks/agent-scale.md). Completed experiments, which nothing writes again, keep only the
 * resourceVersion.
 */
public final class ExperimentStore {
  private final ExperimentCache cache;
  private final KubernetesOps ops;
  /** The last state this agent wrote or read from the API server, by key; experiment null once completed. */
  private final Map<String, Written> written = new ConcurrentHashMap<>();

  private record Written(String resourceVersion, Experiment experiment) {}

  public ExperimentStore(ExperimentCache cache, KubernetesOps ops) {
    this.cache = cache;
    this.ops = ops;
  }

  /** The latest experiment, or empty when it no longer exists. */
  public Future<Optional<Experiment>> load(String namespace, String name) {
    String key = namespace + "/" + name;
    Written mine = written.get(key);
    if (mine == null) {
      return Future.succeededFuture(cache.get(namespace, name));
    }
    Optional<String> cached = cache.resourceVersion(namespace, name);
    if (cached.isPresent() && cached.get().equals(mine.resourceVersion())) {
      return Future.succeededFuture(
          mine.experiment() != null ? Optional.of(mine.experiment()) : cache.get(namespace, name));
    }
    return ops.get(ResourceKind.EXPERIMENT, namespace, name)
        .map(node -> node.map(n -> ApiMapper.fromTree(n, Experiment.class)))
        .onSuccess(e -> remember(key, e));
  }

  /** Writes {@code experiment.status} through the status subresource; a stale read gives a 409. */
  public Future<Experiment> writeStatus(Experiment experiment) {
    String ns = experiment.metadata().namespace();
    String name = experiment.metadata().name();
    return ops.replaceStatus(ResourceKind.EXPERIMENT, ns, name, experiment, Experiment.class)
        .onSuccess(e -> remember(ns + "/" + name, Optional.of(e)));
  }

  /**
   * The experiments on {@code target} (other than none: the caller filters), converted; for target queues, where a
   * slightly old view is safe.
   */
  public List<Experiment> onTarget(String target) {
    List<Experiment> out = new ArrayList<>();
    for (String key : cache.onTarget(target)) {
      int slash = key.indexOf('/');
      cache.get(key.substring(0, slash), key.substring(slash + 1)).ifPresent(out::add);
    }
    return out;
  }

  /** Keys of the experiments waiting for {@code target} (any target when null). */
  public List<String> waiting(String target) {
    return cache.waiting(target);
  }

  /** Forgets a deleted experiment. */
  public void forget(String namespace, String name) {
    written.remove(namespace + "/" + name);
  }

  private void remember(String key, Optional<Experiment> e) {
    if (e.isPresent() && e.get().metadata().resourceVersion() != null) {
      Experiment x = e.get();
      written.put(key, new Written(x.metadata().resourceVersion(), ExperimentFacts.completed(x) ? null : x));
    } else {
      written.remove(key);
    }
  }
}
