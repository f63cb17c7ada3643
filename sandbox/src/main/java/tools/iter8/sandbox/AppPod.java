package tools.iter8.sandbox;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.SplittableRandom;

/**
 * One pod of the demo app: a small HTTP server that answers {@code GET /} after its version's latency,
 * failing its share of requests with a 500, and serves {@code /metrics} for Prometheus.
 */
final class AppPod {
  private final Vertx vertx;
  private final String name;
  private final String image;
  private final AppProfile profile;
  private final SplittableRandom random;
  private final RequestStats stats = new RequestStats();
  private final long started = System.currentTimeMillis();
  private HttpServer server;

  AppPod(Vertx vertx, String name, String image, AppProfile profile, long seed) {
    this.vertx = vertx;
    this.name = name;
    this.image = image;
    this.profile = profile;
    this.random = new SplittableRandom(seed);
  }

  Future<AppPod> start() {
    server = vertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/metrics")) {
        req.response().putHeader("Content-Type", "text/plain; version=0.0.4").end(stats.exposition());
        return;
      }
      long begin = System.nanoTime();
      double latency;
      boolean fail;
      synchronized (random) {
        latency = profile.medianLatencyMs() * Math.exp(profile.latencySigma() * gaussian());
        fail = random.nextDouble() < profile.errorRate();
      }
      vertx.setTimer(Math.max(1, Math.round(latency)), t -> {
        int status = fail ? 500 : 200;
        req.response().setStatusCode(status).end(fail ? "error\n" : "hello from " + image + "\n");
        stats.record(status, (System.nanoTime() - begin) / 1e9);
      });
    });
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  private double gaussian() {
    double u1 = 1 - random.nextDouble();
    double u2 = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  String name() {
    return name;
  }

  String image() {
    return image;
  }

  int port() {
    return server.actualPort();
  }

  long startedMillis() {
    return started;
  }

  RequestStats stats() {
    return stats;
  }

  Future<Void> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
