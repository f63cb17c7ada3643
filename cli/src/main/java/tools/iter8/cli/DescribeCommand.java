package tools.iter8.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;

/** {@code iter8ctl describe [NAME]}: the original's description of an experiment, plus what it left out. */
@Command(
    name = "describe",
    description = {
        "Describe an experiment: the original iter8ctl's sections (overview, progress, winner, rewards, objectives,"
            + " metrics) and then loop and timing, current and recommended weights, the decision with its reason,"
            + " and conditions.",
        "Without NAME, the experiment created last in the namespace."},
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = Iter8ctl.Version.class)
final class DescribeCommand extends ClusterCommand implements Callable<Integer> {
  enum Format { TEXT, JSON, YAML }

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "Experiment name.")
  String name;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "text (default), json or yaml.")
  Format output = Format.TEXT;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Describe the Experiment in this YAML or JSON file (- for stdin) instead of reading the cluster.")
  String file;

  DescribeCommand(CliIO io) {
    super(io);
  }

  @Override
  public Integer call() {
    Experiment experiment = file != null ? fromFile() : find(name);
    switch (output) {
      case JSON -> io.out().println(pretty(experiment));
      case YAML -> io.out().print(ApiMapper.toYaml(experiment));
      default -> io.out().print(new ExperimentDescriber(io.clock()).describe(experiment));
    }
    return ExitCodes.OK;
  }

  private Experiment fromFile() {
    String text;
    try {
      text = "-".equals(file)
          ? new String(io.in().readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (IOException e) {
      throw new CliException(ExitCodes.UNKNOWN, "cannot read " + file + ": " + e.getMessage(), e);
    }
    try {
      return ApiMapper.read(text, Experiment.class);
    } catch (IllegalArgumentException e) {
      String why = e.getCause() instanceof JsonProcessingException syntax
          ? ManifestValidator.syntaxError(file, syntax, 0).resource() + ": "
              + ManifestValidator.syntaxError(file, syntax, 0).message()
          : e.getMessage();
      throw new CliException(ExitCodes.UNKNOWN, file + " is not an Experiment: " + why, e);
    }
  }

  private static String pretty(Experiment experiment) {
    try {
      return ApiMapper.json().writerWithDefaultPrettyPrinter().writeValueAsString(experiment);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
