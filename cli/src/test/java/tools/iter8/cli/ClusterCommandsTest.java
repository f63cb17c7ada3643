package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.ExperimentStatus;

/**
 * describe, watch and assert against the Kubernetes API emulation, reached through a kubeconfig as a user would,
 * while a background thread advances the experiment's status through the status subresource as the agent does.
 */
class ClusterCommandsTest {
  private static final Path KUBECTL = Path.of("/usr/bin/kubectl");
  private static final Pattern ITERATIONS = Pattern.compile("Iterations: \\[[#-]+] (\\d+) of 12");

  @TempDir Path dir;

  private EmulatedCluster cluster;
  private Path kubeconfig;
  private CompletableFuture<Void> agent = CompletableFuture.completedFuture(null);

  @BeforeEach
  void start() {
    cluster = new EmulatedCluster();
    kubeconfig = cluster.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  @AfterEach
  void stop() throws Exception {
    agent.get(10, TimeUnit.SECONDS);
    cluster.close();
  }

  @Test
  void watchFollowsTheExperimentUntilItCompletesAndExitsZero() {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    advance(canary, 0);

    TestConsole console = console(false);
    int exit = console.run("watch", "quickstart-exp", "--kubeconfig", kubeconfig.toString(), "--interval", "50ms");

    assertThat(exit).as(console.err()).isZero();
    List<Integer> shown = iterationsShown(console.out());
    assertThat(shown).as("iterations in successive frames").isSorted().contains(0, 8).hasSizeGreaterThan(3);
    assertThat(console.out())
        .contains("Experiment: default/quickstart-exp (Canary, Progressive)")
        .contains("Stage: Running, loop 1 of 1")
        .contains("Decision: Continue: no winner yet")
        .contains("Stage: Completed, loop 1 of 1, elapsed 1m12s")
        .contains("""
              VERSION    WEIGHT  NEXT  P(BEST)  mean-latency   latency-p95    error-rate
              current         0     0    0.029  true (>0.999)  true (0.997)   true (0.986)
              candidate     100   100    0.971  true (>0.999)  true (>0.999)  true (0.971)
            Winner: candidate
            """)
        .endsWith("Winner: candidate\n"
            + "Decision: Promote: promoting candidate: candidate candidate meets every objective:"
            + " iter8-knative/mean-latency met (>0.999), iter8-knative/latency-p95 met (0.999),"
            + " iter8-knative/error-rate met (0.971); 1602 requests, as at the previous iteration\n"
            + "Experiment completed: winner candidate. Version recommended for promotion: candidate.\n");
    assertThat(console.out()).doesNotContain("\u001b[");
  }

  @Test
  void watchRedrawsInPlaceOnATerminal() {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    advance(canary, 0);

    TestConsole console = console(true);
    int exit = console.run("watch", "--kubeconfig", kubeconfig.toString(), "--interval", "50ms");

    assertThat(exit).isZero();
    assertThat(console.out()).contains("\u001b[" + frameLines(console.out()) + "A\r\u001b[J");
    assertThat(console.out().lines()).allSatisfy(line -> assertThat(line.replaceAll("\u001b\\[\\d*[AJ]\r?", ""))
        .hasSizeLessThan(100));
    assertThat(console.out()).endsWith("Experiment completed: winner candidate."
        + " Version recommended for promotion: candidate.\n");
  }

  @Test
  void watchExitsOneWhenTheExperimentFails() {
    Experiment failed = Fixtures.experiment("failed");
    cluster.create(failed);
    advance(failed, 0);

    TestConsole console = console(false);
    int exit = console.run("watch", "sample-app-canary", "-n", "staging", "--kubeconfig", kubeconfig.toString(),
        "--interval", "50ms");

    assertThat(exit).as(console.out() + console.err()).isEqualTo(ExitCodes.NO);
    assertThat(console.out()).contains("Failed: MetricsUnreadable: metric queries failed 3 iterations in a row")
        .endsWith("Experiment failed: MetricsUnreadable: metric queries failed 3 iterations in a row (limit 3);"
            + " rolled back to current\n");
  }

  @Test
  void watchGivesUpWithExitTwoAfterTheTimeout() {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    cluster.writeStatus("default", "quickstart-exp", Progression.at(canary.status(), 3));

    TestConsole console = console(false);
    int exit = console.run("watch", "quickstart-exp", "--kubeconfig", kubeconfig.toString(), "--interval", "50ms",
        "--timeout", "300ms");

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).contains("timed out after 0s waiting for experiment default/quickstart-exp to complete"
        + " (stage Running, 3 of 12 iterations)");
    assertThat(iterationsShown(console.out())).containsExactly(3);
  }

  @Test
  void watchOfAnExperimentThatDoesNotExistExitsTwo() {
    TestConsole console = console(false);

    int exit = console.run("watch", "nope", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).isEqualTo("error: experiment nope not found in namespace default\n");
  }

