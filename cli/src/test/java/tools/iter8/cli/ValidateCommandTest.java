package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  @TempDir Path home;

  private final Path broken = Fixtures.path("broken");

  @Test
  void everyDocumentedSampleIsValid() {
    TestConsole console = TestConsole.offline(home);
    Path samples = Fixtures.projectRoot().resolve("docs/examples/v2alpha2");

    int exit = console.run("validate", "-f", samples.toString());

    assertThat(console.out()).endsWith("9 files: no problems.\n");
    assertThat(exit).isZero();
  }

  @Test
  void reportsEveryProblemWithFileResourceAndFieldPathAndExitsOne() {
    TestConsole console = TestConsole.offline(home);
    String file = broken.resolve("problems.yaml").toString();

    int exit = console.run("validate", "-f", file);

    assertThat(exit).isEqualTo(ExitCodes.NO);
    assertThat(console.out()).contains(
        file + ": Experiment default/typo-exp: spec.strategy.testingPattern: unknown testing pattern \"Canery\";",
        file + ": Experiment default/typo-exp: spec.strategy.deploymentPatern: unknown field;",
        file + ": Experiment default/typo-exp: spec.target: is required\n",
        file + ": Experiment default/typo-exp: spec.duration.iterationsPerLoop: must be at least 1, got 0\n",
        file + ": Experiment default/typo-exp: spec.criteria.objectives[0]: needs an upperLimit, a lowerLimit or both\n",
        file + ": Experiment default/typo-exp: spec.versionInfo.candidates[0].name: version names must be unique;",
        file + ": Metric error-rate: spec.type: must be Counter, Gauge or Histogram, got \"gauge\"\n",
        file + ": Metric error-rate: spec.method: must be GET or POST, got \"PUT\"\n",
        file + ": Metric error-rate: spec.jqExpression: is not a valid jq expression:",
        file + ": Metric error-rate: spec.urlTemplate: expected an http:// or https:// URL");
    assertThat(console.out()).doesNotContain("Metric iter8-knative/request-count");
    assertThat(console.out()).endsWith("3 resources in 1 file: 11 problems.\n");
  }

  @Test
  void aProblemTheSchemaAndIter8BothSeeIsPrintedOnce() {
    TestConsole console = TestConsole.offline(home);

    console.run("validate", "-f", broken.resolve("problems.yaml").toString());

    assertThat(console.out().lines().filter(l -> l.contains("spec.strategy.testingPattern"))).hasSize(1);
  }

  @Test
  void yamlSyntaxErrorIsReportedWithLineAndColumn() {
    TestConsole console = TestConsole.offline(home);
    String file = broken.resolve("syntax-error.yaml").toString();

    int exit = console.run("validate", "-f", file);

    assertThat(exit).isEqualTo(ExitCodes.NO);
    assertThat(console.out()).startsWith(file + ": line 10, column 12: not valid YAML: while scanning a quoted scalar;");
  }

  @Test
  void otherKindsAreReportedUnlessIgnored() {
    String file = broken.resolve("other-kinds.yaml").toString();
    TestConsole reported = TestConsole.offline(home);
    TestConsole ignored = TestConsole.offline(home);

    assertThat(reported.run("validate", "-f", file)).isEqualTo(ExitCodes.NO);
    assertThat(reported.out()).contains(file + ": Deployment default/sample-app: apiVersion: expected apiVersion and kind"
        + " of iter8.tools/v2alpha2 Experiment, iter8.tools/v2alpha2 Metric; got \"apps/v1\" and \"Deployment\"");

    // An old iter8 apiVersion is never ignored: it is a mistake, not someone else's resource.
    assertThat(ignored.run("validate", "--ignore-other-kinds", "-f", file)).isEqualTo(ExitCodes.NO);
    assertThat(ignored.out()).doesNotContain("Deployment").contains("Experiment old-exp: apiVersion:");
  }

  @Test
  void readsStandardInputWithDash() {
    TestConsole console = new TestConsole(Map.of(), home, Clock.systemUTC(), false, Fixtures.experimentText("canary"));

    int exit = console.run("validate", "-f", "-");

    assertThat(console.out()).isEqualTo("1 resource in 1 file: no problems.\n");
    assertThat(exit).isZero();
  }

  @Test
  void emptyDocumentsAreSkippedAndDocumentsBeforeASyntaxErrorStillChecked() {
    String stream = "---\n" + Fixtures.experimentText("canary") + "---\n---\n"
        + "apiVersion: iter8.tools/v2alpha2\nkind: Metric\nmetadata: {name: m}\nspec: {type: counter}\n"
        + "---\nfoo: [1, 2\n";
    TestConsole console = new TestConsole(Map.of(), home, Clock.systemUTC(), false, stream);

    int exit = console.run("validate", "-f", "-");

    assertThat(exit).isEqualTo(ExitCodes.NO);
    assertThat(console.out()).contains("(stdin): Metric m: spec.type: must be Counter, Gauge or Histogram, got \"counter\"")
        .contains("(stdin): line ").contains(": not valid YAML: while parsing a flow sequence;")
        .doesNotContain("expected a resource")
        .endsWith("2 resources in 1 file: 4 problems.\n");
  }

  @Test
  void walksDirectoriesRecursivelyWithR() {
    TestConsole flat = TestConsole.offline(home);
    TestConsole deep = TestConsole.offline(home);
    Path root = Fixtures.path("experiments").getParent();

    flat.run("validate", "-f", root.resolve("experiments").toString());
    deep.run("validate", "-R", "--ignore-other-kinds", "-f", root.resolve("original").toString());

    assertThat(flat.out()).endsWith("5 resources in 5 files: no problems.\n");
    assertThat(deep.out()).contains("2 resources in 2 files");
  }

  @Test
  void anUnreadableFileExitsTwo() throws Exception {
    TestConsole console = TestConsole.offline(home);
    Path missing = home.resolve("missing.yaml");
    Files.deleteIfExists(missing);

    int exit = console.run("validate", "-f", missing.toString());

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).contains("cannot read " + missing);
  }
}
