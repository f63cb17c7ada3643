package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import java.util.Map;

/**
 * Reads the data of a Kubernetes Secret: the credentials of a metrics backend ({@code Metric.spec.secret}).
 *
 * <p>The future fails with a {@link SecretException} when the Secret cannot be read; its message names
 * the Secret and why, never its data. Implementations: {@link KubernetesSecretSource}; tests use a map.
 */
public interface SecretSource {

  /** The Secret's data, base64-decoded, as UTF-8 text per key. */
  Future<Map<String, String>> secret(String namespace, String name);

  /** A fixed set of Secrets keyed {@code namespace/name}: for tests and local runs. */
  static SecretSource of(Map<String, Map<String, String>> secrets) {
    Map<String, Map<String, String>> copy = Map.copyOf(secrets);
    return (namespace, name) -> {
      Map<String, String> data = copy.get(namespace + "/" + name);
      return data != null
          ? Future.succeededFuture(data)
          : Future.failedFuture(new SecretException("Secret " + namespace + "/" + name + " not found"));
    };
  }

  /** Why a Secret could not be read; the message is safe to show and never holds Secret data. */
  final class SecretException extends RuntimeException {
    public SecretException(String message) {
      super(message, null, false, false);
    }
  }
}
