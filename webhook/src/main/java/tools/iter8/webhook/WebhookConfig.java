package tools.iter8.webhook;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import tools.iter8.core.config.EnvSettings;

/**
 * The webhook's configuration, read once from the environment at start-up; a bad value stops the Pod with
 * a message naming every bad variable.
 *
 * @param host the address to listen on ({@code ITER8_WEBHOOK_HOST}, default all interfaces)
 * @param port the HTTPS port of admission, health and metrics ({@code ITER8_WEBHOOK_PORT}, 8443)
 * @param certDir the directory with {@code tls.crt} and {@code tls.key}, e.g. a mounted {@code
 *     kubernetes.io/tls} Secret ({@code ITER8_WEBHOOK_CERT_DIR}, {@code /etc/iter8-webhook/tls})
 * @param certReloadInterval how often the files are checked for a new certificate ({@code
 *     ITER8_WEBHOOK_CERT_RELOAD_INTERVAL}, 30s; kubelet updates Secret volumes within about a minute)
 * @param bodyLimitBytes the largest AdmissionReview accepted ({@code ITER8_WEBHOOK_BODY_LIMIT}, 7 MiB as
 *     controller-runtime: an object and its old version at the API server's 3 MiB limit, plus the envelope)
 * @param systemNamespace the namespace iter8 runs in ({@code ITER8_NAMESPACE}, else the Pod's namespace from
 *     {@code POD_NAMESPACE}, else {@code iter8-system}); logged at start-up, and the namespace the webhook
 *     configurations exclude
 * @param instances event loops serving requests ({@code ITER8_WEBHOOK_INSTANCES}, default one per core)
 * @param shutdownDrain how long {@code /readyz} answers 503 before the server stops accepting, so the
 *     endpoints controller removes the Pod first ({@code ITER8_WEBHOOK_SHUTDOWN_DRAIN}, 5s)
 * @param shutdownTimeout how long in-flight requests may take to finish after that ({@code
 *     ITER8_WEBHOOK_SHUTDOWN_TIMEOUT}, 10s)
 */
public record WebhookConfig(
    String host,
    int port,
    Path certDir,
    Duration certReloadInterval,
    int bodyLimitBytes,
    String systemNamespace,
    int instances,
    Duration shutdownDrain,
    Duration shutdownTimeout) {

  public static final int DEFAULT_BODY_LIMIT = 7 * 1024 * 1024;
  public static final String DEFAULT_CERT_DIR = "/etc/iter8-webhook/tls";

  public static WebhookConfig fromEnv(Map<String, String> env) {
    EnvSettings s = new EnvSettings(env);
    WebhookConfig c =
        new WebhookConfig(
            s.string("ITER8_WEBHOOK_HOST", "0.0.0.0"),
            s.integer("ITER8_WEBHOOK_PORT", 8443, 0, 65535),
            Path.of(s.string("ITER8_WEBHOOK_CERT_DIR", DEFAULT_CERT_DIR)),
            s.duration("ITER8_WEBHOOK_CERT_RELOAD_INTERVAL", Duration.ofSeconds(30)),
            s.integer("ITER8_WEBHOOK_BODY_LIMIT", DEFAULT_BODY_LIMIT, 64 * 1024, 64 * 1024 * 1024),
            s.string("ITER8_NAMESPACE", s.string("POD_NAMESPACE", "iter8-system")),
            s.integer("ITER8_WEBHOOK_INSTANCES", Runtime.getRuntime().availableProcessors(), 1, 64),
            s.duration("ITER8_WEBHOOK_SHUTDOWN_DRAIN", Duration.ofSeconds(5)),
            s.duration("ITER8_WEBHOOK_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10)));
    if (c.certReloadInterval.compareTo(Duration.ofMillis(100)) < 0) {
      s.problem("ITER8_WEBHOOK_CERT_RELOAD_INTERVAL=" + c.certReloadInterval + ": must be at least 100ms");
    }
    if (c.shutdownDrain.isNegative() || c.shutdownTimeout.isNegative()) {
      s.problem("ITER8_WEBHOOK_SHUTDOWN_DRAIN and ITER8_WEBHOOK_SHUTDOWN_TIMEOUT must not be negative");
    }
    s.check("webhook");
    return c;
  }

  /** A copy listening on another port (tests and benchmarks use 0 or a free port). */
  public WebhookConfig withPort(int newPort) {
    return new WebhookConfig(
        host, newPort, certDir, certReloadInterval, bodyLimitBytes, systemNamespace, instances, shutdownDrain,
        shutdownTimeout);
  }
}
