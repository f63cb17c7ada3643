package tools.iter8.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * iter8ctl, the command line of iter8 for Java: {@code describe}, {@code watch} and {@code assert} read experiments
 * from the cluster (get and list only); {@code validate} checks manifests offline.
 *
 * <p>{@link #run(String[], CliIO)} returns the exit code ({@link ExitCodes}) and never exits the JVM, so tests run
 * commands in-process; only {@link #main} calls {@link System#exit}.
 */
@Command(
    name = "iter8ctl",
    mixinStandardHelpOptions = true,
    versionProvider = Iter8ctl.Version.class,
    description = "Describe, watch and assert iter8 experiments; validate Experiment and Metric manifests.",
    footer = {
        "",
        "Exit codes: 0 yes (done, completed, all conditions hold, valid); 1 no (failed, a condition does not hold,"
            + " problems found); 2 no answer (usage, not found, API error, timeout)."},
    subcommands = {
        DescribeCommand.class,
        WatchCommand.class,
        AssertCommand.class,
        ValidateCommand.class,
        CommandLine.HelpCommand.class})
public final class Iter8ctl implements Callable<Integer> {
  @Spec CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args, CliIO.system()));
  }

  /** Runs one command line and returns its exit code. */
  public static int run(String[] args, CliIO io) {
    CommandLine cmd = new CommandLine(new Iter8ctl(), new Factory(io))
        .setOut(io.out())
        .setErr(io.err())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler((e, commandLine, parseResult) -> {
          if (e instanceof CliException c) {
            commandLine.getErr().println("error: " + c.getMessage());
            return c.exitCode();
          }
          commandLine.getErr().println("error: " + e);
          e.printStackTrace(commandLine.getErr());
          return ExitCodes.UNKNOWN;
        });
    try {
      return cmd.execute(args);
    } finally {
      io.out().flush();
      io.err().flush();
    }
  }

  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "missing command: describe, watch, assert or validate");
  }

  /** Gives every command the same {@link CliIO}. */
  private record Factory(CliIO io) implements IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      try {
        var constructor = cls.getDeclaredConstructor(CliIO.class);
        constructor.setAccessible(true);
        return constructor.newInstance(io);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(cls);
      }
    }
  }

  /** The version the build wrote into the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Iter8ctl.class.getPackage().getImplementationVersion();
      return new String[] {"iter8ctl " + (v == null ? "(development build)" : v)};
    }
  }
}
