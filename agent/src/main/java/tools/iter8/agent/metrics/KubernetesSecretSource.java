package tools.iter8.agent.metrics;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1Secret;
import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads Secrets with client-java's core/v1 API, on the agent's one pool for blocking Kubernetes calls, and
 * keeps each for a short time (default 10 s, the original's cache): one iteration evaluates many metrics
 * for several versions with the same credentials, and they should cost one read, while a rotated Secret
 * is used within seconds. Concurrent reads of the same Secret share one request. Failed reads are not
 * cached.
 *
 * <p>Error messages name the Secret and the HTTP status (403 points at RBAC); they never carry the
 * response body.
 */
public final class KubernetesSecretSource implements SecretSource {
  /** The original analytics' cache lifetime. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(10);

  private static final int MAX_ENTRIES = 1024;

  private final CoreV1Api api;
  private final WorkerExecutor kubernetesOps;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Instant expires, Future<Map<String, String>> data) {}

  /**
   * @param api client-java's core/v1 API
   * @param kubernetesOps the worker pool for blocking client-java calls (e.g. {@code "kubernetes-ops"})
   * @param clock for the cache lifetime
   * @param ttl how long a read Secret is reused
   */
  public KubernetesSecretSource(CoreV1Api api, WorkerExecutor kubernetesOps, Clock clock, Duration ttl) {
    this.api = api;
    this.kubernetesOps = kubernetesOps;
    this.clock = clock;
    this.ttl = ttl;
  }

  @Override
  public Future<Map<String, String>> secret(String namespace, String name) {
    String key = namespace + "/" + name;
    Instant now = clock.instant();
    if (cache.size() >= MAX_ENTRIES) {
      cache.values().removeIf(c -> !now.isBefore(c.expires()));
    }
    Cached[] started = new Cached[1];
    Cached entry =
        cache.compute(
            key,
            (k, old) -> {
              if (old != null && now.isBefore(old.expires()) && !old.data().failed()) {
                return old;
              }
              started[0] =
                  new Cached(now.plus(ttl), kubernetesOps.executeBlocking(() -> read(namespace, name), false));
              return started[0];
            });
    if (started[0] != null) {
      entry.data().onFailure(e -> cache.remove(key, entry));
    }
    return entry.data();
  }

  private Map<String, String> read(String namespace, String name) {
    V1Secret secret;
    try {
      secret = api.readNamespacedSecret(name, namespace).execute();
    } catch (ApiException e) {
      throw new SecretException(describe(namespace, name, e));
    } catch (RuntimeException e) {
      throw new SecretException(
          "cannot read Secret " + namespace + "/" + name + ": " + e.getClass().getSimpleName());
    }
    Map<String, String> data = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> data.put(k, v == null ? "" : new String(v, StandardCharsets.UTF_8)));
    }
    return Map.copyOf(data);
  }

  private static String describe(String namespace, String name, ApiException e) {
    String secret = "Secret " + namespace + "/" + name;
    return switch (e.getCode()) {
      case 404 -> secret + " not found";
      case 401, 403 -> "the agent may not read " + secret + " (HTTP " + e.getCode()
          + "): grant its service account get on secrets in " + namespace;
      case 0 -> "cannot read " + secret + ": the Kubernetes API is unreachable";
      default -> "cannot read " + secret + ": HTTP " + e.getCode();
    };
  }
}
