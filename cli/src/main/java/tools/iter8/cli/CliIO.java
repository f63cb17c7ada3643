package tools.iter8.cli;

import java.io.Console;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Everything a command touches outside itself: its streams, environment, home directory, clock and whether
 * standard output is a terminal. {@link #system()} gives the real ones; tests pass their own, so commands never
 * reach for {@code System.*} and never exit the JVM.
 *
 * @param terminal whether stdout is an interactive terminal, where {@code watch} redraws in place
 * @param columns the terminal's width, for frames that must not wrap; 0 when unknown or not a terminal
 */
public record CliIO(
    PrintWriter out,
    PrintWriter err,
    InputStream in,
    Map<String, String> env,
    Path home,
    Clock clock,
    boolean terminal,
    int columns) {

  /** A terminal's width when it cannot be asked. */
  static final int DEFAULT_COLUMNS = 80;

  public static CliIO system() {
    boolean terminal = stdoutIsTerminal(System.getenv());
    return new CliIO(
        new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8)),
        new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8)),
        System.in,
        System.getenv(),
        Path.of(System.getProperty("user.home")),
        Clock.systemUTC(),
        terminal,
        terminal ? columns(System.getenv()) : 0);
  }

  /** {@code $COLUMNS} when exported, else what {@code stty size} says of the controlling terminal, else 80. */
  static int columns(Map<String, String> env) {
    try {
      int c = Integer.parseInt(env.getOrDefault("COLUMNS", "").trim());
      if (c > 0) {
        return c;
      }
    } catch (NumberFormatException e) {
      // Not exported, as bash does by default: ask the terminal.
    }
    try {
      Process stty = new ProcessBuilder("stty", "size")
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/tty")))
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
      String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0) {
        String[] rowsColumns = size.split("\\s+");
        return Integer.parseInt(rowsColumns[1]);
      }
    } catch (IOException | RuntimeException e) {
      // No stty or no terminal: assume the classic width.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return DEFAULT_COLUMNS;
  }

  /**
   * Whether stdout is a terminal. On Java 17 {@link System#console()} is null unless both stdin and stdout are
   * terminals; from Java 22 it may be non-null when redirected, and {@code Console.isTerminal()} says.
   */
  private static boolean stdoutIsTerminal(Map<String, String> env) {
    Console console = System.console();
    if (console == null || "dumb".equals(env.get("TERM"))) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
