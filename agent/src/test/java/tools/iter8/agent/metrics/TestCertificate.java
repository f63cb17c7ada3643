package tools.iter8.agent.metrics;

import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PfxOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A self-signed server certificate for {@code localhost} and {@code 127.0.0.1}, made with the JDK's keytool
 * (no extra library, nothing committed): a PKCS#12 key store for the test server and the certificate as
 * PEM, the form of a CA bundle ({@code ITER8_METRICS_CA_FILE}).
 */
final class TestCertificate implements AutoCloseable {
  private static final String PASSWORD = "changeit";

  private final Path dir;

  private TestCertificate(Path dir) {
    this.dir = dir;
  }

  static TestCertificate create() {
    try {
      Path dir = Files.createTempDirectory("iter8-test-cert-");
      Path store = dir.resolve("server.p12");
      keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1",
          "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
          "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD);
      keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(), "-storepass", PASSWORD,
          "-file", dir.resolve("server.crt").toString());
      return new TestCertificate(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The server's key and certificate. */
  KeyCertOptions keyCertOptions() {
    return new PfxOptions().setPath(dir.resolve("server.p12").toString()).setPassword(PASSWORD);
  }

  /** The certificate as PEM: trusting it trusts the server. */
  String certificatePath() {
    return dir.resolve("server.crt").toString();
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  private static void keytool(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
