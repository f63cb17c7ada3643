package tools.iter8.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.iter8.core.schema.CrdSchemas;

/**
 * {@code iter8ctl validate -f FILE...}: checks Experiment and Metric manifests offline, with no cluster, as the
 * webhook and API server would. Prints {@code FILE: Kind ns/name: path: message} per problem; exit 1 on any.
 */
@Command(
    name = "validate",
    description = {
        "Check Experiment and Metric YAML offline: the CRD schema in strict mode, then iter8's validation with"
            + " defaults applied. Every problem is printed with its field path.",
        "Exit codes: 0 no problems, 1 problems found, 2 a file could not be read."},
    sortOptions = false,
    mixinStandardHelpOptions = true,
    versionProvider = Iter8ctl.Version.class)
final class ValidateCommand implements Callable<Integer> {
  private static final String STDIN = "-";

  private final CliIO io;

  @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE",
      description = "YAML or JSON file, directory (its *.yaml, *.yml, *.json files) or - for stdin. Repeatable.")
  List<String> files;

  @Option(names = {"-R", "--recursive"}, description = "Descend into subdirectories of a directory given with -f.")
  boolean recursive;

  @Option(names = "--ignore-other-kinds",
      description = "Skip resources that are not iter8's (Deployments, Services, ...) instead of reporting them.")
  boolean ignoreOtherKinds;

  ValidateCommand(CliIO io) {
    this.io = io;
  }

  @Override
  public Integer call() {
    ManifestValidator validator = new ManifestValidator(CrdSchemas.builtin(), ignoreOtherKinds);
    int resources = 0;
    int problems = 0;
    int sources = 0;
    boolean unreadable = false;
    for (String f : files) {
      for (String source : expand(f)) {
        String text;
        try {
          text = STDIN.equals(source)
              ? new String(io.in().readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(source), StandardCharsets.UTF_8);
        } catch (IOException e) {
          io.err().println("error: cannot read " + source + ": " + e.getMessage());
          unreadable = true;
          continue;
        }
        sources++;
        ManifestValidator.Result result = validator.validate(STDIN.equals(source) ? "(stdin)" : source, text);
        resources += result.resources();
        problems += result.findings().size();
        result.findings().forEach(finding -> io.out().println(finding));
      }
    }
    io.out().println(resources + (resources == 1 ? " resource" : " resources") + " in " + sources
        + (sources == 1 ? " file" : " files") + ": "
        + (problems == 0 ? "no problems" : problems + (problems == 1 ? " problem" : " problems")) + ".");
    if (unreadable) {
      return ExitCodes.UNKNOWN;
    }
    return problems == 0 ? ExitCodes.OK : ExitCodes.NO;
  }

  /** A file as given; a directory as its manifest files, sorted. */
  private List<String> expand(String f) {
    Path p = Path.of(f);
    if (STDIN.equals(f) || !Files.isDirectory(p)) {
      return List.of(f);
    }
    try (Stream<Path> walk = recursive ? Files.walk(p) : Files.list(p)) {
      List<String> found = new ArrayList<>();
      walk.filter(Files::isRegularFile)
          .filter(x -> x.toString().matches(".*\\.(ya?ml|json)$"))
          .sorted()
          .forEach(x -> found.add(x.toString()));
      return found;
    } catch (IOException e) {
      io.err().println("error: cannot list " + f + ": " + e.getMessage());
      return List.of();
    }
  }
}