  @Test
  void assertWaitsForEveryConditionAndSaysAllConditionsSatisfied() {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    advance(canary, 0);

    TestConsole console = console(false);
    int exit = console.run("assert", "-c", "completed", "-c", "winnerFound,candidateWon", "-c", "noFailure",
        "--timeout", "30s", "--interval", "50ms", "quickstart-exp", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).as(console.out() + console.err()).isZero();
    assertThat(console.out()).isEqualTo("All conditions satisfied.\n");
  }

  @Test
  void assertAfterItsTimeoutNamesTheConditionThatDoesNotHoldAndExitsOne() {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    cluster.writeStatus("default", "quickstart-exp", Progression.at(canary.status(), 3));

    TestConsole console = console(false);
    int exit = console.run("assert", "-c", "noFailure", "-c", "completed", "-c", "winnerFound", "--timeout", "300ms",
        "--interval", "50ms", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).isEqualTo(ExitCodes.NO);
    assertThat(console.out()).isEqualTo("""
        Condition not satisfied: completed: experiment has not completed (stage Running, 3 of 12 iterations)
        Condition not satisfied: winnerFound: no winner found in experiment (no winner yet: candidate candidate is undecided)
        Experiment default/quickstart-exp after waiting 0s; 2 of 3 conditions not satisfied.
        """);
  }

  @Test
  void assertOnAFailedExperimentAnswersAtOnceWithoutWaitingForTheTimeout() {
    Experiment failed = Fixtures.experiment("failed");
    cluster.create(failed);
    cluster.writeStatus("staging", "sample-app-canary", failed.status());

    TestConsole console = console(false);
    long started = System.nanoTime();
    int exit = console.run("assert", "-c", "completed,noFailure,candidateWon", "--timeout", "60s", "-n", "staging",
        "sample-app-canary", "--kubeconfig", kubeconfig.toString());

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    assertThat(exit).isEqualTo(ExitCodes.NO);
    assertThat(console.out()).isEqualTo("""
        Condition not satisfied: noFailure: experiment failed: MetricsUnreadable: metric queries failed 3 iterations in a row (limit 3); rolled back to current
        Condition not satisfied: candidateWon: candidate candidate did not win (winner: not found)
        Experiment staging/sample-app-canary has completed; 2 of 3 conditions not satisfied.
        """);
  }

  @Test
  void assertRejectsAnUnknownConditionAsAUsageError() {
    TestConsole console = console(false);

    int exit = console.run("assert", "-c", "promoted", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).contains(
        "unknown condition 'promoted'; expected one of completed, winnerFound, candidateWon, noFailure");
  }

  @Test
  void describeWithoutANameShowsTheExperimentCreatedLast() throws Exception {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    cluster.writeStatus("default", "quickstart-exp", canary.status());
    Thread.sleep(1100); // creation timestamps have one-second precision
    Experiment conformance = Fixtures.experiment("conformance");
    cluster.create(conformance);
    cluster.writeStatus("default", "conformance-exp", conformance.status());

    TestConsole console = console(false);
    int exit = console.run("describe", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).isZero();
    assertThat(console.out()).contains("Experiment name: conformance-exp\n");
  }

  @Test
  void describeOfAnExperimentFromTheClusterMatchesItsGolden() {
    Experiment abn = Fixtures.experiment("abn");
    cluster.create(abn);
    cluster.writeStatus("bookinfo-iter8", "abn-exp", abn.status());

    TestConsole console = new TestConsole(Map.of(), dir, DescribeGoldenTest.CLOCK, false, "");
    int exit = console.run("describe", "abn-exp", "-n", "bookinfo-iter8", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).as(console.err()).isZero();
    assertThat(console.out()).isEqualTo(Fixtures.text("golden/describe-abn.txt"));
  }

  @Test
  void describeOutputsTheResourceAsJsonOrYaml() throws Exception {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    cluster.writeStatus("default", "quickstart-exp", canary.status());

    TestConsole json = console(false);
    TestConsole yaml = console(false);
    json.run("describe", "quickstart-exp", "-o", "json", "--kubeconfig", kubeconfig.toString());
    yaml.run("describe", "quickstart-exp", "-o", "yaml", "--kubeconfig", kubeconfig.toString());

    Experiment fromJson = ApiMapper.read(json.out(), Experiment.class);
    Experiment fromYaml = ApiMapper.read(yaml.out(), Experiment.class);
    assertThat(fromJson.status()).isEqualTo(canary.status());
    assertThat(fromYaml.spec()).isEqualTo(canary.spec());
    assertThat(fromYaml.status()).isEqualTo(canary.status());
    assertThat(json.out()).startsWith("{\n");
  }

  @Test
  void kubeconfigComesFromTheKubeconfigVariableAndNamespaceFromTheContext() throws Exception {
    Experiment ab = Fixtures.experiment("ab-reward");
    cluster.create(ab);
    cluster.writeStatus("bookinfo-iter8", "quickstart-exp", ab.status());
    Path config = dir.resolve("config-with-namespace");
    Files.writeString(config, Files.readString(kubeconfig).replace("namespace: default", "namespace: bookinfo-iter8"));

    TestConsole console = new TestConsole(
        Map.of("KUBECONFIG", dir.resolve("absent") + File.pathSeparator + config), dir.resolve("home"),
        Clock.systemUTC(), false, "");
    int exit = console.run("describe", "quickstart-exp");

    assertThat(exit).as(console.err()).isZero();
    assertThat(console.out()).contains("Experiment namespace: bookinfo-iter8\n", "Testing pattern: A/B\n");
  }

