package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpResponseExpectation;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.tasks.BuiltinTask;

/**
 * {@code metrics/collect}: the original's built-in load generator (reference §4.7), with the Vert.x Web
 * Client in place of fortio. Inputs, with the original's defaults:
 *
 * <ul>
 *   <li>{@code versions}: {@code [{name, url, headers?}]}, loaded one after the other as the original;
 *   <li>{@code numQueries} (100 when {@code time} is not set; it wins when both are) or {@code time} (Go
 *       duration, e.g. {@code 10s});
 *   <li>{@code qps} (8; 0 means as fast as the connections allow), {@code connections} (4);
 *   <li>{@code payloadURL} (fetched once, wins over) {@code payloadStr}, and {@code contentType}: any of
 *       them makes the requests POSTs, as fortio's;
 *   <li>{@code loadOnly} (false): send load, record nothing.
 * </ul>
 *
 * <p>Each version's durations and return codes become {@code {DurationHistogram, RetCodes}} (buckets:
 * {@link LatencyHistogram}; requests without an HTTP answer: {@link LoadGenerator#NO_RESPONSE}), merged
 * into the experiment's {@code aggregatedBuiltinHists} as the original's aggregate
 * ({@link BuiltinHistograms}). The outcome carries the whole merged data. A version whose name is not one
 * of the experiment's ("pseudo" version) only gets load. Failed requests are data, not a task failure (as
 * with fortio): they show up as errors in the built-in metrics. The task fails on invalid inputs, a
 * payload URL it cannot fetch, or a plan longer than the task's time limit (default 300 s, as the
 * original's handler Job's deadline). A run the versions cannot keep up with stops sending at the limit
 * (each version gets its share) and says so in its message.
 */
