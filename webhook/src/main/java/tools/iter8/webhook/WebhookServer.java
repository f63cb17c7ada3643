package tools.iter8.webhook;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.ServerSSLOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.webhook.admission.AdmissionHandler;
import tools.iter8.webhook.admission.AdmissionHandler.Endpoint;
import tools.iter8.webhook.admission.AdmissionRequest;
import tools.iter8.webhook.admission.AdmissionResponse;
import tools.iter8.webhook.admission.AdmissionResponse.Outcome;
import tools.iter8.webhook.admission.AdmissionReviewCodec;
import tools.iter8.webhook.admission.BadAdmissionReview;
import tools.iter8.webhook.health.AdmissionMetrics;
import tools.iter8.webhook.health.Readiness;
import tools.iter8.webhook.tls.TlsPolicy;

/**
 * The HTTPS server: {@code POST /mutate} and {@code POST /validate} (AdmissionReview v1, JSON only, body
 * capped), {@code GET /healthz}, {@code /readyz} and {@code /metrics}, all on one TLS port. One verticle
 * instance per event loop shares the port, so the pure {@link AdmissionHandler} runs on every core.
 *
 * <p>HTTP contract of the admission endpoints: 200 with the AdmissionReview whenever the request was
 * judged (allowed, patched or denied); when it could not be judged (not JSON, wrong content type, too
 * large, not a v1 AdmissionReview, a kind iter8 does not handle, an internal error), the matching 4xx/5xx
 * with a well-formed AdmissionReview carrying the UID when one was readable, so the API server reports the
 * reason and applies the webhook's {@code failurePolicy}.
 */
public final class WebhookServer {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
  private static final String JSON = "application/json";

  private final Vertx vertx;
  private final List<HttpServer> servers;
  private final String deploymentId;
  private final Readiness readiness;
  private final int port;

  private WebhookServer(Vertx vertx, List<HttpServer> servers, String deploymentId, Readiness readiness) {
    this.vertx = vertx;
    this.servers = servers;
    this.deploymentId = deploymentId;
    this.readiness = readiness;
    this.port = servers.get(0).actualPort();
  }

  /** Starts listening with {@code ssl}; ready once every instance listens. */
  public static Future<WebhookServer> start(
      Vertx vertx,
      WebhookConfig config,
      AdmissionHandler handler,
      PrometheusMeterRegistry registry,
      AdmissionMetrics metrics,
      ServerSSLOptions ssl) {
    List<HttpServer> servers = new CopyOnWriteArrayList<>();
    Readiness readiness = new Readiness();
    Routes routes = new Routes(config, handler, registry, metrics, readiness);
    HttpServerOptions options = serverOptions(config, ssl);
    return vertx
        .deployVerticle(
            () -> new ServerVerticle(options, routes, servers), new DeploymentOptions().setInstances(config.instances()))
        .map(id -> {
          WebhookServer server = new WebhookServer(vertx, servers, id, readiness);
          readiness.set(true);
          LOG.info("listening on https://{}:{} ({} event loops)", config.host(), server.port, config.instances());
          return server;
        });
  }

  /**
   * The HTTP server options every instance listens with: address, TLS (the certificate of {@code ssl}; TLS 1.2
   * and 1.3 with AEAD suites only, {@link TlsPolicy}, which certificate reloads carry too) and the idle timeout.
   * Public so that the benchmark's bare echo server ({@code bench/}) listens with exactly the same TLS settings.
   */
  public static HttpServerOptions serverOptions(WebhookConfig config, ServerSSLOptions ssl) {
    return TlsPolicy.apply(
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setSsl(true)
            .setKeyCertOptions(ssl.getKeyCertOptions())
            .setIdleTimeout(90));
  }

  /** The port listened on (the actual one when configured as 0). */
  public int port() {
    return port;
  }

  public Readiness readiness() {
    return readiness;
  }

  /** Serves a new certificate on new connections of every instance. */
  public Future<Void> updateSsl(ServerSSLOptions ssl) {
    return Future.all(servers.stream().map(s -> s.updateSSLOptions(ssl, true)).toList()).mapEmpty();
  }

  /** Stops accepting and waits up to {@code timeout} for requests in flight, then closes. */
  public Future<Void> close(Duration timeout) {
    readiness.set(false);
    return Future.all(servers.stream().map(s -> s.shutdown(timeout)).toList())
        .transform(ar -> vertx.undeploy(deploymentId));
  }

