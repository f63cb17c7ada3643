package tools.iter8.webhook;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.webhook.admission.AdmissionHandler;
import tools.iter8.webhook.health.AdmissionMetrics;
import tools.iter8.webhook.tls.CertificateReloader;
import tools.iter8.webhook.tls.ServingCertificate;

/**
 * The running webhook: the serving certificate read, the HTTPS server listening, the certificate reloader
 * polling. {@link #start} is one chain that fails as a whole; {@link #stop} is the graceful order of
 * DESIGN's style anchors §3.5: {@code /readyz} answers 503, a short drain lets the endpoints controller
 * take the Pod out of the Service, then the server stops accepting and finishes what is in flight.
 */
public final class Webhook {
  private static final Logger LOG = LoggerFactory.getLogger(Webhook.class);

  private final Vertx vertx;
  private final WebhookConfig config;
  private final WebhookServer server;
  private final CertificateReloader reloader;
  private Future<Void> stopped;

  private Webhook(Vertx vertx, WebhookConfig config, WebhookServer server, CertificateReloader reloader) {
    this.vertx = vertx;
    this.config = config;
    this.server = server;
    this.reloader = reloader;
  }

  /** A Prometheus registry with the JVM's basic meters. */
  public static PrometheusMeterRegistry registry() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    return registry;
  }

  /** Reads the certificate, listens, starts polling the certificate files. */
  public static Future<Webhook> start(Vertx vertx, WebhookConfig config, PrometheusMeterRegistry registry) {
    AdmissionHandler handler = AdmissionHandler.create();
    AdmissionMetrics metrics = new AdmissionMetrics(registry);
    return vertx
        .executeBlocking(() -> ServingCertificate.readVerified(vertx, config.certDir()))
        .compose(cert -> {
          LOG.info("serving {} from {}", cert, config.certDir());
          metrics.certificateServed(cert.notAfter());
          return WebhookServer.start(vertx, config, handler, registry, metrics, cert.sslOptions())
              .map(server -> {
                CertificateReloader reloader =
                    new CertificateReloader(
                        vertx, config.certDir(), config.certReloadInterval(), cert, server::updateSsl,
                        c -> {
                          metrics.certificateServed(c.notAfter());
                          metrics.certificateReload(true);
                        },
                        e -> metrics.certificateReload(false));
                reloader.start();
                return new Webhook(vertx, config, server, reloader);
              });
        });
  }

  public int port() {
    return server.port();
  }

  public WebhookServer server() {
    return server;
  }

  public CertificateReloader reloader() {
    return reloader;
  }

  /** Not ready, drain, stop accepting, finish in-flight requests. Calling it again returns the same stop. */
  public synchronized Future<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    server.readiness().set(false);
    reloader.stop();
    LOG.info("shutting down: /readyz answers 503; draining for {} ms", config.shutdownDrain().toMillis());
    Promise<Void> drained = Promise.promise();
    long drainMillis = Math.max(1, config.shutdownDrain().toMillis());
    vertx.setTimer(drainMillis, id -> drained.complete());
    stopped = drained.future()
        .compose(v -> server.close(config.shutdownTimeout()))
        .onComplete(ar -> LOG.info("stopped"));
    return stopped;
  }

  /** The configured drain, for callers that wait on {@link #stop}. */
  public Duration stopBudget() {
    return config.shutdownDrain().plus(config.shutdownTimeout()).plusSeconds(2);
  }
}
