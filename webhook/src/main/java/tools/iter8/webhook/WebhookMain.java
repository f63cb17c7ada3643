package tools.iter8.webhook;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.core.config.EnvSettings;

/**
 * Starts the webhook: configuration from the environment, then TLS, then the server, as one chain; any
 * failure exits the process (Kubernetes restarts it, and the log says why). SIGTERM runs {@link
 * Webhook#stop}: readiness off, drain, graceful close.
 */
public final class WebhookMain {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookMain.class);

  private static final long STARTUP_TIMEOUT_SECONDS = 60;

  private WebhookMain() {}

  public static void main(String[] args) {
    WebhookConfig config;
    try {
      config = WebhookConfig.fromEnv(System.getenv());
    } catch (EnvSettings.InvalidConfigException e) {
      LOG.error(e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("starting iter8 webhook with {}", config);
    Vertx vertx = Vertx.vertx();
    PrometheusMeterRegistry registry = Webhook.registry();
    Webhook webhook;
    try {
      webhook = Webhook.start(vertx, config, registry).toCompletionStage().toCompletableFuture()
          .get(STARTUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      fail(vertx, e.getCause());
      return;
    } catch (TimeoutException | InterruptedException e) {
      fail(vertx, e);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx, webhook), "shutdown"));
  }

  /** Exits with the reason; from the main thread, so the event loops are free to close. */
  private static void fail(Vertx vertx, Throwable cause) {
    LOG.error("cannot start the webhook: {}", cause.getMessage());
    LOG.debug("start-up failure", cause);
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("closing Vert.x after the failure", e);
    }
    System.exit(1);
  }

  private static void shutdown(Vertx vertx, Webhook webhook) {
    try {
      webhook.stop().toCompletionStage().toCompletableFuture()
          .get(webhook.stopBudget().toMillis(), TimeUnit.MILLISECONDS);
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("shutdown did not complete cleanly: {}", e.toString());
    }
  }
}
