package tools.iter8.agent.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.tasks.ActionOutcome;
import tools.iter8.agent.health.AgentMetrics;
import tools.iter8.agent.kube.KubernetesApiException;
import tools.iter8.agent.metrics.MetricQuery;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.agent.routing.TrafficRouter;
import tools.iter8.agent.tasks.TaskContext;
import tools.iter8.agent.workload.WorkloadHandler;
import tools.iter8.core.analysis.AnalysisInput;
import tools.iter8.core.analysis.AnalysisResult;
import tools.iter8.core.analysis.DecisionAction;
import tools.iter8.core.analysis.ExperimentAnalyzer;
import tools.iter8.core.api.ActionKind;
import tools.iter8.core.api.Analysis;
import tools.iter8.core.api.BuiltinHistsAnalysis;
import tools.iter8.core.api.Decision;
import tools.iter8.core.api.DeploymentPattern;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.MetricInfo;
import tools.iter8.core.api.Stage;
import tools.iter8.core.api.TaskSpec;
import tools.iter8.core.api.TestingPattern;
import tools.iter8.core.api.VersionDetail;
import tools.iter8.core.api.WeightData;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.core.lifecycle.InitialWeights;
import tools.iter8.core.lifecycle.Reasons;
import tools.iter8.core.lifecycle.StatusBuilder;
import tools.iter8.core.metrics.Observation;
import tools.iter8.core.validation.ExperimentValidator;
import tools.iter8.core.validation.Problem;

/**
 * Runs one experiment through its lifecycle (reference §4 with DESIGN §2.4's changes), one pass at a
 * time. A pass is a flat chain of named steps; each step either does its part and passes the
 * experiment on, or ends the pass with a result. Every step is idempotent and reads what it needs from
 * {@code status}, so a pass can stop anywhere (a crash, a lost lease) and the next pass, in this agent
 * or another, continues without repeating a weight step or an action.
 *
 * <p>Transient failures (API errors, conflicts) fail the returned future: the work queue retries the
 * experiment with backoff. A problem with the experiment itself becomes a status condition: the
 * experiment fails, its traffic goes back to the baseline and its failure action runs.
 */
public final class ExperimentReconciler {
  private static final Logger LOG = LoggerFactory.getLogger(ExperimentReconciler.class);
  /** How often a waiting experiment looks again even when no event wakes it. */
  static final Duration WAIT_RECHECK = Duration.ofSeconds(30);
  /** The original's interval tolerance (reference §4.2). */
  static final Duration INTERVAL_TOLERANCE = Duration.ofMillis(100);

  private final ExperimentStore store;
  private final MetricResolver metricResolver;
  private final TargetWorkloads targetWorkloads;
  private final MetricsSource metrics;
  private final ExperimentAnalyzer analyzer;
  private final Function<Experiment, TrafficRouter> routers;
  private final Function<Experiment, Optional<WorkloadHandler>> workloads;
  private final ActionExecutor actions;
  private final ActionTracker tracker;
  private final EventRecorder events;
  private final AgentMetrics agentMetrics;
  private final Consumer<String> enqueue;
  private final Clock clock;

  public ExperimentReconciler(
      ExperimentStore store,
      MetricResolver metricResolver,
      TargetWorkloads targetWorkloads,
      MetricsSource metrics,
      ExperimentAnalyzer analyzer,
      Function<Experiment, TrafficRouter> routers,
      Function<Experiment, Optional<WorkloadHandler>> workloads,
      ActionExecutor actions,
      EventRecorder events,
      AgentMetrics agentMetrics,
      Consumer<String> enqueue,
      Clock clock) {
    this.store = store;
    this.metricResolver = metricResolver;
    this.targetWorkloads = targetWorkloads;
    this.metrics = metrics;
    this.analyzer = analyzer;
    this.routers = routers;
    this.workloads = workloads;
    this.actions = actions;
    this.tracker = new ActionTracker(enqueue);
    this.events = events;
    this.agentMetrics = agentMetrics;
    this.enqueue = enqueue;
    this.clock = clock;
  }

