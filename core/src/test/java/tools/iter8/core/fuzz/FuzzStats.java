package tools.iter8.core.fuzz;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the inputs a fuzz target ran and writes {@code target/fuzz-stats/<target>.txt} when the class is
 * done ({@code scripts/fuzz.sh} prints it): libFuzzer's own statistics go to the forked JVM's native stderr,
 * which Surefire does not keep.
 */
final class FuzzStats {
  private final String target;
  private final AtomicLong inputs = new AtomicLong();
  private final long startNanos = System.nanoTime();

  FuzzStats(String target) {
    this.target = target;
  }

  void count() {
    inputs.incrementAndGet();
  }

  void report() {
    String env = System.getenv("JAZZER_FUZZ");
    String mode = env != null && !env.isEmpty() ? "fuzzing" : "regression";
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    String line = "target=%s mode=%s inputs=%d seconds=%.1f%n".formatted(target, mode, inputs.get(), seconds);
    try {
      Path dir = Path.of("target", "fuzz-stats");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve(target.replace('#', '.') + ".txt"), line, StandardCharsets.UTF_8);
    } catch (IOException e) {
      System.err.println("cannot write fuzz statistics: " + e);
    }
    System.out.print(line);
  }
}