  @Test
  void contextFlagSelectsAContextOtherThanTheCurrentOne() throws Exception {
    Experiment canary = Fixtures.experiment("canary");
    cluster.create(canary);
    Path config = dir.resolve("two-contexts");
    Files.writeString(config, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: emulation
          cluster:
            server: %s
        - name: nowhere
          cluster:
            server: http://127.0.0.1:9
        users:
        - name: someone
          user: {}
        contexts:
        - name: emulation
          context: {cluster: emulation, user: someone, namespace: default}
        - name: nowhere
          context: {cluster: nowhere, user: someone}
        current-context: nowhere
        """.formatted(cluster.kube().url()));

    TestConsole selected = console(false);
    TestConsole unknown = console(false);
    int selectedExit = selected.run("assert", "-c", "noFailure", "quickstart-exp", "--kubeconfig", config.toString(),
        "--context", "emulation");
    int unknownExit = unknown.run("describe", "--kubeconfig", config.toString(), "--context", "staging");

    assertThat(selectedExit).as(selected.err()).isZero();
    assertThat(selected.out()).isEqualTo("All conditions satisfied.\n");
    assertThat(unknownExit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(unknown.err()).isEqualTo("error: context \"staging\" not found in " + config + "\n");
  }

  @Test
  void anUnreachableApiServerIsReportedWithExitTwo() throws Exception {
    Path config = dir.resolve("nowhere");
    Files.writeString(config, Files.readString(kubeconfig).replace(cluster.kube().url(), "http://127.0.0.1:9"));

    TestConsole console = console(false);
    int exit = console.run("describe", "x", "--kubeconfig", config.toString());

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).startsWith("error: get experiment default/x: ").contains("[" + config + ", context ");
  }

  @Test
  void withoutAnyKubeconfigTheCommandSaysWhereItLooked() {
    TestConsole console = new TestConsole(Map.of(), dir.resolve("empty-home"), Clock.systemUTC(), false, "");

    int exit = console.run("describe");

    assertThat(exit).isEqualTo(ExitCodes.UNKNOWN);
    assertThat(console.err()).isEqualTo("error: no kubeconfig: pass --kubeconfig, set KUBECONFIG, or create "
        + dir.resolve("empty-home/.kube/config") + "\n");
  }

  @Test
  void readsAnExperimentThatRealKubectlApplied() throws Exception {
    assumeTrue(Files.isExecutable(KUBECTL), "kubectl is not installed at " + KUBECTL);
    Path manifest = Fixtures.projectRoot().resolve("docs/examples/v2alpha2/knative-canary.yaml");
    Process kubectl = new ProcessBuilder(KUBECTL.toString(), "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString(), "apply", "--validate=false", "-f", manifest.toString())
        .redirectErrorStream(true).start();
    assertThat(kubectl.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(kubectl.exitValue()).as(new String(kubectl.getInputStream().readAllBytes())).isZero();

    TestConsole console = console(false);
    int exit = console.run("describe", "quickstart-exp", "--kubeconfig", kubeconfig.toString());

    assertThat(exit).as(console.err()).isZero();
    assertThat(console.out()).contains("Target: default/sample-app\n", "Number of completed iterations: 0\n",
        "Iterations: 0 of 12 (12 per loop, one every 10s)\n");
  }

  // ---- Helpers -------------------------------------------------------------------------------------------------

  private TestConsole console(boolean terminal) {
    return new TestConsole(Map.of(), dir, Clock.systemUTC(), terminal, "");
  }

  /** Plays the agent: the status after each iteration, one every 120 ms, until the fixture's final status. */
  private void advance(Experiment experiment, int from) {
    String ns = experiment.metadata().namespace();
    String name = experiment.metadata().name();
    ExperimentStatus last = experiment.status();
    cluster.writeStatus(ns, name, Progression.at(last, from));
    agent = CompletableFuture.runAsync(() -> {
      for (int i = from + 1; i <= last.completedIterations(); i++) {
        sleep(120);
        cluster.writeStatus(ns, name, Progression.at(last, i));
      }
    });
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static List<Integer> iterationsShown(String output) {
    Matcher m = ITERATIONS.matcher(output);
    List<Integer> shown = new ArrayList<>();
    while (m.find()) {
      shown.add(Integer.parseInt(m.group(1)));
    }
    return shown;
  }

  /** The number of lines of the first frame: what the second one moves the cursor up by. */
  private static int frameLines(String output) {
    int escape = output.indexOf('\u001b');
    return (int) output.substring(0, escape).chars().filter(c -> c == '\n').count();
  }

}