  public Future<ReconcileResult> reconcile(Reconciliation rec) {
    return load(rec)
        .compose(step(this::initialize))
        .compose(step(this::skipCompleted))
        .compose(step(this::validate))
        .compose(step(this::checkSuperseded))
        .compose(step(this::acquireTarget))
        .compose(step(this::beginInitializing))
        .compose(step(p -> runAction(p, ActionKind.START, "start")))
        .compose(step(this::snapshotMetrics))
        .compose(step(this::prepareVersions))
        .compose(step(this::beginRunning))
        .compose(step(this::catchUpWeights))
        .compose(step(this::loopAction))
        .compose(step(this::iterate))
        .compose(step(this::finish))
        .map(p -> p.result().orElseGet(() -> ReconcileResult.done("nothing left to do")));
  }

  private static Function<Pass, Future<Pass>> step(Function<Pass, Future<Pass>> s) {
    return p -> p.stopped() ? Future.succeededFuture(p) : s.apply(p);
  }

  // ---- steps, in order ---------------------------------------------------------------------------

  private Future<Pass> load(Reconciliation rec) {
    return store.load(rec.namespace(), rec.name())
        .map(found -> {
          if (found.isEmpty()) {
            store.forget(rec.namespace(), rec.name());
            tracker.forget(rec.key());
            wakeWaiters(null);
            Pass gone = new Pass(rec, null);
            return gone.stop(ReconcileResult.done("deleted"));
          }
          return new Pass(rec, found.get());
        });
  }

  private Future<Pass> initialize(Pass p) {
    if (p.experiment().status() != null && p.experiment().status().initTime() != null) {
      return Future.succeededFuture(p);
    }
    Instant now = clock.instant();
    String msg = "Experiment status initialized";
    return write(p, s -> s
            .condition(Reasons.COMPLETED, false, Reasons.EXPERIMENT_INITIALIZED, msg, now)
            .condition(Reasons.FAILED, false, Reasons.EXPERIMENT_INITIALIZED, msg, now)
            .condition(Reasons.TARGET_ACQUIRED, false, Reasons.EXPERIMENT_INITIALIZED, msg, now)
            .stage(Stage.WAITING)
            .completedIterations(0)
            .initTime(now)
            .lastUpdateTime(now)
            .observedGeneration(p.experiment().metadata().generation())
            .message(Reasons.EXPERIMENT_INITIALIZED, msg))
        .onSuccess(q -> events.normal(q.rec, q.experiment(), Reasons.EXPERIMENT_INITIALIZED, msg));
  }

  private Future<Pass> skipCompleted(Pass p) {
    return Future.succeededFuture(
        ExperimentFacts.completed(p.experiment()) ? p.stop(ReconcileResult.done("completed")) : p);
  }

  private Future<Pass> validate(Pass p) {
    if (ExperimentFacts.stage(p.experiment()) == Stage.FINISHING) {
      return Future.succeededFuture(p);
    }
    List<Problem> problems = ExperimentValidator.validate(p.experiment());
    if (problems.isEmpty()) {
      return Future.succeededFuture(p);
    }
    String list = String.join("; ", problems.stream().map(Problem::toString).toList());
    return fail(p, Reasons.INVALID_EXPERIMENT, "invalid experiment: " + list);
  }

  /**
   * A generated experiment ends when its workload no longer records it (docs/workloads.md): a newer
   * version supersedes it (its candidate is removed), the baseline was applied again (the same), or
   * the watch label was removed (rolled back, so the object serves one version again).
   */
  private Future<Pass> checkSuperseded(Pass p) {
    Optional<WorkloadHandler> handler = workloads.apply(p.effective());
    if (handler.isEmpty() || ExperimentFacts.stage(p.experiment()) == Stage.FINISHING) {
      return Future.succeededFuture(p);
    }
    String name = p.experiment().metadata().name();
    return targetWorkloads.stateOf(p.effective()).compose(w -> {
      if (!w.exists()) {
        return complete(p, false, Reasons.SUPERSEDED, "the workload was deleted");
      }
      if (!w.labeled()) {
        return rollBack(p, "the iter8.tools/watch label was removed from the workload");
      }
      if (w.experiment().map(name::equals).orElse(false)) {
        return Future.succeededFuture(p);
      }
      String why = w.experiment()
          .map(other -> "superseded by experiment " + other + " for a newer version of the workload")
          .orElse("the workload no longer records this experiment (its serving version was applied again)");
      return handler.get().abandon(p.effective(), why).compose(v -> complete(p, false, Reasons.SUPERSEDED, why));
    });
  }

