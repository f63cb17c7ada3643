package tools.iter8.agent.health;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.function.BooleanSupplier;

/**
 * {@code /healthz} (the process answers), {@code /readyz} (its caches are synced, so it can act or
 * stand by as a follower) and {@code /metrics} (Prometheus text format).
 */
public final class HealthServer {
  private final Vertx vertx;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier ready;
  private HttpServer server;

  public HealthServer(Vertx vertx, PrometheusMeterRegistry registry, BooleanSupplier ready) {
    this.vertx = vertx;
    this.registry = registry;
    this.ready = ready;
  }

  public Future<HttpServer> start(int port) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(rc -> rc.response().end("ok"));
    router.get("/readyz").handler(rc -> {
      boolean ok = ready.getAsBoolean();
      rc.response().setStatusCode(ok ? 200 : 503).end(ok ? "ok" : "caches not synced");
    });
    router.get("/metrics").handler(rc -> rc.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        .end(registry.scrape()));
    return vertx.createHttpServer().requestHandler(router).listen(port).onSuccess(s -> server = s);
  }

  public int port() {
    return server.actualPort();
  }

  public Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
