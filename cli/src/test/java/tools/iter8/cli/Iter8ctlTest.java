package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line itself: usage errors, help and version, and that no command ends the JVM. */
class Iter8ctlTest {
  @TempDir Path home;

  @Test
  void withoutACommandPrintsUsageAndExitsTwo() {
    TestConsole console = TestConsole.offline(home);

    assertThat(console.run()).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).startsWith("missing command: describe, watch, assert or validate\nUsage: iter8ctl");
  }

  @Test
  void unknownOptionIsAUsageError() {
    TestConsole console = TestConsole.offline(home);

    assertThat(console.run("describe", "--bogus")).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).startsWith("Unknown option: '--bogus'");
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    TestConsole console = TestConsole.offline(home);

    assertThat(console.run("--help")).isZero();
    assertThat(console.out()).contains("describe", "watch", "assert", "validate",
        "Exit codes: 0 yes (done, completed, all conditions hold, valid)");
  }

  @Test
  void assertNeedsAtLeastOneCondition() {
    TestConsole console = TestConsole.offline(home);

    assertThat(console.run("assert", "my-exp")).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).startsWith("Missing required option: '--condition=COND'");
  }

  @Test
  void describeOfAFileThatIsNotAnExperimentExitsTwo() {
    TestConsole console = TestConsole.offline(home);

    int exit = console.run("describe", "-f", Fixtures.path("broken/syntax-error.yaml").toString());

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).startsWith("error: " + Fixtures.path("broken/syntax-error.yaml") + " is not an Experiment:");
  }

  @Test
  void describeReadsAnExperimentFromStandardInput() {
    TestConsole console = new TestConsole(Map.of(), home, DescribeGoldenTest.CLOCK, false,
        Fixtures.experimentText("failed"));

    assertThat(console.run("describe", "-f", "-")).isZero();
    assertThat(console.out()).isEqualTo(Fixtures.text("golden/describe-failed.txt"));
  }
}
