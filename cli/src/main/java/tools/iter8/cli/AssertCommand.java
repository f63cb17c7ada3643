package tools.iter8.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.iter8.cli.ExperimentClient.KubeApiException;
import tools.iter8.core.api.Experiment;

/**
 * {@code iter8ctl assert -c ... [NAME]}: a CI gate. Exit 0 with "All conditions satisfied." when every condition
 * holds, waiting up to {@code --timeout}; otherwise exit 1, naming each condition that does not hold. It stops
 * waiting as soon as the answer cannot change: once the experiment completed or failed.
 */
@Command(
    name = "assert",
    description = {
        "Assert conditions on an experiment, for CI/CD gates before promotion or rollback.",
        "Without NAME, the experiment created last in the namespace.",
        "Exit codes: 0 all conditions hold, 1 a condition does not hold (named), 2 not found or not readable."},
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = Iter8ctl.Version.class)
final class AssertCommand extends ClusterCommand implements Callable<Integer> {
  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Experiment name.")
  String name;

  @Option(names = {"-c", "--condition"}, required = true, split = ",", paramLabel = "COND",
      converter = AssertCondition.Converter.class, completionCandidates = AssertCondition.Names.class,
      description = "Condition to hold, repeatable: ${COMPLETION-CANDIDATES}.")
  List<AssertCondition> conditions;

  @Option(names = {"-t", "--timeout"}, paramLabel = "D", converter = Durations.class, defaultValue = "0s",
      description = "Wait up to this long for the conditions to hold (default: check once).")
  Duration timeout;

  @Option(names = {"-i", "--interval"}, paramLabel = "D", converter = Durations.class, defaultValue = "1s",
      description = "Time between reads while waiting (default: ${DEFAULT-VALUE}).")
  Duration interval;

  AssertCommand(CliIO io) {
    super(io);
  }

  @Override
  public Integer call() {
    Instant deadline = io.clock().instant().plus(timeout);
    String experimentName = name;
    String lastWarning = null;
    while (true) {
      boolean waiting = io.clock().instant().isBefore(deadline);
      Optional<Experiment> found;
      try {
        found = lookup(experimentName);
      } catch (KubeApiException e) {
        if (!e.transientFailure() || !waiting) {
          throw unreachable(e);
        }
        if (!e.getMessage().equals(lastWarning)) {
          io.err().println("warning: " + e.getMessage() + "; retrying");
          io.err().flush();
          lastWarning = e.getMessage();
        }
        found = null;
      }
      if (found != null && found.isEmpty() && !waiting) {
        throw notFound(experimentName);
      }
      if (found == null || found.isEmpty()) {
        // Not readable yet, or not created yet (a pipeline may assert right after applying it): wait.
        if (!pause(interval)) {
          return ExitCodes.UNKNOWN;
        }
        continue;
      }
      Experiment experiment = found.get();
      experimentName = experiment.metadata().name();
      ExperimentFacts facts = new ExperimentFacts(experiment);
      List<AssertCondition> unmet = conditions.stream().filter(c -> !c.holds(facts)).toList();
      if (unmet.isEmpty()) {
        io.out().println("All conditions satisfied.");
        return ExitCodes.OK;
      }
      boolean settled = facts.completed() || facts.failed();
      if (settled || !io.clock().instant().isBefore(deadline)) {
        for (AssertCondition c : unmet) {
          io.out().println("Condition not satisfied: " + c.wireName() + ": " + c.unmet(facts));
        }
        io.out().println("Experiment " + facts.key() + (settled ? " has completed; " : " after waiting "
            + Numbers.duration(timeout) + "; ") + unmet.size() + " of " + conditions.size()
            + " conditions not satisfied.");
        return ExitCodes.NO;
      }
      io.out().flush();
      if (!pause(interval)) {
        return ExitCodes.UNKNOWN;
      }
    }
  }
}
