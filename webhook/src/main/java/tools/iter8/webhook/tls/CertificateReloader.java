package tools.iter8.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ServerSSLOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a renewed certificate without a restart: polls {@code tls.crt} and {@code tls.key} and, when
 * their content changes, hands the new pair to the server ({@code HttpServer.updateSSLOptions}); new
 * connections get the new certificate, open ones keep theirs. Polling the content (rather than watching
 * files) works with the symlink swap kubelet uses for Secret volumes and with any other way the files are
 * replaced. A pair that cannot be used (half-written, key not matching) is logged and retried at the next
 * poll; the old certificate keeps serving meanwhile.
 */
public final class CertificateReloader {
  private static final Logger LOG = LoggerFactory.getLogger(CertificateReloader.class);

  private final Vertx vertx;
  private final Path dir;
  private final Duration interval;
  private final Function<ServerSSLOptions, Future<Void>> apply;
  private final Consumer<ServingCertificate> onReload;
  private final Consumer<Throwable> onFailure;
  private final AtomicReference<String> served;
  private long timer = -1;

  /**
   * @param current the certificate the server started with
   * @param apply installs new TLS options on the server
   * @param onReload called after a new certificate is served (metrics)
   * @param onFailure called when a changed pair cannot be used (metrics)
   */
  public CertificateReloader(
      Vertx vertx,
      Path dir,
      Duration interval,
      ServingCertificate current,
      Function<ServerSSLOptions, Future<Void>> apply,
      Consumer<ServingCertificate> onReload,
      Consumer<Throwable> onFailure) {
    this.vertx = vertx;
    this.dir = dir;
    this.interval = interval;
    this.apply = apply;
    this.onReload = onReload;
    this.onFailure = onFailure;
    this.served = new AtomicReference<>(current.fingerprint());
  }

  public void start() {
    timer = vertx.setPeriodic(interval.toMillis(), id -> check());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  /** Checks the files once; true when a new certificate is now served. */
  public Future<Boolean> check() {
    return vertx.executeBlocking(this::readIfChanged, false)
        .compose(cert -> {
          if (cert == null) {
            return Future.succeededFuture(false);
          }
          return apply.apply(cert.sslOptions()).map(v -> {
            served.set(cert.fingerprint());
            LOG.info("serving a new {} from {}", cert, dir);
            onReload.accept(cert);
            return true;
          });
        })
        .recover(e -> {
          LOG.warn("cannot load the certificate in {} (keeping the one served; retrying in {} ms): {}",
              dir, interval.toMillis(), e.toString());
          onFailure.accept(e);
          return Future.succeededFuture(false);
        });
  }

  /** The pair on disk when it differs from the one served and can be served; null when unchanged. */
  private ServingCertificate readIfChanged() throws java.io.IOException {
    ServingCertificate cert = ServingCertificate.read(dir);
    if (cert.fingerprint().equals(served.get())) {
      return null;
    }
    cert.verifyKeyMatches(vertx);
    return cert;
  }
}