  /** Ends the experiment keeping the baseline: the finish step restores its traffic and runs the rollback action. */
  private Future<Pass> rollBack(Pass p, String why) {
    Instant now = clock.instant();
    Decision d = new Decision(DecisionAction.ROLLBACK.wireName(), p.effective().spec().versionInfo().baseline().name(),
        null, why, ExperimentFacts.completedIterations(p.experiment()), now, null);
    return write(p, s -> s.decision(d).stage(Stage.FINISHING).message(Reasons.DECISION, why))
        .onSuccess(q -> events.warning(q.rec, q.experiment(), Reasons.DECISION, "Rollback: " + why));
  }

  private Future<Pass> acquireTarget(Pass p) {
    Experiment e = p.experiment();
    if (ExperimentFacts.condition(e, Reasons.TARGET_ACQUIRED)) {
      return Future.succeededFuture(p);
    }
    String target = e.spec().target();
    List<Experiment> contenders = new ArrayList<>();
    for (Experiment other : store.onTarget(target)) {
      if (target.equals(other.spec() == null ? null : other.spec().target()) && !ExperimentFacts.completed(other)
          && !other.metadata().key().equals(e.metadata().key())) {
        if (ExperimentFacts.condition(other, Reasons.TARGET_ACQUIRED)) {
          return Future.succeededFuture(p.stop(ReconcileResult.requeueAfter(WAIT_RECHECK,
              "target " + target + " is held by " + other.metadata().key())));
        }
        contenders.add(other);
      }
    }
    contenders.add(e);
    Experiment first = contenders.stream().min(queueOrder()).orElseThrow();
    if (first != e) {
      return Future.succeededFuture(p.stop(ReconcileResult.requeueAfter(WAIT_RECHECK,
          "waiting behind " + first.metadata().key() + " for target " + target)));
    }
    Instant now = clock.instant();
    String msg = "Target " + target + " acquired";
    return write(p, s -> s.condition(Reasons.TARGET_ACQUIRED, true, Reasons.TARGET_ACQUIRED_REASON, msg, now)
            .message(Reasons.TARGET_ACQUIRED_REASON, msg))
        .onSuccess(q -> events.normal(q.rec, q.experiment(), Reasons.TARGET_ACQUIRED_REASON, msg));
  }

  /** FIFO by initTime as the original (reference §4.3); the name breaks ties so all agents agree. */
  private static Comparator<Experiment> queueOrder() {
    return Comparator.<Experiment, Instant>comparing(
            x -> x.status() == null || x.status().initTime() == null ? Instant.MAX : x.status().initTime())
        .thenComparing(x -> x.metadata().key());
  }

  private Future<Pass> beginInitializing(Pass p) {
    return ExperimentFacts.stage(p.experiment()) == Stage.WAITING ? advance(p, Stage.INITIALIZING) : Future.succeededFuture(p);
  }

