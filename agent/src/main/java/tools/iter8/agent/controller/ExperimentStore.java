package tools.iter8.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/**
 * Reads experiments for reconciles and writes their status.
 *
 * <p>Reads come from the informer cache, except right after our own write when the cache has not yet
 * caught up: a reconcile that acted on a stale status could repeat an iteration. So the store
 * remembers the resourceVersion each status write returned, and when the cached object carries a
 * different one it reads the API server instead. In the steady state (the watch delivered our write)
 * no extra read is made.
 */
public final class ExperimentStore {
  private final ExperimentCache cache;
  private final KubernetesOps ops;
  private final Map<String, String> written = new ConcurrentHashMap<>();

  public ExperimentStore(ExperimentCache cache, KubernetesOps ops) {
    this.cache = cache;
    this.ops = ops;
  }

  /** The latest experiment, or empty when it no longer exists. */
  public Future<Optional<Experiment>> load(String namespace, String name) {
    String key = namespace + "/" + name;
    Optional<Experiment> cached = cache.get(namespace, name);
    String mine = written.get(key);
    boolean fresh = mine == null || cached.map(e -> mine.equals(e.metadata().resourceVersion())).orElse(false);
    if (fresh) {
      return Future.succeededFuture(cached);
    }
    return ops.get(ResourceKind.EXPERIMENT, namespace, name)
        .map(node -> node.map(n -> ApiMapper.fromTree(n, Experiment.class)))
        .onSuccess(e -> remember(key, e));
  }

  /** Writes {@code experiment.status} through the status subresource; a stale read gives a 409. */
  public Future<Experiment> writeStatus(Experiment experiment) {
    String ns = experiment.metadata().namespace();
    String name = experiment.metadata().name();
    JsonNode body = ApiMapper.toTree(experiment);
    return ops.replaceStatus(ResourceKind.EXPERIMENT, ns, name, body)
        .map(n -> ApiMapper.fromTree(n, Experiment.class))
        .onSuccess(e -> written.put(ns + "/" + name, Objects.requireNonNullElse(e.metadata().resourceVersion(), "")));
  }

  /** Every experiment known to the cache; for target queues, where a slightly old view is safe. */
  public List<Experiment> all() {
    return cache.all();
  }

  /** Forgets a deleted experiment. */
  public void forget(String namespace, String name) {
    written.remove(namespace + "/" + name);
  }

  private void remember(String key, Optional<Experiment> e) {
    if (e.isPresent() && e.get().metadata().resourceVersion() != null) {
      written.put(key, e.get().metadata().resourceVersion());
    } else {
      written.remove(key);
    }
  }
}
