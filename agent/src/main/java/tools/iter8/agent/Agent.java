package tools.iter8.agent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.ApiClient;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.controller.EventRecorder;
import tools.iter8.agent.controller.ExperimentCache;
import tools.iter8.agent.controller.ExperimentController;
import tools.iter8.agent.controller.ExperimentIndex;
import tools.iter8.agent.controller.ExperimentReconciler;
import tools.iter8.agent.controller.ExperimentStore;
import tools.iter8.agent.controller.MetricResolver;
import tools.iter8.agent.controller.ResourceInformer;
import tools.iter8.agent.controller.TargetWorkloads;
import tools.iter8.agent.controller.WorkloadReconciler;
import tools.iter8.agent.health.AgentMetrics;
import tools.iter8.agent.health.HealthServer;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.NoDelaySocketFactory;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.agent.leader.LeaderElection;
import tools.iter8.agent.metrics.DispatchingMetricsSource;
import tools.iter8.agent.metrics.KubernetesSecretSource;
import tools.iter8.agent.metrics.MetricsSource;
import tools.iter8.agent.metrics.SecretSource;
import tools.iter8.agent.routing.TrafficRouters;
import tools.iter8.agent.tasks.ActionRunner;
import tools.iter8.agent.tasks.HttpNotificationTask;
import tools.iter8.agent.tasks.MetricsCollectTask;
import tools.iter8.agent.tasks.PromoteTask;
import tools.iter8.agent.tasks.ReadinessTask;
import tools.iter8.agent.tasks.RollbackTask;
import tools.iter8.agent.tasks.SlackNotificationTask;
import tools.iter8.agent.tasks.TaskRegistry;
import tools.iter8.agent.workload.WorkloadHandlers;
import tools.iter8.core.analysis.ExperimentAnalyzer;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Stage;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;

/**
 * The agent, assembled: informers on experiments and labeled workloads, the reconcilers and their
 * work queues, leader election, and the health server. Everything it needs is passed in (the API
 * client, Vert.x, the config, a clock, optionally a metrics source), so tests and the sandbox build it
 * the same way {@link AgentMain} does.
 *
 * <p>Informers run on every replica, so a standby is warm; only the leader's workers take keys from
 * the queues, and every write is fenced on leadership.
 */