public final class MetricsCollectTask implements Task {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsCollectTask.class);

  /** Fortio's default per-request timeout. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(3);
  /** The original's handler Job ran with {@code activeDeadlineSeconds: 300}. */
  public static final Duration DEFAULT_MAX_DURATION = Duration.ofSeconds(300);

  static final long DEFAULT_NUM_QUERIES = 100;
  static final double DEFAULT_QPS = 8;
  static final long DEFAULT_CONNECTIONS = 4;
  /** Beyond this many connections per version the agent, not the version, becomes what is measured. */
  static final long MAX_CONNECTIONS = 256;

  private final Vertx vertx;
  private final Duration requestTimeout;
  private final Duration maxDuration;

  /**
   * @param requestTimeout how long one request may take before it counts as not answered
   * @param maxDuration the longest planned load of one task ({@code numQueries / qps} or {@code time},
   *     summed over versions); longer plans are rejected before any request is sent
   */
  public MetricsCollectTask(Vertx vertx, Duration requestTimeout, Duration maxDuration) {
    this.vertx = vertx;
    this.requestTimeout = requestTimeout;
    this.maxDuration = maxDuration;
  }

  public MetricsCollectTask(Vertx vertx) {
    this(vertx, DEFAULT_REQUEST_TIMEOUT, DEFAULT_MAX_DURATION);
  }

  @Override
  public String name() {
    return BuiltinTask.METRICS_COLLECT.taskName();
  }

  /** One entry of {@code with.versions}. */
  private record Target(String name, String url, Map<String, String> headers) {}

  /** The parsed inputs. */
  private record Inputs(
      List<Target> versions,
      long numQueries,
      Duration time,
      double qps,
      int connections,
      boolean loadOnly,
      String payloadStr,
      String payloadURL,
      String contentType) {

    /** How long sending to one version should take; zero when only the connections pace it. */
    Duration plannedPerVersion() {
      if (numQueries == 0) {
        return time;
      }
      return qps > 0 ? Duration.ofMillis((long) Math.ceil((numQueries - 1) / qps * 1000)) : Duration.ZERO;
    }
  }

  @Override
  public Future<TaskOutcome> run(TaskContext context, TaskSpec spec) {
    Inputs inputs;
    try {
      inputs = parse(new TaskInputs(spec.with()));
    } catch (TaskException e) {
      return Future.failedFuture(e);
    }
    WebClient client =
        WebClient.create(
            vertx,
            new WebClientOptions()
                .setUserAgent("iter8-agent")
                .setFollowRedirects(false)
                .setKeepAlive(true)
                .setConnectTimeout((int) requestTimeout.toMillis()),
            new PoolOptions().setHttp1MaxSize(inputs.connections()));
    LoadGenerator generator = new LoadGenerator(vertx, client, requestTimeout);
    return payload(client, inputs)
        .compose(payload -> loadEach(generator, inputs, payload, context))
        .map(results -> outcome(context, inputs, results))
        .onComplete(done -> client.close());
  }

  private Inputs parse(TaskInputs with) {
    List<JsonNode> items = with.list("versions");
    if (items.isEmpty()) {
      throw new TaskException("with.versions is required: a list of {name, url, headers?}");
    }
    List<Target> versions = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      String at = "with.versions[" + i + "]";
      JsonNode v = items.get(i);
      if (!v.isObject()) {
        throw new TaskException(at + ": expected {name, url, headers?}");
      }
      String url = TaskInputs.requiredField(v, "url", at);
      requireHttpUrl(url, at + ".url");
      versions.add(
          new Target(TaskInputs.requiredField(v, "name", at), url, TaskInputs.stringMap(v.get("headers"), at + ".headers")));
    }
    Duration time = with.duration("time").orElse(null);
    long numQueries = with.integer("numQueries", time == null ? DEFAULT_NUM_QUERIES : 0, time == null ? 1 : 0);
    if (numQueries == 0 && (time == null || time.isZero() || time.isNegative())) {
      throw new TaskException("with.time: expected a positive duration when numQueries is not set");
    }
    long connections = with.integer("connections", DEFAULT_CONNECTIONS, 1);
    if (connections > MAX_CONNECTIONS) {
      throw new TaskException("with.connections: at most " + MAX_CONNECTIONS + ", got " + connections);
    }
    String payloadURL = with.string("payloadURL").filter(s -> !s.isBlank()).orElse(null);
    if (payloadURL != null) {
      requireHttpUrl(payloadURL, "with.payloadURL");
    }
    Inputs inputs =
        new Inputs(
            List.copyOf(versions),
            numQueries,
            time,
            with.number("qps", DEFAULT_QPS, 0),
            (int) connections,
            with.bool("loadOnly", false),
            with.string("payloadStr").orElse(null),
            payloadURL,
            with.string("contentType").filter(s -> !s.isBlank()).orElse(null));
    Duration planned = inputs.plannedPerVersion().multipliedBy(versions.size());
    if (planned.compareTo(maxDuration) > 0) {
      throw new TaskException(
          "the planned load takes " + planned.toSeconds() + " s (" + versions.size() + " versions), more than the "
              + maxDuration.toSeconds() + " s a task may take: lower numQueries or time, or raise qps");
    }
    return inputs;
  }

  private static void requireHttpUrl(String url, String at) {
    try {
      URI uri = new URI(url);
      if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
          || uri.getHost() == null) {
        throw new TaskException(at + ": expected an http(s) URL with a host, got " + url);
      }
    } catch (URISyntaxException e) {
      throw new TaskException(at + ": not a URL: " + e.getMessage());
    }
  }

  /** The request body: fetched once from {@code payloadURL}, else {@code payloadStr}, else none. */
  private Future<Buffer> payload(WebClient client, Inputs inputs) {
    if (inputs.payloadURL() == null) {
      return Future.succeededFuture(inputs.payloadStr() == null ? null : Buffer.buffer(inputs.payloadStr()));
    }
    return client
        .getAbs(inputs.payloadURL())
        .timeout(requestTimeout.toMillis())
        .send()
        .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
        .expecting(HttpResponseExpectation.SC_SUCCESS)
        .map(r -> r.body() == null ? Buffer.buffer() : r.body())
        .recover(e -> Future.failedFuture(
            new TaskException("cannot fetch the payload from " + inputs.payloadURL() + ": " + e.getMessage())));
  }

  /** Each version in turn, as the original: one version's load never skews another's latencies. */
  private Future<List<LoadGenerator.Result>> loadEach(
      LoadGenerator generator, Inputs inputs, Buffer payload, TaskContext context) {
    // A count-bound run a slow version cannot keep up with (or one at qps 0) still ends: each version
    // gets its share of the task's time limit.
    Duration limit =
        inputs.numQueries() == 0 ? inputs.time() : maxDuration.dividedBy(inputs.versions().size());
    Future<List<LoadGenerator.Result>> all = Future.succeededFuture(new ArrayList<>());
    for (Target version : inputs.versions()) {
      LoadGenerator.Plan plan =
          new LoadGenerator.Plan(
              version.url(), version.headers(), payload, inputs.contentType(), inputs.numQueries(),
              limit, inputs.qps(), inputs.connections());
      all = all.compose(results -> generator.run(plan).map(result -> {
        LOG.debug("experiment {}: metrics/collect sent {} requests to version {}", context.experimentKey(),
            result.requests(), version.name());
        results.add(result);
        return results;
      }));
    }
    return all;
  }

  private TaskOutcome outcome(TaskContext context, Inputs inputs, List<LoadGenerator.Result> results) {
    Set<String> experimentVersions = Set.copyOf(ExperimentSummary.of(context.experiment()).versions());
    JsonNode merged = BuiltinHistograms.of(context.experiment());
    boolean recordedAny = false;
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Target version = inputs.versions().get(i);
      LoadGenerator.Result result = results.get(i);
      boolean recorded = !inputs.loadOnly() && experimentVersions.contains(version.name());
      String cut =
          inputs.numQueries() > 0 && result.requests() < inputs.numQueries()
              ? " (stopped at the time limit, " + inputs.numQueries() + " planned)"
              : "";
      parts.add(describe(version.name(), result, cut + (recorded ? "" : inputs.loadOnly()
          ? " as load only" : " as load only: not a version of the experiment")));
      if (recorded) {
        ObjectNode entry = ApiMapper.json().createObjectNode();
        entry.set("DurationHistogram", result.durations().toJson());
        ObjectNode codes = entry.putObject("RetCodes");
        result.retCodes().forEach(codes::put);
        merged = BuiltinHistograms.aggregate(merged, Map.of(version.name(), entry));
        recordedAny = true;
      }
    }
    String message = "sent " + String.join("; ", parts);
    if (!recordedAny) {
      return TaskOutcome.done(message + (inputs.loadOnly() ? " (loadOnly: nothing recorded)" : ""));
    }
    return new TaskOutcome(merged, message);
  }

  private static String describe(String version, LoadGenerator.Result result, String note) {
    String codes =
        result.retCodes().entrySet().stream()
            .map(e -> e.getKey() + (e.getKey().equals(LoadGenerator.NO_RESPONSE) ? " (no answer)" : "") + " ×" + e.getValue())
            .collect(Collectors.joining(", "));
    return result.requests() + " requests to " + version + " (" + (codes.isEmpty() ? "none" : codes) + ")"
        + note;
  }
}
