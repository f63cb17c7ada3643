package tools.iter8.install.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository: from the build's {@code iter8.projectRoot}, else found above the working directory. */
public final class Repo {
  private Repo() {}

  public static Path root() {
    String configured = System.getProperty("iter8.projectRoot");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath().normalize();
    }
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isDirectory(dir.resolve("manifests")) && Files.isDirectory(dir.resolve("install-tests"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("cannot find the repository root above " + Path.of("").toAbsolutePath());
  }

  public static Path path(String relative) {
    return root().resolve(relative);
  }

  /** Where tests write the kustomizations they compose (under target/). */
  public static Path workDir() {
    String configured = System.getProperty("iter8.workDir");
    Path dir = configured != null && !configured.isBlank()
        ? Path.of(configured) : root().resolve("install-tests/target/renderings");
    try {
      return Files.createDirectories(dir.toAbsolutePath().normalize());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
