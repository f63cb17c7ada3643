package tools.iter8.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** Runs iter8ctl in-process with captured output, a given environment and clock. */
final class TestConsole {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CliIO io;

  TestConsole(Map<String, String> env, Path home, Clock clock, boolean terminal, String stdin) {
    this.io = new CliIO(new PrintWriter(out, true), new PrintWriter(err, true),
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), env, home, clock, terminal, terminal ? 100 : 0);
  }

  /** No kubeconfig anywhere, the system clock, not a terminal. */
  static TestConsole offline(Path home) {
    return new TestConsole(Map.of(), home, Clock.systemUTC(), false, "");
  }

  int run(String... args) {
    return Iter8ctl.run(args, io);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
