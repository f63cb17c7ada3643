package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.await;
import static tools.iter8.agent.tasks.TaskTestSupport.canaryWithStatus;
import static tools.iter8.agent.tasks.TaskTestSupport.context;
import static tools.iter8.agent.tasks.TaskTestSupport.experiment;
import static tools.iter8.agent.tasks.TaskTestSupport.failure;
import static tools.iter8.agent.tasks.TaskTestSupport.winner;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;

/** {@link ActionRunner}: conditions, order, failures, ignored failures, scripts, collected histograms. */
class ActionRunnerTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

  /** A task that records what it saw and answers as told. */
  static final class FakeTask implements Task {
    final String name;
    final boolean notification;
    final Function<TaskContext, Future<TaskOutcome>> behaviour;
    final List<TaskContext> runs = new CopyOnWriteArrayList<>();

    FakeTask(String name, boolean notification, Function<TaskContext, Future<TaskOutcome>> behaviour) {
      this.name = name;
      this.notification = notification;
      this.behaviour = behaviour;
    }

    static FakeTask succeeding(String name) {
      return new FakeTask(name, false, c -> Future.succeededFuture(TaskOutcome.done("done")));
    }

    static FakeTask failing(String name, boolean notification, String reason) {
      return new FakeTask(name, notification, c -> Future.failedFuture(new TaskException(reason)));
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
      runs.add(context);
      return behaviour.apply(context);
    }

    @Override
    public boolean ignoresFailureByDefault() {
      return notification;
    }
  }

  private static List<TaskSpec> tasks(String yaml) {
    JsonNode list = ApiMapper.read(yaml, JsonNode.class);
    return StreamSupport.stream(list.spliterator(), false)
        .map(n -> ApiMapper.fromTree(n, TaskSpec.class))
        .toList();
  }

  private static ActionRunner runner(Task... tasks) {
    return new ActionRunner(TaskRegistry.of(tasks), CLOCK);
  }

  @Test
  void candidateWonRunsPromotionOnlyWhenTheOnlyCandidateIsTheWinner() {
    FakeTask promote = FakeTask.succeeding("common/promote");
    FakeTask rollback = FakeTask.succeeding("common/rollback");
    List<TaskSpec> finish = tasks("""
        - {if: CandidateWon(), task: common/promote}
        - {if: not CandidateWon(), task: common/rollback}
        """);

    ActionOutcome won = await(runner(promote, rollback).run(context(canaryWithStatus(winner("candidate"))), finish));

    assertThat(promote.runs).hasSize(1);
    assertThat(rollback.runs).isEmpty();
    assertThat(won.messages()).containsExactly(
        "[0] common/promote: done", "[1] common/rollback: skipped: if not CandidateWon() is false");
  }

  @Test
  void notCandidateWonRunsRollbackWhenTheBaselineWonOrThereIsNoWinner() {
    FakeTask promote = FakeTask.succeeding("common/promote");
    FakeTask rollback = FakeTask.succeeding("common/rollback");
    List<TaskSpec> finish = tasks("""
        - {if: CandidateWon(), task: common/promote}
        - {if: not CandidateWon(), task: common/rollback}
        """);
    ActionRunner runner = runner(promote, rollback);

    await(runner.run(context(canaryWithStatus(winner("baseline"))), finish));
    await(runner.run(context(canaryWithStatus(winner(null))), finish));
    await(runner.run(context(experiment(TaskTestSupport.CANARY)), finish));

    assertThat(promote.runs).isEmpty();
    assertThat(rollback.runs).hasSize(3);
  }

  @Test
  void candidateWonIsFalseWithMoreThanOneCandidateEvenForTheWinner() {
    FakeTask promote = FakeTask.succeeding("common/promote");
    Experiment abn = experiment("""
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: exp, namespace: shop}
        spec:
          target: shop/backend
          strategy: {testingPattern: A/B/N}
          versionInfo:
            baseline: {name: baseline}
            candidates: [{name: c1}, {name: c2}]
        status:
          analysis: {winnerAssessment: {data: {winnerFound: true, winner: c1}}}
        """);

    ActionOutcome outcome = await(runner(promote).run(context(abn), tasks("""
        - {if: CandidateWon(), task: common/promote}
        - {if: WinnerFound(), task: common/promote}
        """)));

    assertThat(promote.runs).hasSize(1);
    assertThat(outcome.messages().get(0)).contains("skipped");
  }

  @Test
  void theFirstFailedTaskStopsTheActionAndIsNamedWithItsIndexAndReason() {
    FakeTask readiness = FakeTask.failing("common/readiness", false, "Deployment shop/backend: not found");
    FakeTask slack = FakeTask.succeeding("notification/slack");

    Throwable e = failure(runner(readiness, slack).run(context(experiment(TaskTestSupport.CANARY), ActionKind.START), tasks("""
        - {task: notification/slack}
        - {task: common/readiness}
        - {task: notification/slack}
        """)));

    assertThat(e).isInstanceOfSatisfying(ActionFailedException.class, f -> {
      assertThat(f.getMessage()).isEqualTo(
          "start action: task [1] common/readiness failed: Deployment shop/backend: not found");
      assertThat(f.taskIndex()).isEqualTo(1);
      assertThat(f.messages()).containsExactly(
          "[0] notification/slack: done", "[1] common/readiness: failed: Deployment shop/backend: not found");
    });
    assertThat(slack.runs).as("the task after the failed one does not run").hasSize(1);
  }

  @Test
  void ignoreFailureTrueLetsTheActionGoOn() {
    FakeTask readiness = FakeTask.failing("common/readiness", false, "not ready");
    FakeTask promote = FakeTask.succeeding("common/promote");

    ActionOutcome outcome = await(runner(readiness, promote).run(context(experiment(TaskTestSupport.CANARY)), tasks("""
        - {task: common/readiness, with: {ignoreFailure: true}}
        - {task: common/promote}
        """)));

    assertThat(promote.runs).hasSize(1);
    assertThat(outcome.messages()).containsExactly(
        "[0] common/readiness: failed, ignored (ignoreFailure): not ready", "[1] common/promote: done");
  }

  @Test
  void notificationFailuresAreIgnoredByDefaultButNotWhenIgnoreFailureIsFalse() {
    FakeTask http = FakeTask.failing("notification/http", true, "HTTP 503 from POST https://hooks.example/x");
    ActionRunner runner = runner(http);
    Experiment e = experiment(TaskTestSupport.CANARY);

    ActionOutcome ignored = await(runner.run(context(e), tasks("[{task: notification/http}]")));
    Throwable surfaced = failure(runner.run(context(e), tasks("[{task: notification/http, with: {ignoreFailure: false}}]")));

    assertThat(ignored.messages()).containsExactly(
        "[0] notification/http: failed, ignored (ignoreFailure): HTTP 503 from POST https://hooks.example/x");
    assertThat(surfaced).hasMessage("finish action: task [0] notification/http failed: HTTP 503 from POST https://hooks.example/x");
  }

  @Test
  void runScriptsAreSkippedWithAMessageNotExecutedAndNotFailed() {
    FakeTask promote = FakeTask.succeeding("common/promote");

    ActionOutcome outcome = await(runner(promote).run(context(canaryWithStatus(winner("candidate"))), tasks("""
        - {if: CandidateWon(), run: "kubectl apply -f candidate.yaml"}
        - {if: not CandidateWon(), run: "kubectl apply -f baseline.yaml"}
        - {task: common/promote}
        """)));

    assertThat(outcome.messages()).hasSize(3);
    assertThat(outcome.messages().get(0)).startsWith("[0] run: skipped: the agent runs no scripts")
        .contains("common/promote");
    assertThat(outcome.messages().get(1)).isEqualTo("[1] run: skipped: if not CandidateWon() is false");
    assertThat(promote.runs).hasSize(1);
  }

  @Test
  void collectedHistogramsReachTheNextTaskAndTheOutcome() {
    JsonNode first = ApiMapper.read("{v1: {DurationHistogram: {Count: 1}}}", JsonNode.class);
    JsonNode second = ApiMapper.read("{v1: {DurationHistogram: {Count: 2}}}", JsonNode.class);
    List<JsonNode> seen = new CopyOnWriteArrayList<>();
    FakeTask collect = new FakeTask("metrics/collect", false, c -> {
      JsonNode before = BuiltinHistograms.of(c.experiment());
      seen.add(before == null ? ApiMapper.json().nullNode() : before);
      return Future.succeededFuture(new TaskOutcome(before == null ? first : second, "collected"));
    });
    FakeTask notify = FakeTask.succeeding("notification/http");

    ActionOutcome outcome = await(runner(collect, notify).run(context(experiment(TaskTestSupport.CANARY), ActionKind.LOOP), tasks("""
        - {task: metrics/collect}
        - {task: notification/http}
        - {task: metrics/collect}
        """)));

    assertThat(seen).containsExactly(ApiMapper.json().nullNode(), first);
    Experiment seenByNotification = notify.runs.get(0).experiment();
    assertThat(seenByNotification.status().analysis().aggregatedBuiltinHists().provenance()).isEqualTo("Builtin metrics collector");
    assertThat(seenByNotification.status().analysis().aggregatedBuiltinHists().timestamp()).isEqualTo(CLOCK.instant());
    assertThat(outcome.builtinHistograms()).isEqualTo(second);
    assertThat(notify.runs.get(0).action()).isEqualTo(ActionKind.LOOP);
  }

  @Test
  void anActionWithoutCollectLeavesTheHistogramsAlone() {
    ActionOutcome outcome = await(runner(FakeTask.succeeding("common/readiness")).run(
        context(experiment(TaskTestSupport.CANARY)), tasks("[{task: common/readiness}]")));

    assertThat(outcome.builtinHistograms()).isNull();
  }

  @Test
  void anUnknownTaskOrAThrowingTaskFailsTheAction() {
    FakeTask throwing = new FakeTask("common/readiness", false, c -> {
      throw new IllegalStateException("bug");
    });
    ActionRunner runner = runner(throwing);
    Experiment e = experiment(TaskTestSupport.CANARY);

    assertThat(failure(runner.run(context(e), tasks("[{task: common/frobnicate}]"))))
        .hasMessageStartingWith("finish action: task [0] common/frobnicate failed: unknown task; the agent runs common/readiness");
    assertThat(failure(runner.run(context(e), tasks("[{task: common/readiness}]"))))
        .hasMessage("finish action: task [0] common/readiness failed: bug");
  }

  @Test
  void anEmptyActionSucceedsWithNoMessages() {
    ActionOutcome outcome = await(runner().run(context(experiment(TaskTestSupport.CANARY)), List.of()));

    assertThat(outcome.messages()).isEmpty();
    assertThat(outcome.builtinHistograms()).isNull();
  }
}
