package tools.iter8.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;

/**
 * What a kubelet and a Service do for the demo app: for every ReplicaSet of the app that the Deployment
 * controller stand-in creates, one running {@link AppPod} (named {@code <replicaset>-<suffix>}, as a pod
 * would be), serving the image's version; and the Service's load balancing: a request goes to a
 * ReplicaSet in proportion to its replicas. Every second it also keeps each pod's counts, so the embedded
 * metrics source can answer for any window as Prometheus's {@code increase()} would.
 */
final class DemoPods {
  private final Vertx vertx;
  private final KubernetesOps ops;
  private final String namespace;
  private final String app;
  private final Function<String, AppProfile> profileOfImage;
  private final Map<String, AppPod> pods = new ConcurrentHashMap<>();
  private final Map<String, Integer> replicas = new ConcurrentHashMap<>();
  private final Map<String, Deque<Snapshot>> history = new ConcurrentHashMap<>();
  private final List<Consumer<List<AppPod>>> onPodsChanged = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** A pod's counts at a time. */
  record Snapshot(long millis, Map<Integer, RequestStats.ByStatus> byStatus) {}

  DemoPods(Vertx vertx, KubernetesOps ops, String namespace, String app, Function<String, AppProfile> profileOfImage) {
    this.vertx = vertx;
    this.ops = ops;
    this.namespace = namespace;
    this.app = app;
    this.profileOfImage = profileOfImage;
  }

  void onPodsChanged(Consumer<List<AppPod>> listener) {
    onPodsChanged.add(listener);
  }

  void start() {
    vertx.setPeriodic(300, id -> sync());
    vertx.setPeriodic(1000, id -> remember());
  }

  private void sync() {
    ops.list(ResourceKind.REPLICA_SET, namespace, "app=" + app).onSuccess(sets -> {
      List<Future<AppPod>> started = new ArrayList<>();
      for (JsonNode rs : sets) {
        String name = rs.at("/metadata/name").asText();
        replicas.put(name, rs.at("/spec/replicas").asInt(0));
        if (!pods.containsKey(name) && rs.at("/spec/replicas").asInt(0) > 0) {
          String image = rs.at("/spec/template/spec/containers/0/image").asText();
          AppPod pod = new AppPod(vertx, name + "-" + suffix(name), image, profileOfImage.apply(image), name.hashCode());
          pods.put(name, pod);
          started.add(pod.start());
        }
      }
      if (!started.isEmpty()) {
        Future.all(started).onSuccess(all -> onPodsChanged.forEach(l -> l.accept(List.copyOf(pods.values()))));
      }
    });
  }

  /** A stable pod-name suffix, five lower-case alphanumerics as Kubernetes makes them. */
  private static String suffix(String seed) {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789";
    StringBuilder s = new StringBuilder();
    int h = seed.hashCode();
    for (int i = 0; i < 5; i++) {
      s.append(alphabet.charAt(Math.floorMod(h >> (i * 5), alphabet.length())));
    }
    return s.toString();
  }

  private void remember() {
    long now = System.currentTimeMillis();
    for (AppPod pod : pods.values()) {
      Deque<Snapshot> h = history.computeIfAbsent(pod.name(), k -> new ArrayDeque<>());
      synchronized (h) {
        h.addLast(new Snapshot(now, pod.stats().snapshot()));
        while (h.size() > 1200) {
          h.removeFirst();
        }
      }
    }
  }

  /** Replicas by pod, as the Service balances: the pods of ReplicaSets scaled to zero get nothing. */
  Map<AppPod, Integer> endpoints() {
    Map<AppPod, Integer> out = new LinkedHashMap<>();
    pods.forEach((rs, pod) -> {
      int n = replicas.getOrDefault(rs, 0);
      if (n > 0) {
        out.put(pod, n);
      }
    });
    return out;
  }

  List<AppPod> all() {
    return List.copyOf(pods.values());
  }

  /** The pod's counts as of {@code millis} (its start: zero); empty history: now. */
  Map<Integer, RequestStats.ByStatus> countsAt(AppPod pod, long millis) {
    if (millis <= pod.startedMillis()) {
      return Map.of();
    }
    Deque<Snapshot> h = history.get(pod.name());
    if (h == null) {
      return pod.stats().snapshot();
    }
    synchronized (h) {
      Snapshot best = null;
      for (Snapshot s : h) {
        if (s.millis() <= millis) {
          best = s;
        }
      }
      return best == null ? Map.of() : best.byStatus();
    }
  }

  Future<Void> stop() {
    return Future.all(pods.values().stream().map(AppPod::stop).toList()).mapEmpty();
  }
}
