package tools.iter8.bench.webhook;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import tools.iter8.webhook.WebhookConfig;
import tools.iter8.webhook.WebhookServer;
import tools.iter8.webhook.tls.ServingCertificate;

/**
 * The physical limit of the webhook's stack: a bare Vert.x HTTPS server that answers every request with its own
 * body, listening with exactly the webhook's server options ({@link WebhookServer#serverOptions}: the same
 * certificate and key read by {@link ServingCertificate}, Vert.x's default protocols and cipher suites, the same idle
 * timeout) and the same number of event-loop instances, all configured from the same environment variables as the
 * webhook ({@code ITER8_WEBHOOK_HOST}, {@code ITER8_WEBHOOK_PORT}, {@code ITER8_WEBHOOK_CERT_DIR}, {@code
 * ITER8_WEBHOOK_INSTANCES}). No router, no body limit, no JSON: what is left of a request's cost is TLS, HTTP/1.1
 * and the event loop. Used by {@code scripts/bench-webhook.sh}; not a test.
 */
public final class EchoServer {
  private EchoServer() {}

  public static void main(String[] args) throws Exception {
    WebhookConfig config = WebhookConfig.fromEnv(System.getenv());
    Vertx vertx = Vertx.vertx();
    ServingCertificate cert = ServingCertificate.readVerified(vertx, config.certDir());
    HttpServerOptions options = WebhookServer.serverOptions(config, cert.sslOptions());
    vertx.deployVerticle(() -> new Echo(options), new DeploymentOptions().setInstances(config.instances()))
        .toCompletionStage().toCompletableFuture().join();
    System.out.println("echo listening on https://" + config.host() + ":" + config.port() + " (" + config.instances()
        + " event loops, " + cert + ")");
    Thread.currentThread().join();
  }

  /** One event loop's server: the request body straight back. */
  private static final class Echo extends VerticleBase {
    private final HttpServerOptions options;

    Echo(HttpServerOptions options) {
      this.options = options;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(options)
          .requestHandler(req -> req.body().onComplete(ar -> {
            if (ar.succeeded()) {
              req.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(ar.result());
            } else {
              req.response().setStatusCode(400).end();
            }
          }))
          .listen();
    }
  }
}