  /**
   * Runs an action once: launched in the background, awaited by later passes, recorded in
   * {@code status.completedActions} when it has finished.
   */
  private Future<Pass> runAction(Pass p, ActionKind kind, String actionId) {
    List<TaskSpec> tasks = tasksOf(p.effective(), kind);
    if (tasks.isEmpty() || ExperimentFacts.actionCompleted(p.experiment(), actionId)) {
      return Future.succeededFuture(p);
    }
    String key = p.rec.key();
    Optional<Future<ActionOutcome>> running = tracker.find(key, actionId);
    if (running.isEmpty()) {
      Experiment snapshot = p.effective();
      tracker.launch(key, actionId, () -> actions.run(new TaskContext(snapshot, kind, actionId), tasks));
      String msg = capitalized(kind.key()) + " handler '" + actionId + "' launched";
      events.normal(p.rec, p.experiment(), Reasons.HANDLER_LAUNCHED, msg);
      return Future.succeededFuture(p.stop(ReconcileResult.requeueAfter(WAIT_RECHECK, msg)));
    }
    Future<ActionOutcome> f = running.get();
    if (!f.isComplete()) {
      return Future.succeededFuture(p.stop(ReconcileResult.requeueAfter(WAIT_RECHECK, actionId + " action running")));
    }
    tracker.forget(key);
    if (f.failed()) {
      String why = capitalized(kind.key()) + " actions failed: " + f.cause().getMessage();
      if (kind == ActionKind.FINISH || kind == ActionKind.ROLLBACK || kind == ActionKind.FAILURE) {
        // The experiment is ending anyway: record the failure and let it complete.
        Instant now = clock.instant();
        return write(p, s -> s.condition(Reasons.FAILED, true, Reasons.HANDLER_FAILED, why, now)
                .actionCompleted(actionId)
                .message(Reasons.HANDLER_FAILED, why))
            .onSuccess(q -> events.warning(q.rec, q.experiment(), Reasons.HANDLER_FAILED, why));
      }
      return fail(p, Reasons.HANDLER_FAILED, why);
    }
    ActionOutcome result = f.result();
    String msg = capitalized(kind.key()) + " handler '" + actionId + "' completed"
        + (result.messages().isEmpty() ? "" : ": " + String.join("; ", result.messages()));
    return write(p, s -> {
          s.actionCompleted(actionId).message(Reasons.HANDLER_COMPLETED, msg);
          if (result.builtinHistograms() != null) {
            s.analysis(withBuiltinHistograms(p.experiment(), result.builtinHistograms()));
          }
          return s;
        })
        .onSuccess(q -> events.normal(q.rec, q.experiment(), Reasons.HANDLER_COMPLETED, msg));
  }

  private Future<Pass> snapshotMetrics(Pass p) {
    Experiment e = p.experiment();
    boolean taken = e.status().metrics() != null && !e.status().metrics().isEmpty();
    if (taken || ExperimentFacts.stage(e).isAfter(Stage.INITIALIZING)) {
      return Future.succeededFuture(p);
    }
    return metricResolver.resolve(p.effective())
        .compose(resolved -> {
          if (resolved.missing().isPresent()) {
            return fail(p, Reasons.METRIC_UNAVAILABLE, "Unable to find metric " + resolved.missing().get());
          }
          if (resolved.metrics().isEmpty()) {
            return Future.succeededFuture(p);
          }
          return write(p, s -> s.metrics(resolved.metrics()));
        });
  }

  private Future<Pass> prepareVersions(Pass p) {
    if (ExperimentFacts.stage(p.experiment()) != Stage.INITIALIZING) {
      return Future.succeededFuture(p);
    }
    return workloads.apply(p.effective()).map(h -> h.prepare(p.effective())).orElse(Future.succeededFuture())
        .map(v -> p);
  }

  /** Enters Running: the clock of {@code $elapsedTime} starts, and the first traffic step is applied. */
  private Future<Pass> beginRunning(Pass p) {
    if (ExperimentFacts.stage(p.experiment()) != Stage.INITIALIZING) {
      return Future.succeededFuture(p);
    }
    Experiment e = p.effective();
    Future<Map<String, Integer>> initial =
        movesWeights(e)
            ? router(e).apply(e, InitialWeights.of(e)).compose(v -> readWeights(e))
            : readWeightsIfRouted(e);
    return initial
        .compose(weights -> {
          Instant now = clock.instant();
          return write(p, s -> s.stage(Stage.RUNNING)
                  .startTime(now)
                  .lastUpdateTime(now)
                  .currentWeightDistribution(weightData(e, weights))
                  .weightsAppliedIteration(0)
                  .message(Reasons.STAGE_ADVANCED, "Advanced to Running"))
              .onSuccess(q -> events.normal(q.rec, q.experiment(), Reasons.STAGE_ADVANCED, "Advanced to Running"));
        })
        .recover(err -> notFound(err) ? fail(p, Reasons.INVALID_EXPERIMENT,
            "Specification of version weightObjectRef invalid: " + err.getMessage()) : Future.failedFuture(err));
  }

