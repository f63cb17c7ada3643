package tools.iter8.webhook.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository, found from the module directory the tests run in. */
public final class Repo {
  private Repo() {}

  public static Path root() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("scripts/gen-certs.sh")) && Files.isDirectory(dir.resolve("webhook"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }
}
