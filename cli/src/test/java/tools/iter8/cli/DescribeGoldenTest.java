package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * {@code iter8ctl describe} of a Canary, a Conformance test, an A/B test with a reward (still running), an A/B/n
 * test and a failed experiment, compared byte for byte with the outputs under {@code golden/}, which were reviewed
 * by eye. After an intended change of the layout, regenerate them with
 * {@code mvn -pl cli test -Dtest=DescribeGoldenTest -Dgolden.update=true} and review the diff.
 */
class DescribeGoldenTest {
  /** Fixed, so the elapsed time of the running A/B test is too: 52 s after its start. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-03T09:01:05Z"), ZoneOffset.UTC);

  static final List<String> EXPERIMENTS = Fixtures.EXPERIMENTS;

  @TempDir Path home;

  @ParameterizedTest(name = "{0}")
  @FieldSource("EXPERIMENTS")
  void describePrintsTheReviewedGoldenOutput(String name) throws IOException {
    TestConsole console = new TestConsole(Map.of(), home, CLOCK, false, "");

    int exit = console.run("describe", "-f", Fixtures.path("experiments/" + name + ".yaml").toString());

    assertThat(exit).as(console.err()).isZero();
    String golden = "golden/describe-" + name + ".txt";
    if (Boolean.getBoolean("golden.update")) {
      Path dir = Path.of(System.getProperty("iter8.goldenDir", "src/test/resources/golden"));
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("describe-" + name + ".txt"), console.out(), StandardCharsets.UTF_8);
      return;
    }
    assertThat(console.out()).isEqualTo(Fixtures.text(golden));
  }
}
