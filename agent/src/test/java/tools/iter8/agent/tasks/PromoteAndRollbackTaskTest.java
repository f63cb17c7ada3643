package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.await;
import static tools.iter8.agent.tasks.TaskTestSupport.context;
import static tools.iter8.agent.tasks.TaskTestSupport.experiment;
import static tools.iter8.agent.tasks.TaskTestSupport.failure;

import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.workload.WorkloadHandler;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;

/** {@link PromoteTask} and {@link RollbackTask} delegate to the workload's handler, or say why not. */
class PromoteAndRollbackTaskTest {
  private static final TaskSpec PROMOTE = new TaskSpec("common/promote", null, null, null, null);
  private static final TaskSpec ROLLBACK = new TaskSpec("common/rollback", null, null, null, null);

  /** Records what it was asked to do; fails when told to. */
  static final class FakeWorkloadHandler implements WorkloadHandler {
    final List<String> calls = new CopyOnWriteArrayList<>();
    final String failWith;

    FakeWorkloadHandler(String failWith) {
      this.failWith = failWith;
    }

    private Future<Void> answer(String call) {
      calls.add(call);
      return failWith == null ? Future.succeededFuture() : Future.failedFuture(new IllegalStateException(failWith));
    }

    @Override
    public Future<Void> prepare(Experiment experiment) {
      return answer("prepare " + experiment.metadata().key());
    }

    @Override
    public Future<Void> promote(Experiment experiment) {
      return answer("promote " + experiment.metadata().key());
    }

    @Override
    public Future<Void> rollback(Experiment experiment, String reason) {
      return answer("rollback " + experiment.metadata().key() + ": " + reason);
    }

    @Override
    public Future<Void> abandon(Experiment experiment, String reason) {
      return answer("abandon " + experiment.metadata().key() + ": " + reason);
    }
  }

  private static Experiment generated(String status) {
    return experiment("""
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: exp, namespace: shop}
        spec:
          target: shop/backend
          targetRef: {apiVersion: apps/v1, kind: Deployment, name: backend}
          strategy: {testingPattern: Canary}
          versionInfo:
            baseline: {name: baseline}
            candidates: [{name: candidate}]
        status:
        """ + status.indent(2));
  }

  private static Function<Experiment, Optional<WorkloadHandler>> only(WorkloadHandler handler) {
    return e -> "Deployment".equals(e.spec().targetRef().kind()) ? Optional.of(handler) : Optional.empty();
  }

  @Test
  void promotionOfTheWinningCandidateIsTheWorkloadHandlersJob() {
    FakeWorkloadHandler handler = new FakeWorkloadHandler(null);

    TaskOutcome outcome = await(new PromoteTask(only(handler)).run(context(generated(TaskTestSupport.winner("candidate"))), PROMOTE));

    assertThat(handler.calls).containsExactly("promote shop/exp");
    assertThat(outcome.message()).isEqualTo("promoted candidate: Deployment shop/backend now runs only it");
  }

  @Test
  void aCandidateThatDidNotWinIsNeverPromoted() {
    FakeWorkloadHandler handler = new FakeWorkloadHandler(null);
    PromoteTask promote = new PromoteTask(only(handler));

    Throwable baselineWon = failure(promote.run(context(generated(TaskTestSupport.winner("baseline"))), PROMOTE));
    Throwable noWinner = failure(promote.run(context(generated(TaskTestSupport.winner(null))), PROMOTE));

    assertThat(handler.calls).isEmpty();
    assertThat(baselineWon).hasMessage("refusing to promote Deployment shop/backend: the candidate did not win "
        + "(winner: baseline); guard common/promote with if: CandidateWon(), and roll back otherwise");
    assertThat(noWinner).hasMessageContaining("(no winner)");
  }

  @Test
  void rollbackPassesTheLastDecisionsReasonToTheWorkloadHandler() {
    FakeWorkloadHandler handler = new FakeWorkloadHandler(null);
    Experiment e = generated("""
        decision: {action: Rollback, reason: "candidate violates error-rate <= 0.01 with probability 0.99"}
        """);

    TaskOutcome outcome = await(new RollbackTask(only(handler)).run(context(e, ActionKind.ROLLBACK), ROLLBACK));
    await(new RollbackTask(only(handler)).run(context(generated("stage: Completed"), ActionKind.FAILURE), ROLLBACK));

    assertThat(handler.calls).containsExactly(
        "rollback shop/exp: candidate violates error-rate <= 0.01 with probability 0.99",
        "rollback shop/exp: the failure action rolled the candidate back");
    assertThat(outcome.message()).isEqualTo("rolled back Deployment shop/backend to baseline baseline");
  }

  @Test
  void withoutATargetRefTheFinalTrafficSplitIsTheRelease() {
    FakeWorkloadHandler handler = new FakeWorkloadHandler(null);
    Experiment handWritten = TaskTestSupport.canaryWithStatus(
        "versionRecommendedForPromotion: candidate\n" + TaskTestSupport.winner("candidate"));

    TaskOutcome promoted = await(new PromoteTask(only(handler)).run(context(handWritten), PROMOTE));
    TaskOutcome rolledBack = await(new RollbackTask(only(handler)).run(context(handWritten), ROLLBACK));

    assertThat(handler.calls).isEmpty();
    assertThat(promoted.message()).isEqualTo("no workload to promote: the final traffic split already routes to candidate");
    assertThat(rolledBack.message()).isEqualTo("no workload to roll back: the final traffic split already routes to baseline");
  }

  @Test
  void aWorkloadWithoutHandlerOrAFailingHandlerFailsTheTaskNamingTheWorkload() {
    Experiment e = generated(TaskTestSupport.winner("candidate"));

    Throwable noHandler = failure(new PromoteTask(x -> Optional.empty()).run(context(e), PROMOTE));
    Throwable broken = failure(new RollbackTask(only(new FakeWorkloadHandler("ReplicaSet backend-7d9 not found"))).run(context(e), ROLLBACK));

    assertThat(noHandler).hasMessageStartingWith("no workload handler for Deployment shop/backend");
    assertThat(broken).hasMessage("rolling back Deployment shop/backend failed: ReplicaSet backend-7d9 not found");
  }
}