  /**
   * Writes the weights of the last completed iteration if a previous pass recorded the iteration but
   * stopped before its weights reached the cluster. Weights are absolute, so this never steps twice.
   */
  private Future<Pass> catchUpWeights(Pass p) {
    Experiment e = p.experiment();
    int done = ExperimentFacts.completedIterations(e);
    Integer applied = e.status().weightsAppliedIteration();
    if (ExperimentFacts.stage(e) != Stage.RUNNING || done == 0 || (applied != null && applied >= done)) {
      return Future.succeededFuture(p);
    }
    return applyRecommendedWeights(p);
  }

  private Future<Pass> loopAction(Pass p) {
    Experiment e = p.effective();
    int done = ExperimentFacts.completedIterations(e);
    int perLoop = e.spec().duration().iterationsPerLoop();
    boolean loopEnded = done > 0 && done % perLoop == 0 && done < e.spec().duration().totalIterations();
    if (ExperimentFacts.stage(e) != Stage.RUNNING || !loopEnded) {
      return Future.succeededFuture(p);
    }
    return runAction(p, ActionKind.LOOP, "loop-" + (done / perLoop));
  }

  private Future<Pass> iterate(Pass p) {
    Experiment e = p.effective();
    if (ExperimentFacts.stage(e) != Stage.RUNNING) {
      return Future.succeededFuture(p);
    }
    int done = ExperimentFacts.completedIterations(e);
    if (done >= e.spec().duration().totalIterations()) {
      return horizonReached(p);
    }
    Instant now = clock.instant();
    Instant due = e.status().lastUpdateTime().plusSeconds(e.spec().duration().intervalSeconds());
    if (now.plus(INTERVAL_TOLERANCE).isBefore(due)) {
      return Future.succeededFuture(p.stop(ReconcileResult.requeueAfter(Duration.between(now, due), "next iteration")));
    }
    return observe(e, now)
        .compose(observations -> readWeightsIfRouted(e).map(weights -> analyze(p, observations, weights, now)))
        .compose(result -> recordIteration(p, result, now))
        .compose(q -> q.experiment().status().stage().equals(Stage.FINISHING.wireName())
            ? Future.succeededFuture(q)
            : applyRecommendedWeights(q).map(r -> r.stop(ReconcileResult.requeueAfter(
                untilNext(now, e.spec().duration().intervalSeconds()), "next iteration"))));
  }

  /**
   * How long until the next iteration is due: an interval after this iteration's {@code lastUpdateTime} ({@code
   * started}), as {@link #iterate} judges it, not an interval after the pass ends, which made every iteration late by
   * the pass's own duration.
   */
  private Duration untilNext(Instant started, int intervalSeconds) {
    Duration d = Duration.between(clock.instant(), started.plusSeconds(intervalSeconds));
    return d.isNegative() ? Duration.ZERO : d;
  }

  private Future<Map<String, Map<String, Observation>>> observe(Experiment e, Instant now) {
    List<MetricInfo> snapshot = e.status().metrics() == null ? List.of() : e.status().metrics();
    List<VersionDetail> versions = e.spec().versionInfo().all();
    List<MetricQuery> queries = new ArrayList<>();
    for (VersionDetail v : versions) {
      for (MetricInfo m : snapshot) {
        queries.add(MetricQuery.of(e, m, v, now));
      }
    }
    return metrics.evaluateAll(queries).map(results -> {
      Map<String, Map<String, Observation>> byVersion = new LinkedHashMap<>();
      for (int i = 0; i < queries.size(); i++) {
        MetricQuery q = queries.get(i);
        byVersion.computeIfAbsent(q.version().name(), k -> new LinkedHashMap<>()).put(q.metricKey(), results.get(i));
      }
      return byVersion;
    });
  }

