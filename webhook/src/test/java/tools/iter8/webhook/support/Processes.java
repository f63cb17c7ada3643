package tools.iter8.webhook.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the real tools the user flows use (kubectl, openssl, the project's scripts) and fails clearly. */
public final class Processes {
  public static final Path KUBECTL = Path.of("/usr/bin/kubectl");

  private Processes() {}

  public record Result(int exitCode, String stdout, String stderr) {}

  /** The kubectl binary; fails (never skips) when it is missing, since the user flows need it. */
  public static String kubectl() {
    if (Files.isExecutable(KUBECTL)) {
      return KUBECTL.toString();
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "kubectl");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p.toString();
      }
    }
    throw new AssertionError(
        "kubectl is not installed (looked at " + KUBECTL + " and on PATH); the kubectl and Kustomize user-flow"
            + " tests need the real kubectl");
  }

  /** Runs a command to completion (60 s at most) and returns its output. */
  public static Result run(Map<String, String> env, Path workDir, String... command) {
    ProcessBuilder pb = new ProcessBuilder(List.of(command));
    pb.environment().putAll(env);
    if (workDir != null) {
      pb.directory(workDir.toFile());
    }
    try {
      Path out = Files.createTempFile("proc", ".out");
      Path err = Files.createTempFile("proc", ".err");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Runs a command that must succeed; its stdout. */
  public static String ok(Map<String, String> env, Path workDir, String... command) {
    Result r = run(env, workDir, command);
    if (r.exitCode() != 0) {
      throw new AssertionError(
          String.join(" ", command) + " exited with " + r.exitCode() + ":\n" + r.stderr() + r.stdout());
    }
    return r.stdout();
  }
}
