package tools.iter8.agent.tasks;

import io.vertx.core.Future;
import java.util.Map;
import tools.iter8.agent.metrics.SecretSource;

/**
 * The Secret a notification task authenticates with ({@code with.secret}: {@code namespace/name}, or a
 * bare name in the experiment's namespace, as the original's tasks), with what must never be shown.
 *
 * @param secret {@code namespace/name}, or null when the task has no secret
 * @param data the Secret's data, decoded
 * @param redaction masks every value of {@code data}
 */
record TaskCredentials(String secret, Map<String, String> data, Redaction redaction) {
  static final TaskCredentials NONE = new TaskCredentials(null, Map.of(), Redaction.NONE);

  /** Reads the Secret; a failed read fails the future with a message naming the Secret, never its data. */
  static Future<TaskCredentials> read(SecretSource secrets, String ref, String experimentNamespace) {
    if (ref == null || ref.isBlank()) {
      return Future.succeededFuture(NONE);
    }
    String r = ref.strip();
    int slash = r.indexOf('/');
    String namespace = slash < 0 ? experimentNamespace : r.substring(0, slash);
    String name = slash < 0 ? r : r.substring(slash + 1);
    return secrets
        .secret(namespace, name)
        .map(data -> new TaskCredentials(
            namespace + "/" + name,
            Map.copyOf(data),
            Redaction.of(data.values(), data.get("username"), data.get("password"))))
        .recover(e -> Future.failedFuture(new TaskException(e.getMessage())));
  }

  boolean present() {
    return secret != null;
  }

  /** A key of the Secret, or a failure naming the Secret and the key. */
  String require(String key, String why) {
    String v = data.get(key);
    if (v == null) {
      throw new TaskException(
          why + " needs the key '" + key + "' in " + (secret == null ? "with.secret (none is set)" : "Secret " + secret));
    }
    return v;
  }
}
