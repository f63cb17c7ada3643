package tools.iter8.agent.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.tasks.TaskTestSupport.assertJson;
import static tools.iter8.agent.tasks.TaskTestSupport.await;
import static tools.iter8.agent.tasks.TaskTestSupport.canaryWithStatus;
import static tools.iter8.agent.tasks.TaskTestSupport.context;
import static tools.iter8.agent.tasks.TaskTestSupport.experiment;
import static tools.iter8.agent.tasks.TaskTestSupport.failure;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.metrics.BuiltinMetricsSource;
import tools.iter8.agent.metrics.MetricQuery;
import tools.iter8.agent.tasks.HttpStandIn.Answer;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.metrics.Observation;

/**
 * {@link MetricsCollectTask} against local versions: one answering 500 to every fifth request, one slow.
 * Histograms and return codes as the original wrote them, merged as its aggregate, and read back by the
 * built-in metrics.
 */
class MetricsCollectTaskTest {
  private static final long SLOW_MILLIS = 30;

  private static Vertx vertx;
  private static HttpStandIn versions;
  private static MetricsCollectTask task;
  private static String closedPortUrl;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    versions = await(new HttpStandIn(vertx).start());
    versions.on("/ok", r -> Answer.ok("{}"));
    task = new MetricsCollectTask(vertx);
    // A port nobody listens on: a server bound to it, then closed.
    HttpServer gone = await(vertx.createHttpServer().requestHandler(r -> r.response().end()).listen(0, "127.0.0.1"));
    closedPortUrl = "http://127.0.0.1:" + gone.actualPort() + "/";
    await(gone.close());
  }

  @AfterAll
  static void stop() {
    await(versions.stop());
    await(vertx.close());
  }

  /** A version of its own (so counts stay per test) answering 500 to every fifth request. */
  private static String flaky(String path) {
    AtomicInteger requests = new AtomicInteger();
    versions.on(path, r -> requests.incrementAndGet() % 5 == 0 ? Answer.status(500, "oops") : Answer.ok("{}"));
    return versions.url(path);
  }

  /** A version of its own that answers after {@link #SLOW_MILLIS}. */
  private static String slow(String path) {
    versions.on(path, r -> Answer.ok("{}").after(SLOW_MILLIS));
    return versions.url(path);
  }

  private static TaskSpec spec(String with) {
    return TaskTestSupport.spec("metrics/collect", with);
  }

  private static TaskOutcome collect(Experiment e, String with) {
    return await(task.run(context(e, ActionKind.LOOP), spec(with)));
  }

  private static double builtin(String metric, String version, JsonNode hists) {
    Metric m = ApiMapper.read("""
        apiVersion: iter8.tools/v2alpha2
        kind: Metric
        metadata: {name: %s, namespace: iter8-system}
        spec: {provider: iter8}
        """.formatted(metric), Metric.class);
    Observation o = await(new BuiltinMetricsSource().evaluate(
        new MetricQuery("shop/exp", "iter8-system/" + metric, m, new VersionDetail(version), "shop", 60, hists)));
    assertThat(o).as(metric + " of " + version).isInstanceOf(Observation.Value.class);
    return ((Observation.Value) o).value();
  }

  private static long bucketTotal(JsonNode hist) {
    long total = 0;
    for (JsonNode b : hist.path("Data")) {
      assertThat(b.path("Start").asDouble()).isLessThanOrEqualTo(b.path("End").asDouble());
      total += b.path("Count").asLong();
    }
    return total;
  }

  @Test
  void eachVersionGetsItsRequestsAndItsHistogramAndReturnCodes() {
    TaskOutcome outcome = collect(experiment(TaskTestSupport.CANARY), """
        versions:
        - {name: baseline, url: %s}
        - {name: candidate, url: %s, headers: {X-Version: candidate}}
        numQueries: 20
        qps: 400
        connections: 2
        """.formatted(flaky("/each/flaky"), slow("/each/slow")));

    JsonNode hists = outcome.builtinHistograms();
    JsonNode baseline = hists.path("baseline");
    JsonNode candidate = hists.path("candidate");
    assertThat(baseline.path("DurationHistogram").path("Count").asLong()).isEqualTo(20);
    assertJson(baseline.path("RetCodes"), "{\"200\": 16, \"500\": 4}");
    assertJson(candidate.path("RetCodes"), "{\"200\": 20}");
    JsonNode slow = candidate.path("DurationHistogram");
    assertThat(bucketTotal(slow)).isEqualTo(20);
    assertThat(bucketTotal(baseline.path("DurationHistogram"))).isEqualTo(20);
    assertThat(slow.path("Max").asDouble()).as("no answer comes before the version's delay").isGreaterThanOrEqualTo(SLOW_MILLIS / 1000.0);
    assertThat(slow.path("Sum").asDouble()).isGreaterThanOrEqualTo(20 * SLOW_MILLIS / 1000.0)
        .isLessThanOrEqualTo(20 * slow.path("Max").asDouble());
    assertThat(slow.path("Data").get(0).path("Start").asDouble()).isGreaterThanOrEqualTo(SLOW_MILLIS / 1000.0);
    assertThat(versions.received("/each/flaky")).hasSize(20);
    assertThat(versions.last("/each/slow").header("X-Version")).isEqualTo("candidate");
    assertThat(versions.maxInFlight("/each/slow")).as("never more requests in flight than connections").isBetween(1, 2);
    assertThat(outcome.message()).isEqualTo(
        "sent 20 requests to baseline (200 ×16, 500 ×4); 20 requests to candidate (200 ×20)");
  }

  @Test
  void theBuiltinMetricsReadTheCollectedHistograms() {
    JsonNode hists = collect(experiment(TaskTestSupport.CANARY), """
        versions: [{name: baseline, url: %s}, {name: candidate, url: %s}]
        numQueries: 10
        qps: 400
        """.formatted(flaky("/read/flaky"), slow("/read/slow"))).builtinHistograms();

    assertThat(builtin("request-count", "baseline", hists)).isEqualTo(10);
    assertThat(builtin("error-count", "baseline", hists)).isEqualTo(2);
    assertThat(builtin("error-rate", "baseline", hists)).isEqualTo(0.2);
    assertThat(builtin("error-rate", "candidate", hists)).isEqualTo(0.0);
    assertThat(builtin("mean-latency", "candidate", hists)).isGreaterThanOrEqualTo(SLOW_MILLIS);
    assertThat(builtin("latency-95th-percentile", "candidate", hists))
        .isLessThanOrEqualTo(1000 * hists.path("candidate").path("DurationHistogram").path("Max").asDouble());
  }

  @Test
  void newResultsMergeIntoTheExperimentsHistogramsAsTheOriginalsAggregate() {
    Experiment e = canaryWithStatus("""
        analysis:
          aggregatedBuiltinHists:
            provenance: Builtin metrics collector
            data:
              baseline:
                DurationHistogram: {Count: 10, Max: 5.0, Sum: 7.5, Data: [{Start: 0.5, End: 0.6, Count: 10}]}
                RetCodes: {"200": 9, "503": 1}
              retired:
                DurationHistogram: {Count: 3, Max: 0.1, Sum: 0.2, Data: [{Start: 0.05, End: 0.06, Count: 3}]}
                RetCodes: {"200": 3}
        """);
    JsonNode retired = BuiltinHistograms.of(e).path("retired").deepCopy();

    JsonNode hists = collect(e, """
        versions: [{name: baseline, url: %s}]
        numQueries: 20
        qps: 400
        """.formatted(flaky("/merge/flaky"))).builtinHistograms();

    JsonNode baseline = hists.path("baseline").path("DurationHistogram");
    assertThat(baseline.path("Count").asLong()).isEqualTo(30);
    assertThat(baseline.path("Max").asDouble()).isEqualTo(5.0);
    assertThat(baseline.path("Sum").asDouble()).isGreaterThan(7.5);
    assertJson(baseline.path("Data").get(0), "{Start: 0.5, End: 0.6, Count: 10}");
    assertThat(bucketTotal(baseline)).isEqualTo(30);
    assertJson(hists.path("baseline").path("RetCodes"), "{\"200\": 25, \"503\": 1, \"500\": 4}");
    assertThat(hists.path("retired")).isEqualTo(retired);
    assertThat(builtin("error-rate", "baseline", hists)).isEqualTo(5.0 / 30);
  }

  @Test
  void requestsWithoutAnAnswerCountAsErrors() {
    JsonNode hists = collect(experiment(TaskTestSupport.CANARY), """
        versions: [{name: candidate, url: %s}]
        numQueries: 5
        qps: 400
        """.formatted(closedPortUrl)).builtinHistograms();

    assertJson(hists.path("candidate").path("RetCodes"), "{\"599\": 5}");
    assertThat(hists.path("candidate").path("DurationHistogram").path("Count").asLong()).isEqualTo(5);
    assertThat(builtin("error-rate", "candidate", hists)).isEqualTo(1.0);
  }

  @Test
  void pseudoVersionsAndLoadOnlyGetLoadButNoHistograms() {
    int before = versions.received("/ok").size();

    TaskOutcome pseudo = collect(experiment(TaskTestSupport.CANARY), """
        versions: [{name: warm-up, url: %s}, {name: baseline, url: %s}]
        numQueries: 3
        qps: 400
        """.formatted(versions.url("/ok"), versions.url("/ok")));
    TaskOutcome loadOnly = collect(experiment(TaskTestSupport.CANARY), """
        versions: [{name: baseline, url: %s}]
        numQueries: 3
        qps: 400
        loadOnly: true
        """.formatted(versions.url("/ok")));

    assertThat(versions.received("/ok")).hasSize(before + 9);
    assertThat(pseudo.builtinHistograms().has("warm-up")).isFalse();
    assertThat(pseudo.builtinHistograms().path("baseline").path("DurationHistogram").path("Count").asLong()).isEqualTo(3);
    assertThat(pseudo.message()).contains("3 requests to warm-up (200 ×3) as load only: not a version of the experiment");
    assertThat(loadOnly.builtinHistograms()).isNull();
    assertThat(loadOnly.message()).endsWith("(loadOnly: nothing recorded)");
  }

  @Test
  void aPayloadMakesThemPostsWithTheContentType() {
    collect(experiment(TaskTestSupport.CANARY), """
        versions: [{name: baseline, url: %s}]
        numQueries: 2
        qps: 400
        payloadStr: '{"instances": [[6.8, 2.8, 4.8, 1.4]]}'
        contentType: application/json
        """.formatted(versions.url("/ok")));

    HttpStandIn.Received r = versions.last("/ok");
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.header("Content-Type")).isEqualTo("application/json");
    assertThat(r.body()).isEqualTo("{\"instances\": [[6.8, 2.8, 4.8, 1.4]]}");
  }

  @Test
  void aTimeBoundRunSendsUntilTheTimeIsUp() {
    JsonNode hists = collect(experiment(TaskTestSupport.CANARY), """
        versions: [{name: baseline, url: %s}]
        time: 200ms
        qps: 50
        """.formatted(versions.url("/ok"))).builtinHistograms();

    JsonNode hist = hists.path("baseline").path("DurationHistogram");
    assertThat(hist.path("Count").asLong()).isPositive();
    assertThat(bucketTotal(hist)).isEqualTo(hist.path("Count").asLong());
  }

  @Test
  void aRunTheVersionCannotKeepUpWithStopsAtTheTimeLimit() {
    MetricsCollectTask limited = new MetricsCollectTask(vertx, MetricsCollectTask.DEFAULT_REQUEST_TIMEOUT, Duration.ofMillis(300));

    TaskOutcome outcome = await(limited.run(context(experiment(TaskTestSupport.CANARY)), spec("""
        versions: [{name: baseline, url: %s}]
        numQueries: 100000
        qps: 0
        connections: 1
        """.formatted(slow("/limited/slow")))));

    long sent = outcome.builtinHistograms().path("baseline").path("DurationHistogram").path("Count").asLong();
    assertThat(sent).isPositive().isLessThan(100000);
    assertThat(outcome.message()).contains("(stopped at the time limit, 100000 planned)");
  }

  @Test
  void invalidInputsFailBeforeAnyRequest() {
    Experiment e = experiment(TaskTestSupport.CANARY);

    assertThat(failure(task.run(context(e), spec("{numQueries: 5}")))).hasMessageStartingWith("with.versions is required");
    assertThat(failure(task.run(context(e), spec("{versions: [{name: baseline, url: 'ftp://x/'}]}"))))
        .hasMessage("with.versions[0].url: expected an http(s) URL with a host, got ftp://x/");
    assertThat(failure(task.run(context(e), spec("{versions: [{name: baseline, url: 'http://x/'}], qps: fast}"))))
        .hasMessage("with.qps: expected a number, got \"fast\"");
    assertThat(failure(task.run(context(e), spec("{versions: [{name: baseline, url: 'http://x/'}], numQueries: 10000, qps: 1}"))))
        .hasMessage("the planned load takes 9999 s (1 versions), more than the 300 s a task may take: lower numQueries or time, or raise qps");
    assertThat(failure(task.run(context(e), spec("{versions: [{name: baseline, url: 'http://x/'}], time: soon}"))))
        .hasMessage("with.time: expected a duration such as 10s, 1m30s or 500ms, got \"soon\"");
  }
}