  private AnalysisResult analyze(
      Pass p, Map<String, Map<String, Observation>> observations, Map<String, Integer> weights, Instant now) {
    Experiment e = p.effective();
    Map<String, tools.iter8.core.api.Metric> byKey = new LinkedHashMap<>();
    if (e.status().metrics() != null) {
      e.status().metrics().forEach(m -> byKey.put(m.name(), m.metricObj()));
    }
    int iteration = ExperimentFacts.completedIterations(e) + 1;
    Integer errors = e.status().consecutiveErrors();
    long started = System.nanoTime();
    AnalysisResult result = analyzer.analyze(new AnalysisInput(
        e, byKey, observations, weights, iteration, errors == null ? 0 : errors,
        AnalysisInput.seedFor(e.metadata().uid() != null ? e.metadata().uid() : e.metadata().key(), iteration), now));
    agentMetrics.analysis(Duration.ofNanos(System.nanoTime() - started));
    return result;
  }

  private Future<Pass> recordIteration(Pass p, AnalysisResult result, Instant now) {
    Experiment e = p.effective();
    int iteration = ExperimentFacts.completedIterations(e) + 1;
    Decision decision = result.decision();
    Decision previous = e.status().decision();
    DecisionAction action = result.action();
    String iterationMsg = "Completed Iteration " + iteration;
    return write(p, s -> {
          s.completedIterations(iteration)
              .lastUpdateTime(now)
              .analysis(result.analysis())
              .decision(decision)
              .consecutiveErrors(result.consecutiveErrors())
              .versionRecommendedForPromotion(result.versionRecommendedForPromotion())
              .message(Reasons.ITERATION_UPDATE, iterationMsg + ": " + decision.reason());
          if (action.terminal()) {
            s.stage(Stage.FINISHING);
            if (action == DecisionAction.FAIL) {
              s.condition(Reasons.FAILED, true, Reasons.METRICS_ERROR_LIMIT, decision.reason(), now);
            }
          }
          return s;
        })
        .onSuccess(q -> {
          agentMetrics.iteration();
          agentMetrics.decision(action.wireName());
          events.normal(q.rec, q.experiment(), Reasons.ITERATION_UPDATE, iterationMsg);
          boolean changed = previous == null || !decision.action().equals(previous.action());
          if (changed || action.terminal()) {
            String msg = decision.action() + ": " + decision.reason();
            if (action == DecisionAction.ROLLBACK || action == DecisionAction.FAIL) {
              events.warning(q.rec, q.experiment(), Reasons.DECISION, msg);
            } else {
              events.normal(q.rec, q.experiment(), Reasons.DECISION, msg);
            }
          }
          if (iteration % e.spec().duration().iterationsPerLoop() == 0) {
            String loopMsg = "Completed Loop " + iteration / e.spec().duration().iterationsPerLoop();
            events.normal(q.rec, q.experiment(), Reasons.ITERATION_UPDATE, loopMsg);
          }
        });
  }

  /**
   * The iterations ran out without a terminal decision: the candidate has not shown, at the required
   * strength, that it should get all the traffic, so the baseline stays (a Conformance experiment
   * simply completes). The decision says so.
   */
  private Future<Pass> horizonReached(Pass p) {
    Experiment e = p.effective();
    Instant now = clock.instant();
    boolean conformance = TestingPattern.parse(e.spec().strategy().testingPattern())
        .map(t -> t == TestingPattern.CONFORMANCE).orElse(false);
    String baseline = e.spec().versionInfo().baseline().name();
    String reason = conformance
        ? "all " + e.spec().duration().totalIterations() + " iterations completed"
        : "all " + e.spec().duration().totalIterations() + " iterations completed without a decision at strength "
            + e.spec().criteria().strength() + "; keeping the baseline " + baseline;
    Decision d = new Decision(conformance ? DecisionAction.CONTINUE.wireName() : DecisionAction.ROLLBACK.wireName(),
        baseline, null, reason, ExperimentFacts.completedIterations(e), now, null);
    return write(p, s -> s.decision(d).stage(Stage.FINISHING).message(Reasons.DECISION, reason))
        .onSuccess(q -> events.normal(q.rec, q.experiment(), Reasons.DECISION, d.action() + ": " + reason));
  }