public final class Agent implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

  private final AgentConfig config;
  private final Vertx vertx;
  private final WorkerExecutor pool;
  private final LeaderElection election;
  private final KubernetesOps ops;
  private final ResourceInformer experiments;
  private final ExperimentIndex index;
  private final ResourceInformer metricObjects;
  private final List<ResourceInformer> workloadInformers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ExperimentController experimentController;
  private final List<ExperimentController> workloadControllers = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ApiClient client;
  private final EventRecorder events;
  private final BooleanSupplier mayAct;
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AgentMetrics metrics = new AgentMetrics(registry);
  private final HealthServer health;
  private volatile boolean leading;

  /** What a caller may replace: the metrics source (tests, the sandbox) and the reaction to a lost lease. */
  public record Options(MetricsSource metricsSource, Runnable onLeadershipLost, Clock clock, String slackApiUrl) {
    public static Options defaults() {
      return new Options(null, () -> { }, Clock.systemUTC(), null);
    }

    public Options withMetricsSource(MetricsSource source) {
      return new Options(source, onLeadershipLost, clock, slackApiUrl);
    }

    public Options withLeadershipLost(Runnable r) {
      return new Options(metricsSource, r, clock, slackApiUrl);
    }

    public Options withSlackApiUrl(String url) {
      return new Options(metricsSource, onLeadershipLost, clock, url);
    }
  }

  public Agent(AgentConfig config, ApiClient client, Vertx vertx, Options options) {
    this.config = config;
    this.vertx = vertx;
    this.pool = vertx.createSharedWorkerExecutor("kubernetes-ops", config.kubernetesPoolSize());
    // Informers and leader election use the client directly: they identify as the agent too.
    client.setUserAgent(KubernetesOps.USER_AGENT + "/" + config.identity());
    // Without TCP_NODELAY every request whose body spans two writes waits up to 40 ms for a delayed ACK.
    if (!(client.getHttpClient().socketFactory() instanceof NoDelaySocketFactory)) {
      client.setHttpClient(client.getHttpClient().newBuilder()
          .socketFactory(new NoDelaySocketFactory(client.getHttpClient().socketFactory())).build());
    }
    this.election = config.leaderElection()
        ? new LeaderElection(client, config, this::startLeading, () -> lostLeadership(options.onLeadershipLost()))
        : null;
    BooleanSupplier mayAct = () -> election == null ? leading : election.isLeader();
    this.ops = new KubernetesOps(client, pool, mayAct, KubernetesOps.USER_AGENT + "/" + config.identity())
        .withRequestTimeout(config.kubernetesRequestTimeout());
    Clock clock = options.clock();
    String namespace = config.watchNamespaces().size() == 1 ? config.watchNamespaces().get(0) : null;

    experiments = new ResourceInformer(client, ResourceKind.EXPERIMENT, namespace, null, config.resyncPeriod());
    // Metrics live in their sets' namespaces (iter8-istio, ...), so they are watched cluster-wide.
    metricObjects = new ResourceInformer(client, ResourceKind.METRIC, null, null, config.resyncPeriod());
    ExperimentIndex index = new ExperimentIndex();
    this.index = index;
    ExperimentCache cache = new ExperimentCache() {
      @Override
      public java.util.Optional<Experiment> get(String ns, String name) {
        return experiments.get(ns, name, Experiment.class);
      }

      @Override
      public java.util.Optional<String> resourceVersion(String ns, String name) {
        return experiments.resourceVersion(ns, name);
      }

      @Override
      public List<String> onTarget(String target) {
        return index.onTarget(target);
      }

      @Override
      public List<String> waiting(String target) {
        return index.waiting(target);
      }
    };
    // Registered before the controller's handler, so a reconcile an event enqueues sees the event in the index.
    experiments.onChange((oldObj, newObj) -> index.upsert(newObj), index::remove);
    SecretSource secrets = new KubernetesSecretSource(ops, clock, KubernetesSecretSource.DEFAULT_TTL);
    MetricsSource source = options.metricsSource() != null
        ? options.metricsSource() : DispatchingMetricsSource.create(vertx, config, secrets);
    WebClient web = WebClient.create(vertx);
    WorkloadHandlers workloads = new WorkloadHandlers(ops, vertx, clock, Duration.ofMinutes(10));
    TrafficRouters routers = new TrafficRouters(ops);
    TaskRegistry tasks = TaskRegistry.of(
        new ReadinessTask(vertx, ops),
        new MetricsCollectTask(vertx),
        new HttpNotificationTask(web, secrets),
        options.slackApiUrl() == null
            ? new SlackNotificationTask(web, secrets)
            : new SlackNotificationTask(web, secrets, options.slackApiUrl(), HttpNotificationTask.DEFAULT_TIMEOUT),
        new PromoteTask(workloads::forExperiment),
        new RollbackTask(workloads::forExperiment));
    ActionRunner actions = new ActionRunner(tasks, clock);
    EventRecorder events = new EventRecorder(ops, "iter8-agent", clock);

    ExperimentController[] self = new ExperimentController[1];
    ExperimentReconciler reconciler = new ExperimentReconciler(
        new ExperimentStore(cache, ops), new MetricResolver(ops, (ns, n) -> metricObjects.get(ns, n, tools.iter8.core.api.Metric.class)), new TargetWorkloads(ops), source,
        new ExperimentAnalyzer(), routers::forExperiment, workloads::forExperiment, actions::run, events, metrics,
        key -> self[0].enqueue(key), clock);
    experimentController = new ExperimentController(
        "experiments@" + config.identity(), vertx, config.workers(), reconciler::reconcile, mayAct, this::synced, metrics);
    self[0] = experimentController;
    experiments.onChange((oldObj, newObj) -> {
      if (ResourceInformer.specOrMetadataChanged(oldObj, newObj)) {
        experimentController.enqueue(ResourceInformer.key(newObj));
      }
    }, o -> experimentController.enqueue(ResourceInformer.key(o)));

    this.client = client;
    this.events = events;
    this.mayAct = mayAct;
    metrics.experimentsByStage(this::stageCounts);
    health = new HealthServer(vertx, registry, this::synced);
  }

  /**
   * Starts informers (on the workload kinds the cluster serves) and the health server, then competes
   * for the lease (or leads at once without election).
   */
  public Future<Agent> start() {
    experiments.start();
    metricObjects.start();
    List<Future<Boolean>> served = new ArrayList<>();
    String namespace = config.watchNamespaces().size() == 1 ? config.watchNamespaces().get(0) : null;
    for (WorkloadKind kind : WorkloadKind.values()) {
      ResourceKind rk = new ResourceKind(kind.group(), kind.version(), kind.plural(), kind.kind(), true);
      // Served and listable: without the stack's RBAC overlay the agent may not list it, and an informer
      // that cannot list never syncs (the agent would never be ready).
      served.add(ops.served(rk).compose(yes -> !yes ? Future.succeededFuture(false)
          : ops.list(rk, namespace, WorkloadKeys.WATCH_LABEL + "=true").map(items -> true)
              .recover(err -> {
                LOG.warn("{}: the agent may not list it ({}); not watching it — apply the stack's RBAC overlay",
                    rk, err.getMessage());
                return Future.succeededFuture(false);
              })));
    }
    return Future.all(served).compose(all -> {
      WorkloadKind[] kinds = WorkloadKind.values();
      for (int i = 0; i < kinds.length; i++) {
        if (Boolean.TRUE.equals(all.resultAt(i))) {
          watchWorkloads(kinds[i]);
        } else {
          LOG.info("{} is not served here or not listable; not watching it", kinds[i].kind() + "." + kinds[i].apiVersion());
        }
      }
      return health.start(config.healthPort());
    }).map(s -> {
      if (election != null) {
        election.start();
      } else {
        startLeading();
      }
      LOG.info("agent {} started: watching {}, health on port {}", config.identity(),
          config.watchNamespaces().isEmpty() ? "all namespaces" : config.watchNamespaces(), health.port());
      return this;
    });
  }

  private void watchWorkloads(WorkloadKind kind) {
    String namespace = config.watchNamespaces().size() == 1 ? config.watchNamespaces().get(0) : null;
    WorkloadReconciler wr = new WorkloadReconciler(kind, ops, events, experimentController::enqueue);
    ResourceInformer informer = new ResourceInformer(
        client, wr.resource(), namespace, WorkloadKeys.WATCH_LABEL + "=true", config.resyncPeriod());
    ExperimentController c = new ExperimentController(kind.plural(), vertx, 2, wr::reconcile, mayAct, this::synced, metrics);
    informer.onChange((oldObj, newObj) -> {
      if (oldObj != null) {
        wr.onUpdate(ApiMapper.fromJson(oldObj.toString(), JsonNode.class), ApiMapper.fromJson(newObj.toString(), JsonNode.class));
      }
      c.enqueue(ResourceInformer.key(newObj));
    }, o -> c.enqueue(ResourceInformer.key(o)));
    workloadInformers.add(informer);
    workloadControllers.add(c);
    informer.start();
  }

  private synchronized void startLeading() {
    leading = true;
    experimentController.start();
    workloadControllers.forEach(ExperimentController::start);
  }

  private synchronized void lostLeadership(Runnable onLost) {
    leading = false;
    experimentController.stop();
    workloadControllers.forEach(ExperimentController::stop);
    onLost.run();
  }

  public boolean synced() {
    return experiments.hasSynced() && metricObjects.hasSynced() && workloadInformers.stream().allMatch(ResourceInformer::hasSynced);
  }

  public boolean isLeader() {
    return election == null ? leading : election.isLeader();
  }

  /** Iterations this agent has completed since it started (from its own metrics). */
  public double iterationsCompleted() {
    var c = registry.find("iter8_iterations").counter();
    return c == null ? 0 : c.count();
  }

  public int healthPort() {
    return health.port();
  }

  public KubernetesOps kubernetes() {
    return ops;
  }

  private Map<Stage, Long> stageCounts() {
    return index.stageCounts();
  }

  /** Stops acting, releases the lease so a standby takes over at once, and stops the informers. */
  @Override
  public void close() {
    leading = false;
    experimentController.stop();
    workloadControllers.forEach(ExperimentController::stop);
    if (election != null) {
      election.close();
    }
    experiments.stop();
    metricObjects.stop();
    workloadInformers.forEach(ResourceInformer::stop);
    health.stop();
    pool.close();
    Objects.requireNonNull(config);
  }
}
