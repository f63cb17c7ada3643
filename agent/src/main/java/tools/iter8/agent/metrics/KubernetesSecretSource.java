package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import tools.iter8.agent.kube.KubernetesApiException;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;

/**
 * Reads Secrets through the agent's one Kubernetes boundary ({@link KubernetesOps}), and
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

  private final KubernetesOps kubernetes;
  private final Clock clock;
  private final Duration ttl;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  private record Cached(Instant expires, Future<Map<String, String>> data) {}

  /**
   * @param kubernetes the agent's Kubernetes API boundary
   * @param clock for the cache lifetime
   * @param ttl how long a read Secret is reused
   */
  public KubernetesSecretSource(KubernetesOps kubernetes, Clock clock, Duration ttl) {
    this.kubernetes = kubernetes;
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
                  new Cached(now.plus(ttl), read(namespace, name));
              return started[0];
            });
    if (started[0] != null) {
      entry.data().onFailure(e -> cache.remove(key, entry));
    }
    return entry.data();
  }

  private Future<Map<String, String>> read(String namespace, String name) {
    String secret = "Secret " + namespace + "/" + name;
    return kubernetes.get(ResourceKind.SECRET, namespace, name)
        .recover(e -> Future.failedFuture(new SecretException(describe(secret, e))))
        .compose(found -> {
          if (found.isEmpty()) {
            return Future.failedFuture(new SecretException(secret + " not found"));
          }
          Map<String, String> data = new TreeMap<>();
          found.get().path("data").fields().forEachRemaining(f ->
              data.put(f.getKey(), new String(Base64.getDecoder().decode(f.getValue().asText("")), StandardCharsets.UTF_8)));
          return Future.succeededFuture(Map.copyOf(data));
        });
  }

  /** Names the Secret and the HTTP status (403 points at RBAC); never the response body. */
  private static String describe(String secret, Throwable e) {
    int code = e instanceof KubernetesApiException k ? k.code() : -1;
    return switch (code) {
      case 401, 403 -> "the agent may not read " + secret + " (HTTP " + code
          + "): grant its service account get on secrets in that namespace";
      case 0 -> "cannot read " + secret + ": the Kubernetes API is unreachable";
      default -> "cannot read " + secret + (code > 0 ? ": HTTP " + code : ": " + e.getClass().getSimpleName());
    };
  }
}
