package tools.iter8.agent.tasks;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.codec.BodyCodec;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The load of one version, as fortio's {@code load} command sent it for the original: requests paced at
 * {@code qps} with at most {@code connections} in flight, each one's duration and return code recorded.
 *
 * <p>Pacing: a Vert.x periodic timer (period {@code 1/qps}, at least 1 ms) releases requests so that by
 * time {@code t} at most {@code ⌊t·qps⌋ + 1} have been sent; when all connections are busy, the requests
 * that fell due are sent as connections free up, so a slow version gets the same number of requests, later
 * (fortio's catch-up). {@code qps ≤ 0} means as fast as the connections allow (fortio's {@code -qps 0}).
 * Sending stops after {@code numQueries} requests or when {@code time} is up, whichever comes first
 * (requests due after it are not sent); the run ends once the requests in flight have answered. Nothing blocks: every step runs on one Vert.x context,
 * so the run's counters need no locks.
 *
 * <p>A request without an HTTP answer (connection refused or reset, unknown host, TLS failure, or no
 * answer within the request timeout) is recorded with return code {@value #NO_RESPONSE} and the time it
 * took to fail; see {@link #NO_RESPONSE}.
 */
final class LoadGenerator {
  /**
   * The return code of a request that got no HTTP answer. Fortio used {@code -1}, but the original's
   * built-in metrics (and ours, {@code BuiltinMetricsSource}) count only codes ≥ 400 as errors, so a
   * version that refuses connections would have looked error-free. 599 is outside the codes servers send
   * and, like 5xx, says "the request failed on the way to or in the server".
   */
  static final String NO_RESPONSE = "599";

  /**
   * One version's load.
   *
   * @param numQueries how many requests; 0 for as many as {@code time} allows
   * @param time how long to send at most
   * @param payload the body of a POST, or null for GET without a content type
   */
  record Plan(
      String url,
      Map<String, String> headers,
      Buffer payload,
      String contentType,
      long numQueries,
      Duration time,
      double qps,
      int connections) {

    HttpMethod method() {
      // As fortio: a payload or a content type makes it a POST.
      return payload != null || contentType != null ? HttpMethod.POST : HttpMethod.GET;
    }
  }

  /** What one run measured: durations of every request, and how many got each return code. */
  record Result(LatencyHistogram durations, Map<String, Long> retCodes) {
    long requests() {
      return durations.count();
    }
  }

  private final Vertx vertx;
  private final WebClient client;
  private final Duration requestTimeout;

  /**
   * @param client a client whose pool holds at least {@code connections} connections per host
   * @param requestTimeout how long one request may take, connection included (fortio's default is 3 s)
   */
  LoadGenerator(Vertx vertx, WebClient client, Duration requestTimeout) {
    this.vertx = vertx;
    this.client = client;
    this.requestTimeout = requestTimeout;
  }

  Future<Result> run(Plan plan) {
    Context context = vertx.getOrCreateContext();
    Promise<Result> done = Promise.promise();
    context.runOnContext(v -> new Run(plan, context, done).start());
    return done.future();
  }

  /** The state of one run, touched only on its context. */
  private final class Run {
    private final Plan plan;
    private final Context context;
    private final Promise<Result> done;
    private final LatencyHistogram durations = new LatencyHistogram();
    private final Map<String, Long> retCodes = new TreeMap<>();
    private long started;
    private long issued;
    private int inFlight;
    private boolean stopped;
    private long pacer = -1;
    private long deadline = -1;

    Run(Plan plan, Context context, Promise<Result> done) {
      this.plan = plan;
      this.context = context;
      this.done = done;
    }

    void start() {
      started = System.nanoTime();
      if (plan.qps() > 0) {
        long period = Math.max(1, (long) Math.floor(1000 / plan.qps()));
        pacer = vertx.setPeriodic(period, id -> pump());
      }
      deadline = vertx.setTimer(Math.max(1, plan.time().toMillis()), id -> stop());
      pump();
    }

    /** Sends what is due, as far as free connections allow. */
    private void pump() {
      long due = due();
      while (!stopped && issued < due && inFlight < plan.connections()) {
        send();
      }
      if (plan.numQueries() > 0 && issued >= plan.numQueries()) {
        stop();
      }
    }

    private long due() {
      long byRate =
          plan.qps() > 0
              ? (long) Math.floor((System.nanoTime() - started) / 1e9 * plan.qps()) + 1
              : Long.MAX_VALUE;
      return plan.numQueries() > 0 ? Math.min(plan.numQueries(), byRate) : byRate;
    }

    private void send() {
      issued++;
      inFlight++;
      long sent = System.nanoTime();
      Future<HttpResponse<Void>> response;
      try {
        HttpRequest<Void> request =
            client
                .requestAbs(plan.method(), plan.url())
                .as(BodyCodec.none())
                .followRedirects(false)
                .timeout(requestTimeout.toMillis());
        plan.headers().forEach(request::putHeader);
        if (plan.contentType() != null) {
          request.putHeader("Content-Type", plan.contentType());
        }
        response = plan.payload() == null ? request.send() : request.sendBuffer(plan.payload());
      } catch (RuntimeException e) {
        response = Future.failedFuture(e);
      }
      response
          .timeout(requestTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .onComplete(r -> onContext(() -> answered(sent, r)));
    }

    private void answered(long sent, AsyncResult<HttpResponse<Void>> response) {
      inFlight--;
      durations.record((System.nanoTime() - sent) / 1e9);
      String code = response.succeeded() ? Integer.toString(response.result().statusCode()) : NO_RESPONSE;
      retCodes.merge(code, 1L, Long::sum);
      if (stopped) {
        finishWhenIdle();
      } else {
        pump();
      }
    }

    private void stop() {
      if (stopped) {
        return;
      }
      stopped = true;
      vertx.cancelTimer(pacer);
      vertx.cancelTimer(deadline);
      finishWhenIdle();
    }

    private void finishWhenIdle() {
      if (inFlight == 0) {
        done.tryComplete(new Result(durations, retCodes));
      }
    }

    /** Response callbacks may arrive on another thread; all state changes happen on the run's context. */
    private void onContext(Runnable step) {
      if (Vertx.currentContext() == context) {
        step.run();
      } else {
        context.runOnContext(v -> step.run());
      }
    }
  }
}