  /** One event loop's server. */
  private static final class ServerVerticle extends VerticleBase {
    private final HttpServerOptions options;
    private final Routes routes;
    private final List<HttpServer> servers;

    ServerVerticle(HttpServerOptions options, Routes routes, List<HttpServer> servers) {
      this.options = options;
      this.routes = routes;
      this.servers = servers;
    }

    @Override
    public Future<?> start() {
      return vertx
          .createHttpServer(options)
          .requestHandler(routes.router(vertx))
          .listen()
          .onSuccess(servers::add);
    }
  }

  /** The routes, shared by every instance (the handler and the registry are thread-safe). */
  private record Routes(
      WebhookConfig config,
      AdmissionHandler handler,
      PrometheusMeterRegistry registry,
      AdmissionMetrics metrics,
      Readiness readiness) {

    Router router(Vertx vertx) {
      Router router = Router.router(vertx);
      for (Endpoint endpoint : Endpoint.values()) {
        router
            .post(endpoint.path())
            .handler(BodyHandler.create(false).setBodyLimit(config.bodyLimitBytes()))
            .handler(ctx -> admit(ctx, endpoint))
            .failureHandler(ctx -> failed(ctx, endpoint));
      }
      router.get("/healthz").handler(ctx -> text(ctx, 200, "ok"));
      router.get("/readyz").handler(ctx -> {
        if (readiness.isReady()) {
          text(ctx, 200, "ok");
        } else {
          text(ctx, 503, "shutting down");
        }
      });
      router.get("/metrics").handler(ctx ->
          ctx.response()
              .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
              .end(registry.scrape()));
      return router;
    }

    private void admit(RoutingContext ctx, Endpoint endpoint) {
      long start = System.nanoTime();
      Buffer buffer = ctx.body().buffer();
      byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
      String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
      AdmissionRequest request = null;
      AdmissionResponse response;
      if (!isJson(contentType)) {
        response =
            AdmissionResponse.badRequest(
                AdmissionReviewCodec.readUid(body), 415,
                "Content-Type must be " + JSON + ", got " + (contentType == null ? "none" : "\"" + contentType + "\""));
      } else {
        try {
          request = AdmissionReviewCodec.decode(body);
          response = handler.handle(endpoint, request);
        } catch (BadAdmissionReview e) {
          response = e.toResponse();
        }
      }
      respond(ctx, endpoint, request, response, start);
    }

    /** The body handler refused the request (too large) or something threw. */
    private void failed(RoutingContext ctx, Endpoint endpoint) {
      long start = System.nanoTime();
      AdmissionResponse response =
          ctx.statusCode() == 413
              ? AdmissionResponse.badRequest(
                  "", 413, "the request body exceeds the limit of " + config.bodyLimitBytes() + " bytes")
              : AdmissionResponse.error("", "cannot read the request: " + ctx.failure());
      respond(ctx, endpoint, null, response, start);
    }

    private void respond(
        RoutingContext ctx, Endpoint endpoint, AdmissionRequest request, AdmissionResponse response, long start) {
      if (!ctx.response().ended()) {
        ctx.response()
            .setStatusCode(response.httpStatus())
            .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
            .end(Buffer.buffer(AdmissionReviewCodec.encodeBytes(response)));
      }
      String kind = request == null ? "unknown" : request.kind().kind();
      String operation = request == null ? "unknown" : request.operation().name();
      metrics.admission(endpoint.path().substring(1), kind, operation, response.outcome().label(), System.nanoTime() - start);
      log(request, response);
    }

    private static void log(AdmissionRequest request, AdmissionResponse response) {
      String dry = request != null && request.dryRun() ? " (dry run)" : "";
      String uid = response.uid().isEmpty() ? "-" : response.uid();
      if (response.outcome() == Outcome.ERROR) {
        LOG.error("uid={} {}{}", uid, response.summary(), dry);
      } else if (response.outcome() == Outcome.BAD_REQUEST) {
        LOG.warn("uid={} {}{}", uid, response.summary(), dry);
      } else if (response.outcome() == Outcome.ALLOWED) {
        LOG.debug("uid={} {}{}", uid, response.summary(), dry);
      } else {
        LOG.info("uid={} {}{}", uid, response.summary(), dry);
      }
    }

    private static boolean isJson(String contentType) {
      if (contentType == null) {
        return false;
      }
      int semicolon = contentType.indexOf(';');
      String media = (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
      return media.toLowerCase(Locale.ROOT).equals(JSON);
    }

    private static void text(RoutingContext ctx, int status, String body) {
      ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8").end(body);
    }
  }
}
