package tools.iter8.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.iter8.cli.ExperimentClient.KubeApiException;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/**
 * {@code iter8ctl watch [NAME]}: follows an experiment until it completes. In a terminal the frame is redrawn in
 * place; elsewhere (CI logs, pipes) a frame is appended each time the experiment changes. Exit 0 when it
 * completes without failure, 1 when it fails, 2 on timeout or when it cannot be read.
 */
@Command(
    name = "watch",
    description = {
        "Follow an experiment until it completes: stage, iterations, weights, latest verdicts and decision.",
        "Without NAME, the experiment created last in the namespace.",
        "Exit codes: 0 completed without failure, 1 failed, 2 timed out, not found or not readable."},
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = Iter8ctl.Version.class)
final class WatchCommand extends ClusterCommand implements Callable<Integer> {
  static final String CURSOR_UP = "\u001b[%dA";
  static final String CLEAR_TO_END = "\u001b[J";

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Experiment name.")
  String name;

  @Option(names = {"-i", "--interval"}, paramLabel = "D", converter = Durations.class,
      description = "Time between reads (default: ${DEFAULT-VALUE}).", defaultValue = "1s")
  Duration interval;

  @Option(names = {"-t", "--timeout"}, paramLabel = "D", converter = Durations.class,
      description = "Give up after this long with exit code 2 (default: wait until the experiment completes).")
  Duration timeout;

  @Option(names = "--plain", description = "Append frames even on a terminal, instead of redrawing in place.")
  boolean plain;

  WatchCommand(CliIO io) {
    super(io);
  }

  @Override
  public Integer call() {
    Experiment experiment = find(name);
    String experimentName = experiment.metadata().name();
    String ns = context().namespace();
    Instant deadline = timeout == null ? null : io.clock().instant().plus(timeout);
    Screen screen = new Screen(io.terminal() && !plain);
    String lastWarning = null;
    while (true) {
      ExperimentFacts facts = new ExperimentFacts(experiment);
      Instant now = io.clock().instant();
      screen.show(experiment, WatchView.render(facts, now));
      if (facts.completed()) {
        return outcome(facts);
      }
      if (deadline != null && !now.isBefore(deadline)) {
        io.err().println("timed out after " + Numbers.duration(timeout) + " waiting for experiment "
            + facts.key() + " to complete (stage " + Objects.requireNonNullElse(facts.stage(), "Pending") + ", "
            + facts.completedIterations() + " of " + facts.totalIterations() + " iterations)");
        return ExitCodes.UNKNOWN;
      }
      if (!pause(interval)) {
        return ExitCodes.UNKNOWN;
      }
      try {
        experiment = client().get(ns, experimentName).orElseThrow(() -> new CliException(ExitCodes.UNKNOWN,
            "experiment " + experimentName + " was deleted from namespace " + ns));
        lastWarning = null;
      } catch (KubeApiException e) {
        if (!e.transientFailure()) {
          throw unreachable(e);
        }
        if (!e.getMessage().equals(lastWarning)) {
          io.err().println("warning: " + e.getMessage() + "; retrying");
          io.err().flush();
          lastWarning = e.getMessage();
        }
      }
    }
  }

  /** The last line, and the exit code: 1 when the experiment failed, else 0. */
  private int outcome(ExperimentFacts facts) {
    if (facts.failed()) {
      io.out().println("Experiment failed: " + facts.failureReason());
      io.out().flush();
      return ExitCodes.NO;
    }
    String recommended = facts.status().map(s -> s.versionRecommendedForPromotion()).orElse(null);
    io.out().println("Experiment completed: " + facts.winner().map(w -> "winner " + w).orElse("no winner") + "."
        + (recommended == null ? "" : " Version recommended for promotion: " + recommended + "."));
    io.out().flush();
    return ExitCodes.OK;
  }

  /**
   * Where frames go. On a terminal each frame replaces the previous one (cursor up over its lines, clear to the end
   * of the screen); its lines are cut to the terminal's width, since a wrapped line would throw the count off.
   * Otherwise frames are appended, and only when the experiment changed, so a CI log shows each state once.
   */
  private final class Screen {
    private final boolean redraw;
    private int drawnLines;
    private String lastState;

    Screen(boolean redraw) {
      this.redraw = redraw;
    }

    void show(Experiment experiment, String frame) {
      if (redraw) {
        String fitted = WatchView.fit(frame, io.columns());
        if (drawnLines > 0) {
          io.out().print(String.format(CURSOR_UP, drawnLines) + "\r" + CLEAR_TO_END);
        }
        io.out().print(fitted);
        drawnLines = (int) fitted.chars().filter(c -> c == '\n').count();
      } else {
        String state = ApiMapper.toJson(experiment.status()) + ApiMapper.toJson(experiment.spec());
        if (!state.equals(lastState)) {
          io.out().print((lastState == null ? "" : "\n") + frame);
          lastState = state;
        }
      }
      io.out().flush();
    }
  }
}