  /**
   * Stage Finishing: the final traffic split for the outcome, the outcome's action (finish, rollback
   * or failure), then Completed.
   */
  private Future<Pass> finish(Pass p) {
    if (ExperimentFacts.stage(p.experiment()) != Stage.FINISHING) {
      return Future.succeededFuture(p);
    }
    Experiment e = p.effective();
    Outcome outcome = Outcome.of(e);
    String actionId = outcome.actionId(e);
    return finalTraffic(p, outcome)
        .compose(q -> actionId == null ? Future.succeededFuture(q) : runAction(q, outcome.actionKind(e), actionId))
        .compose(step(q -> complete(q, outcome.failed(q.experiment()), outcome.reason(q.experiment()), outcome.message(q.experiment()))));
  }

  private Future<Pass> finalTraffic(Pass p, Outcome outcome) {
    Experiment e = p.effective();
    if (!reachedRunning(e) || ExperimentFacts.actionCompleted(e, "final-traffic")) {
      return Future.succeededFuture(p);
    }
    boolean darkLaunch = DeploymentPattern.DARK_LAUNCH.wireName().equals(e.spec().strategy().deploymentPattern());
    if (!movesWeights(e) && !darkLaunch) {
      return write(p, s -> s.actionCompleted("final-traffic"));
    }
    Map<String, Integer> split = outcome.finalSplit(e);
    TrafficRouter router = router(e);
    // The split is read before cleanup: cleanup may restore the user's own route, which no longer shows it.
    return router.apply(e, split)
        .compose(v -> router.read(e))
        .compose(read -> router.cleanup(e, split).map(read))
        .compose(read -> write(p, s -> s.currentWeightDistribution(weightData(e, read))
            .weightsAppliedIteration(ExperimentFacts.completedIterations(e))
            .actionCompleted("final-traffic")));
  }

  private Future<Pass> complete(Pass p, boolean failed, String reason, String message) {
    Instant now = clock.instant();
    return write(p, s -> {
          s.condition(Reasons.COMPLETED, true, reason, message, now).stage(Stage.COMPLETED).message(reason, message);
          if (!failed) {
            s.condition(Reasons.FAILED, false, reason, message, now);
          }
          return s;
        })
        .map(q -> {
          if (failed) {
            events.warning(q.rec, q.experiment(), reason, message);
          } else {
            events.normal(q.rec, q.experiment(), reason, message);
          }
          agentMetrics.completed(failed);
          wakeWaiters(q.experiment().spec().target());
          return q.stop(ReconcileResult.done(message));
        });
  }

