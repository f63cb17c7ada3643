package tools.iter8.agent.controller;

import io.kubernetes.client.extended.controller.reconciler.Request;
import io.kubernetes.client.extended.workqueue.DefaultRateLimitingQueue;
import io.kubernetes.client.extended.workqueue.RateLimitingQueue;
import io.kubernetes.client.extended.workqueue.ratelimiter.BucketRateLimiter;
import io.kubernetes.client.extended.workqueue.ratelimiter.ItemExponentialFailureRateLimiter;
import io.kubernetes.client.extended.workqueue.ratelimiter.MaxOfRateLimiter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.health.AgentMetrics;

/**
 * Feeds a work queue from informer events and runs a Vert.x reconciler on its keys. client-java's
 * rate-limited queue gives the semantics (one key is never reconciled by two workers at once,
 * duplicates are merged, timed requeues); the worker loop is client-go's (forget on success, requeue
 * after a delay when asked, rate-limited retry on failure), and each pass runs on one of a few Vert.x
 * contexts chosen by key, so a pass's steps never race with each other.
 *
 * <p>The rate limiter is ours: client-java's default refills 10 tokens per minute, which throttles every
 * retry once 100 are used up. Here failures back off per key from 0.5 s to 60 s (an experiment's
 * iterations are seconds to minutes apart: a 5-minute backoff, client-go's, would stall it), and all
 * retries share a bucket of 500 refilled 100 per second. A conflict (409) is not a failure: it only means
 * the pass read an old version, so the key is simply read again shortly.
 */
public final class ExperimentController {
  private static final Logger LOG = LoggerFactory.getLogger(ExperimentController.class);
  private static final java.util.concurrent.atomic.AtomicInteger WORKER_IDS = new java.util.concurrent.atomic.AtomicInteger();
  /** The longest one pass may take before its worker gives up waiting and retries the key. */
  static final Duration PASS_TIMEOUT = Duration.ofMinutes(2);
  /** How soon a pass that hit a write conflict runs again. */
  static final Duration CONFLICT_RETRY = Duration.ofMillis(200);

  private final String name;
  private final RateLimitingQueue<Request> queue;
  private final int workerCount;
  private final BooleanSupplier ready;
  private final ExecutorService workers;
  private volatile boolean stopped;
  private final List<Context> contexts = new ArrayList<>();
  private final Function<Reconciliation, Future<ReconcileResult>> reconciler;
  private final BooleanSupplier mayAct;
  private final AgentMetrics metrics;

  /**
   * @param reconciler one pass for one key
   * @param mayAct false once this replica must stop acting (a lost lease): passes then end at once
   * @param ready informers synced: no pass runs on a partial cache
   */
  public ExperimentController(
      String name,
      Vertx vertx,
      int workerCount,
      Function<Reconciliation, Future<ReconcileResult>> reconciler,
      BooleanSupplier mayAct,
      BooleanSupplier ready,
      AgentMetrics metrics) {
    this.name = name;
    this.reconciler = reconciler;
    this.mayAct = mayAct;
    this.metrics = metrics;
    this.workerCount = workerCount;
    this.ready = ready;
    this.workers = Executors.newFixedThreadPool(workerCount, r -> {
      Thread t = new Thread(r, name + "-worker-" + WORKER_IDS.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.queue = new DefaultRateLimitingQueue<>(
        Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, name + "-delays");
          t.setDaemon(true);
          return t;
        }),
        new MaxOfRateLimiter<>(
            new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(500), Duration.ofSeconds(60)),
            new BucketRateLimiter<>(500, 100, Duration.ofSeconds(1))));
    for (int i = 0; i < Math.max(2, workerCount / 2); i++) {
      // From a non-Vert.x thread each call makes a new event-loop context, spread over the event loops.
      contexts.add(vertx.getOrCreateContext());
    }
  }

  /** Adds {@code namespace/name} to the queue; a key already waiting is not added twice. */
  public void enqueue(String key) {
    int slash = key.indexOf('/');
    queue.add(new Request(key.substring(0, slash), key.substring(slash + 1)));
  }

  /** Starts the workers; they take keys once the informers have synced, until {@link #stop()}. */
  public void start() {
    for (int i = 0; i < workerCount; i++) {
      workers.submit(this::work);
    }
  }

  public void stop() {
    stopped = true;
    queue.shutDown();
    workers.shutdownNow();
  }

  private void work() {
    try {
      long waited = 0;
      while (!stopped && !ready.getAsBoolean()) {
        Thread.sleep(100);
        if ((waited += 100) % 10_000 == 0) {
          LOG.info("{}: waiting for the caches to sync ({} s)", name, waited / 1000);
        }
      }
      while (!stopped) {
        Request request = queue.get();
        if (request == null) {
          return;
        }
        try {
          Next next = reconcile(request);
          switch (next.kind) {
            case DONE -> queue.forget(request);
            case AFTER -> {
              queue.forget(request);
              queue.addAfter(request, next.after);
            }
            case RETRY -> queue.addRateLimited(request);
          }
        } finally {
          queue.done(request);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private enum Kind { DONE, AFTER, RETRY }

  private record Next(Kind kind, Duration after) {
    static final Next DONE = new Next(Kind.DONE, null);
    static final Next RETRY = new Next(Kind.RETRY, null);
  }

  private Next reconcile(Request request) {
    if (!mayAct.getAsBoolean()) {
      return Next.DONE;
    }
    Reconciliation rec = Reconciliation.of(request.getNamespace(), request.getName(), name);
    long started = System.nanoTime();
    CompletableFuture<ReconcileResult> done = new CompletableFuture<>();
    Context context = contexts.get(Math.floorMod(rec.key().hashCode(), contexts.size()));
    context.runOnContext(v -> {
      try {
        reconciler.apply(rec).onComplete(ar -> {
          if (ar.succeeded()) {
            done.complete(ar.result());
          } else {
            done.completeExceptionally(ar.cause());
          }
        });
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      }
    });
    try {
      ReconcileResult r = done.get(PASS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      metrics.reconcile(Duration.ofNanos(System.nanoTime() - started), "ok");
      LOG.debug("{}: {}", rec, r.why());
      return r.requeueAfter().map(d -> new Next(Kind.AFTER, d)).orElse(Next.DONE);
    } catch (TimeoutException e) {
      metrics.error("timeout");
      LOG.warn("{}: pass did not finish within {}; retrying", rec, PASS_TIMEOUT);
      return Next.RETRY;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Next.RETRY;
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof tools.iter8.agent.kube.KubernetesApiException k && k.isConflict()) {
        metrics.error("Conflict");
        LOG.info("{}: {}; reading it again", rec, cause.getMessage());
        return new Next(Kind.AFTER, CONFLICT_RETRY);
      }
      metrics.reconcile(Duration.ofNanos(System.nanoTime() - started), "error");
      metrics.error(cause.getClass().getSimpleName());
      LOG.warn("{}: {}; retrying with backoff", rec, cause.getMessage());
      return Next.RETRY;
    }
  }
}
