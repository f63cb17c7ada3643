package tools.iter8.install.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The real kubectl (its built-in kustomize renders the manifests, as users do). Never skipped: it must exist. */
public final class Kubectl {
  private static final Path DEFAULT = Path.of("/usr/bin/kubectl");

  private Kubectl() {}

  public static String binary() {
    if (Files.isExecutable(DEFAULT)) {
      return DEFAULT.toString();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "kubectl");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError("kubectl is not installed (looked at " + DEFAULT + " and on PATH); the install tests"
        + " render the manifests with the real kubectl kustomize");
  }

  /** {@code kubectl kustomize dir}: the rendered YAML. */
  public static String kustomize(Path dir) {
    return run(binary(), "kustomize", dir.toString());
  }

  static String run(String... command) {
    ProcessBuilder pb = new ProcessBuilder(List.of(command));
    try {
      Path out = Files.createTempFile("kubectl", ".out");
      Path err = Files.createTempFile("kubectl", ".err");
      try {
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new AssertionError("timed out: " + String.join(" ", command));
        }
        if (p.exitValue() != 0) {
          throw new AssertionError(String.join(" ", command) + " exited with " + p.exitValue() + ":\n"
              + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** A kustomization in the work directory combining {@code resources} with {@code components} (repo paths). */
  public static Path compose(String name, List<String> resources, List<String> components) {
    Path dir = Repo.workDir().resolve(name);
    List<String> lines = new ArrayList<>();
    lines.add("apiVersion: kustomize.config.k8s.io/v1beta1");
    lines.add("kind: Kustomization");
    lines.add("resources:");
    resources.forEach(r -> lines.add("- " + relative(dir, r)));
    if (!components.isEmpty()) {
      lines.add("components:");
      components.forEach(c -> lines.add("- " + relative(dir, c)));
    }
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("kustomization.yaml"), String.join("\n", lines) + "\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return dir;
  }

  // kustomize takes relative paths only.
  private static String relative(Path from, String repoPath) {
    return from.relativize(Repo.path(repoPath)).toString();
  }
}
