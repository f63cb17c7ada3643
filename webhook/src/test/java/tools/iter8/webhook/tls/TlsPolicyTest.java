package tools.iter8.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.iter8.webhook.WebhookConfig;
import tools.iter8.webhook.WebhookServer;
import tools.iter8.webhook.support.TestCertificates;
import tools.iter8.webhook.support.TestWebhook;

/**
 * The webhook speaks TLS 1.2 and 1.3 only, with forward-secret AEAD suites only ({@link TlsPolicy}), over
 * the wire, and still after a certificate reload (Vert.x's {@code updateSSLOptions} replaces the whole TLS
 * configuration). A control server with Vert.x's defaults on the same certificate shows that the refused
 * suites would otherwise be accepted, so the refusals are the policy's doing.
 */
class TlsPolicyTest {
  /** TLS 1.2 suites the JDK enables by default and the policy refuses: CBC mode (no AEAD). */
  private static final List<String> WEAK_TLS12 = List.of(
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA");

  private static Path certs;
  private static TestWebhook webhook;
  private static HttpServer control;

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.generate();
    webhook = TestWebhook.start(certs, Map.of("ITER8_WEBHOOK_CERT_RELOAD_INTERVAL", "200ms"));
    // The same certificate served with Vert.x's (and the JDK's) defaults.
    control = TestWebhook.await(webhook.vertx()
        .createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0).setSsl(true)
            .setKeyCertOptions(new PemKeyCertOptions()
                .setCertPath(certs.resolve("tls.crt").toString()).setKeyPath(certs.resolve("tls.key").toString())))
        .requestHandler(r -> r.response().end("ok"))
        .listen());
  }

  @AfterAll
  static void stop() {
    TestWebhook.await(control.close());
    webhook.close();
  }

  /** The negotiated "protocol suite", or "refused: <why>". */
  private static String handshake(int port, List<String> protocols, List<String> suites) {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, tmf.getTrustManagers(), null);
      try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
        socket.setSoTimeout(5000);
        socket.setEnabledProtocols(protocols.toArray(String[]::new));
        if (!suites.isEmpty()) {
          socket.setEnabledCipherSuites(suites.toArray(String[]::new));
        }
        socket.startHandshake();
        return socket.getSession().getProtocol() + " " + socket.getSession().getCipherSuite();
      }
    } catch (java.io.IOException e) {
      return "refused: " + e;
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String servedSerial(int port) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certs.resolve("ca.crt"))) {
      trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
      socket.startHandshake();
      Certificate[] chain = socket.getSession().getPeerCertificates();
      return ((X509Certificate) chain[0]).getSerialNumber().toString(16);
    }
  }

  @Test
  void theServerOptionsEnableOnlyTls12And13AndTheAeadSuites() {
    WebhookConfig config = WebhookConfig.fromEnv(Map.of("ITER8_WEBHOOK_CERT_DIR", certs.toString()));
    HttpServerOptions options = WebhookServer.serverOptions(config, new io.vertx.core.net.ServerSSLOptions());
    assertThat(options.getEnabledSecureTransportProtocols()).containsExactlyInAnyOrder("TLSv1.2", "TLSv1.3");
    assertThat(options.getEnabledCipherSuites()).containsExactlyInAnyOrderElementsOf(TlsPolicy.CIPHER_SUITES);
    assertThat(TlsPolicy.CIPHER_SUITES).allSatisfy(s -> assertThat(s).matches("TLS_(AES|CHACHA20)_.*|TLS_ECDHE_.*_(GCM|POLY1305)_.*"));
  }

  @Test
  void tls13IsServed() {
    assertThat(handshake(webhook.port(), List.of("TLSv1.3"), List.of())).startsWith("TLSv1.3 TLS_");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"})
  void tls12WithAForwardSecretAeadSuiteIsServed(String suite) {
    assertThat(handshake(webhook.port(), List.of("TLSv1.2"), List.of(suite))).isEqualTo("TLSv1.2 " + suite);
  }

  @Test
  void tls12WithOnlyCbcSuitesIsRefusedThoughTheDefaultsWouldAcceptIt() {
    assertThat(handshake(control.actualPort(), List.of("TLSv1.2"), WEAK_TLS12))
        .as("control: Vert.x's defaults accept CBC").startsWith("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_");
    assertThat(handshake(webhook.port(), List.of("TLSv1.2"), WEAK_TLS12)).startsWith("refused: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-tls1", "-tls1_1"})
  void tls10And11AreRefused(String version) throws Exception {
    // The JDK's client will not even offer TLS 1.0/1.1 (java.security disables them), so OpenSSL offers them,
    // with its security level lowered so that it may.
    Process p = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + webhook.port(), version,
        "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", certs.resolve("ca.crt").toString())
        .redirectErrorStream(true).start();
    p.getOutputStream().close();
    assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isNotZero();
    // The server answers the offer with an alert; the client did offer (it does not fail for want of a protocol).
    assertThat(out).doesNotContain("BEGIN CERTIFICATE").doesNotContain("no protocols available").contains("alert");
  }

  @Test
  void afterACertificateReloadThePolicyStillHolds() throws Exception {
    String before = servedSerial(webhook.port());
    TestCertificates.generateInto(certs); // keeps the CA, renews the serving certificate
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> !servedSerial(webhook.port()).equals(before));

    assertThat(handshake(webhook.port(), List.of("TLSv1.2"), WEAK_TLS12)).startsWith("refused: ");
    assertThat(handshake(webhook.port(), List.of("TLSv1.2"), List.of("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")))
        .isEqualTo("TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
    assertThat(handshake(webhook.port(), List.of("TLSv1.3"), List.of())).startsWith("TLSv1.3 ");
  }
}
