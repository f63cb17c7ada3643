package tools.iter8.agent.tasks;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.opentest4j.AssertionFailedError;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.TaskSpec;

/** Shared helpers of the task tests: experiments from YAML, contexts, and waiting for futures. */
final class TaskTestSupport {
  /** A Canary experiment in namespace shop, baseline and candidate, no status. */
  static final String CANARY = """
      apiVersion: iter8.tools/v2alpha2
      kind: Experiment
      metadata: {name: exp, namespace: shop}
      spec:
        target: shop/backend
        strategy: {testingPattern: Canary}
        versionInfo:
          baseline: {name: baseline}
          candidates: [{name: candidate}]
      """;

  private TaskTestSupport() {}

  static Experiment experiment(String yaml) {
    return ApiMapper.read(yaml, Experiment.class);
  }

  /** The Canary experiment with this status (YAML indented as under {@code status:}). */
  static Experiment canaryWithStatus(String status) {
    return experiment(CANARY + "status:\n" + status.indent(2));
  }

  /** A status in which the analysis found this winner ({@code null}: no winner yet). */
  static String winner(String winner) {
    return winner == null
        ? "analysis: {winnerAssessment: {data: {winnerFound: false}}}"
        : "analysis: {winnerAssessment: {data: {winnerFound: true, winner: " + winner + "}}}";
  }

  /** A task with its {@code with} inputs as YAML. */
  static TaskSpec spec(String task, String withYaml) {
    Map<String, JsonNode> with =
        ApiMapper.json().convertValue(ApiMapper.read(withYaml, JsonNode.class), new TypeReference<Map<String, JsonNode>>() {});
    return new TaskSpec(task, null, null, with, null);
  }

  static TaskContext context(Experiment e, ActionKind action) {
    return new TaskContext(e, action, action.key());
  }

  static TaskContext context(Experiment e) {
    return context(e, ActionKind.FINISH);
  }

  static <T> T await(Future<T> future) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException e) {
      throw new CompletionException(e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("no outcome within 30 s", e);
    }
  }

  /** The failure of a future expected to fail. */
  static Throwable failure(Future<?> future) {
    try {
      await(future);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure, got success");
  }

  /**
   * Whether two JSON documents are equal with numbers compared by value: 3 read from YAML is an int, 3
   * written by the agent a long, and status read back from Kubernetes is whatever the parser chose.
   */
  static boolean sameJson(JsonNode a, JsonNode b) {
    return a.equals(
        (x, y) -> x.isNumber() && y.isNumber()
            ? Double.compare(x.doubleValue(), y.doubleValue())
            : x.equals(y) ? 0 : 1,
        b);
  }

  /** Asserts JSON equality with numbers compared by value, showing both documents when they differ. */
  static void assertJson(JsonNode actual, JsonNode expected) {
    if (actual == null || !sameJson(actual, expected)) {
      throw new AssertionFailedError(
          "JSON differs", expected.toString(), String.valueOf(actual));
    }
  }

  static void assertJson(JsonNode actual, String expectedYamlOrJson) {
    assertJson(actual, ApiMapper.read(expectedYamlOrJson, JsonNode.class));
  }

  /** Completes when the condition holds, polled every few milliseconds on a Vert.x timer (no sleeping thread). */
  static Future<Void> when(Vertx vertx, BooleanSupplier condition) {
    Promise<Void> done = Promise.promise();
    vertx.setPeriodic(5, id -> {
      if (condition.getAsBoolean()) {
        vertx.cancelTimer(id);
        done.tryComplete();
      }
    });
    return done.future();
  }
}
