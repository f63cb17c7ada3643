package tools.iter8.sandbox;

import java.io.PrintStream;
import java.time.Instant;
import tools.iter8.cli.ExperimentFacts;
import tools.iter8.cli.WatchView;
import tools.iter8.core.api.Experiment;

/**
 * Shows the experiment as {@code iter8ctl watch} does: redrawn in place on a terminal, and on anything
 * else (CI logs) a new frame only when the stage, the iterations or the decision changed.
 */
final class Display {
  private final PrintStream out;
  private final boolean terminal;
  private String lastKey = "";

  Display(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void show(Experiment e, String header) {
    ExperimentFacts facts = new ExperimentFacts(e);
    String frame = header + "\n" + WatchView.render(facts, Instant.now());
    if (terminal) {
      out.print("\033[H\033[2J" + frame);
      out.flush();
      return;
    }
    String key = facts.stage() + "|" + facts.completedIterations() + "|"
        + (e.status() == null || e.status().decision() == null ? "" : e.status().decision().action());
    if (!key.equals(lastKey)) {
      lastKey = key;
      out.println(frame);
    }
  }

  void line(String text) {
    out.println(text);
  }
}
