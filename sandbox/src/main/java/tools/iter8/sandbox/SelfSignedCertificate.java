package tools.iter8.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The webhook's serving certificate for the sandbox: a self-signed one for {@code localhost} and
 * {@code 127.0.0.1}, made with the JDK's keytool (so a machine with only Java runs the demo; production
 * uses scripts/gen-certs.sh or cert-manager), written as {@code tls.crt}/{@code tls.key} into a temporary
 * directory as the webhook reads them. Nothing is kept after the run.
 */
final class SelfSignedCertificate implements AutoCloseable {
  private static final char[] PASSWORD = "sandbox".toCharArray();
  private final Path dir;
  private final X509Certificate certificate;

  private SelfSignedCertificate(Path dir, X509Certificate certificate) {
    this.dir = dir;
    this.certificate = certificate;
  }

  static SelfSignedCertificate create() {
    try {
      Path dir = Files.createTempDirectory("iter8-sandbox-tls-");
      Path store = dir.resolve("server.p12");
      keytool("-genkeypair", "-alias", "webhook", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=iter8-webhook.iter8-system.svc", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
          "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
          "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD));
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(store)) {
        ks.load(in, PASSWORD);
      }
      Key key = ks.getKey("webhook", PASSWORD);
      X509Certificate cert = (X509Certificate) ks.getCertificate("webhook");
      Files.writeString(dir.resolve("tls.crt"), pem("CERTIFICATE", cert.getEncoded()), StandardCharsets.US_ASCII);
      Path keyFile = dir.resolve("tls.key");
      Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
      Files.delete(store);
      return new SelfSignedCertificate(dir, cert);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot read the generated certificate", e);
    }
  }

  Path directory() {
    return dir;
  }

  /** TLS that trusts exactly this certificate, as kube-apiserver trusts a webhook's caBundle. */
  SSLContext trust() {
    try {
      KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
      trust.load(null, null);
      trust.setCertificateEntry("webhook", (Certificate) certificate);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ctx = SSLContext.getInstance("TLSv1.3");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // A temporary directory left behind holds no secret of value: the key was only for this run.
    }
  }
}
