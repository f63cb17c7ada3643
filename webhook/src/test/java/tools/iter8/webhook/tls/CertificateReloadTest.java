package tools.iter8.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.iter8.webhook.support.TestCertificates;
import tools.iter8.webhook.support.TestWebhook;

/**
 * A renewed certificate is served without a restart, including when it arrives the way kubelet updates a
 * Secret volume (a new timestamped directory and an atomic swap of the {@code ..data} symlink).
 */
class CertificateReloadTest {
  @TempDir Path volume;

  private Path first;
  private Path second;
  private TestWebhook webhook;

  @BeforeEach
  void start() throws IOException {
    first = TestCertificates.generate();
    second = TestCertificates.generate();
    publish("..2025_01_01_00_00_00.000000001", first);
    Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));
    webhook = TestWebhook.start(volume, first.resolve("ca.crt"), Map.of("ITER8_WEBHOOK_CERT_RELOAD_INTERVAL", "200ms"));
  }

  @AfterEach
  void stop() {
    webhook.close();
  }

  /** kubelet's atomic writer: files into a new directory, then {@code ..data} swapped to it in one rename. */
  private void publish(String timestamped, Path certs) throws IOException {
    Path dir = Files.createDirectory(volume.resolve(timestamped));
    Files.copy(certs.resolve("tls.crt"), dir.resolve("tls.crt"));
    Files.copy(certs.resolve("tls.key"), dir.resolve("tls.key"));
    Path tmp = volume.resolve("..data_tmp");
    Files.createSymbolicLink(tmp, Path.of(timestamped));
    Files.move(tmp, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  private boolean trusts(Path caDir) {
    HttpClientAgent client = TestWebhook.client(webhook.vertx(), caDir.resolve("ca.crt"), webhook.port());
    try {
      return TestWebhook.await(client.request(HttpMethod.GET, "/healthz").compose(r -> r.send()).map(r -> r.statusCode() == 200));
    } catch (IllegalStateException e) {
      return false;
    } finally {
      client.close();
    }
  }

  private String metrics(Path caDir) {
    HttpClientAgent client = TestWebhook.client(webhook.vertx(), caDir.resolve("ca.crt"), webhook.port());
    try {
      return TestWebhook.await(client.request(HttpMethod.GET, "/metrics").compose(r -> r.send())
          .compose(r -> r.body()).map(b -> b.toString()));
    } finally {
      client.close();
    }
  }

  @Test
  void aSwappedSecretVolumeIsServedWithoutARestart() throws IOException {
    assertThat(trusts(first)).isTrue();
    assertThat(trusts(second)).isFalse();

    publish("..2025_02_01_00_00_00.000000002", second);

    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).until(() -> trusts(second));
    assertThat(trusts(first)).isFalse();
    assertThat(metrics(second)).contains("iter8_webhook_certificate_reloads_total{result=\"ok\"} 1");
  }

  @Test
  void anUnusablePairKeepsTheServedCertificate() throws IOException {
    Path broken = Files.createTempDirectory("broken");
    Files.copy(second.resolve("tls.crt"), broken.resolve("tls.crt"));
    Files.copy(first.resolve("tls.key"), broken.resolve("tls.key")); // key does not match the certificate
    publish("..2025_03_01_00_00_00.000000003", broken);

    Boolean reloaded = TestWebhook.await(webhook.webhook().reloader().check());
    assertThat(reloaded).isFalse();
    assertThat(trusts(first)).isTrue();
    assertThat(webhook.get("/metrics").body()).contains("iter8_webhook_certificate_reloads_total{result=\"failed\"}");
    assertThat(webhook.get("/healthz").status()).isEqualTo(200);

    publish("..2025_04_01_00_00_00.000000004", second);
    assertThat(TestWebhook.await(webhook.webhook().reloader().check())).isTrue();
    assertThat(trusts(second)).isTrue();
  }
}