  /** Marks the experiment failed; the finish step then restores the baseline and runs the failure action. */
  private Future<Pass> fail(Pass p, String reason, String message) {
    Instant now = clock.instant();
    Decision d = new Decision(DecisionAction.FAIL.wireName(), p.effective().spec().versionInfo() == null
        ? null : p.effective().spec().versionInfo().baseline().name(), null, message,
        ExperimentFacts.completedIterations(p.experiment()), now, null);
    return write(p, s -> s.condition(Reasons.FAILED, true, reason, message, now)
            .decision(d)
            .stage(Stage.FINISHING)
            .message(reason, message))
        .onSuccess(q -> events.warning(q.rec, q.experiment(), reason, message));
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private Future<Pass> advance(Pass p, Stage stage) {
    String msg = "Advanced to " + stage.wireName();
    return write(p, s -> s.stage(stage).message(Reasons.STAGE_ADVANCED, msg))
        .onSuccess(q -> events.normal(q.rec, q.experiment(), Reasons.STAGE_ADVANCED, msg));
  }

  private Future<Pass> write(Pass p, UnaryOperator<StatusBuilder> edit) {
    Experiment e = p.experiment();
    Experiment next = e.withStatus(edit.apply(StatusBuilder.from(e.status())).build());
    return store.writeStatus(next).map(written -> {
      p.update(written);
      return p;
    });
  }

  private Future<Pass> applyRecommendedWeights(Pass p) {
    Experiment e = p.effective();
    int done = ExperimentFacts.completedIterations(e);
    Analysis a = e.status().analysis();
    if (!movesWeights(e) || a == null || a.weights() == null || a.weights().data() == null) {
      return write(p, s -> s.weightsAppliedIteration(done));
    }
    Map<String, Integer> weights = new LinkedHashMap<>();
    a.weights().data().forEach(w -> weights.put(w.name(), w.value()));
    TrafficRouter router = router(e);
    return router.apply(e, weights)
        .compose(v -> router.read(e))
        .compose(read -> write(p, s -> s.currentWeightDistribution(weightData(e, read)).weightsAppliedIteration(done)))
        .recover(err -> notFound(err)
            ? fail(p, Reasons.WEIGHT_REDISTRIBUTION_FAILED, "Failure redistributing weights: " + err.getMessage())
            : Future.failedFuture(err));
  }

  private Future<Map<String, Integer>> readWeights(Experiment e) {
    return router(e).read(e);
  }

  /** The split in the cluster, or none for experiments that route nothing (Conformance, FixedSplit without refs). */
  private Future<Map<String, Integer>> readWeightsIfRouted(Experiment e) {
    if (!routed(e)) {
      return Future.succeededFuture(Map.of());
    }
    return readWeights(e);
  }

  private TrafficRouter router(Experiment e) {
    return routers.apply(e);
  }

  private static boolean routed(Experiment e) {
    boolean conformance = TestingPattern.CONFORMANCE.wireName().equals(e.spec().strategy().testingPattern());
    if (conformance) {
      return false;
    }
    boolean hasRefs = e.spec().versionInfo().all().stream().anyMatch(v -> v.weightObjRef() != null);
    return hasRefs || e.spec().routing() != null || e.spec().targetRef() != null;
  }

  /** Whether this experiment's traffic split is the agent's to change (reference §4.6 plus ours). */
  static boolean movesWeights(Experiment e) {
    String pattern = e.spec().strategy().deploymentPattern();
    return routed(e) && !DeploymentPattern.FIXED_SPLIT.wireName().equals(pattern);
  }

  private static boolean reachedRunning(Experiment e) {
    return e.status().startTime() != null;
  }

  private static List<WeightData> weightData(Experiment e, Map<String, Integer> weights) {
    if (weights.isEmpty()) {
      return e.status() == null ? null : e.status().currentWeightDistribution();
    }
    List<WeightData> data = new ArrayList<>();
    for (VersionDetail v : e.spec().versionInfo().all()) {
      data.add(new WeightData(v.name(), weights.getOrDefault(v.name(), 0)));
    }
    return data;
  }

  private static List<TaskSpec> tasksOf(Experiment e, ActionKind kind) {
    Map<String, List<TaskSpec>> all = e.spec().strategy().actions();
    List<TaskSpec> tasks = all == null ? null : all.get(kind.key());
    return tasks == null ? List.of() : tasks;
  }

  private static Analysis withBuiltinHistograms(Experiment e, JsonNode hists) {
    Analysis a = e.status().analysis();
    BuiltinHistsAnalysis b = new BuiltinHistsAnalysis("Builtin metrics collector", null, null, hists, null);
    if (a == null) {
      return new Analysis(b, null, null, null, null, null);
    }
    return new Analysis(b, a.aggregatedMetrics(), a.versionAssessments(), a.winnerAssessment(), a.weights(), a.extra());
  }

  private void wakeWaiters(String target) {
    store.waiting(target).forEach(enqueue);
  }

  private static boolean notFound(Throwable err) {
    return err instanceof KubernetesApiException k && (k.isNotFound() || k.code() == 422 || k.code() == 400)
        || err instanceof IllegalArgumentException || err instanceof IllegalStateException;
  }

  private static String capitalized(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
