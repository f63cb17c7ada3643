package tools.iter8.webhook.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Serving certificates made at test time with the project's own {@code scripts/gen-certs.sh} (openssl),
 * never committed ones.
 */
public final class TestCertificates {
  private static Path shared;

  private TestCertificates() {}

  /** A CA and serving certificate in a new temporary directory. */
  public static Path generate(String... extraArgs) {
    try {
      Path dir = Files.createTempDirectory("iter8-certs");
      dir.toFile().deleteOnExit();
      generateInto(dir, extraArgs);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Runs gen-certs.sh into {@code dir}. */
  public static void generateInto(Path dir, String... extraArgs) {
    String[] cmd = new String[3 + extraArgs.length];
    cmd[0] = Repo.path("scripts/gen-certs.sh").toString();
    cmd[1] = "--out";
    cmd[2] = dir.toString();
    System.arraycopy(extraArgs, 0, cmd, 3, extraArgs.length);
    Processes.ok(Map.of(), null, cmd);
  }

  /** One certificate directory for every test in this JVM that just needs a server. */
  public static synchronized Path shared() {
    if (shared == null) {
      shared = generate();
    }
    return shared;
  }
}
