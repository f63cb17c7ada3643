package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.testkit.kube.KubernetesApiEmulation;
import tools.iter8.testkit.kube.RequestLog;

/**
 * The Kubernetes API emulation with the agent's {@link KubernetesOps} on a Vert.x worker pool, and the
 * few helpers the router and workload tests share: objects and experiments from YAML, reading what is
 * stored, writing {@code .status} as a controller would, and awaiting Futures.
 */
public final class EmulatedCluster implements AutoCloseable {
  private final KubernetesApiEmulation api;
  private final Vertx vertx;
  private final WorkerExecutor pool;
  private final KubernetesOps ops;
  private final KubernetesOps setup;

  private EmulatedCluster() {
    api = KubernetesApiEmulation.start();
    vertx = Vertx.vertx();
    pool = vertx.createSharedWorkerExecutor("kubernetes-ops-test", 4);
    ops = new KubernetesOps(api.apiClient(), pool);
    setup = new KubernetesOps(api.apiClient(), pool, () -> true, "iter8-test");
  }

  public static EmulatedCluster start() {
    return new EmulatedCluster();
  }

  public KubernetesApiEmulation api() {
    return api;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** The agent's boundary, for the code under test: its calls count as the agent's (RBAC tests). */
  public KubernetesOps ops() {
    return ops;
  }

  /** The same API for the test's own setup and checks, under another User-Agent. */
  public KubernetesOps setup() {
    return setup;
  }

  public static <T> T await(Future<T> f) {
    return f.toCompletionStage().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
  }

  /** The failure of a Future that must fail. */
  public static Throwable failure(Future<?> f) {
    try {
      await(f);
    } catch (CompletionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected the Future to fail, but it succeeded");
  }

  public static JsonNode yaml(String text) {
    return ApiMapper.read(text, JsonNode.class);
  }

  public static Experiment experiment(String text) {
    return ApiMapper.read(text, Experiment.class);
  }

  public JsonNode create(ResourceKind kind, String text) {
    JsonNode object = yaml(text);
    return await(setup.create(kind, object.at("/metadata/namespace").asText(), object));
  }

  public JsonNode get(ResourceKind kind, String namespace, String name) {
    return await(setup.get(kind, namespace, name))
        .orElseThrow(() -> new AssertionError(kind + " " + namespace + "/" + name + " does not exist"));
  }

  public boolean exists(ResourceKind kind, String namespace, String name) {
    return await(setup.get(kind, namespace, name)).isPresent();
  }

  /** Writes {@code .status} through the status subresource, as the object's controller would. */
  public JsonNode writeStatus(ResourceKind kind, String namespace, String name, String statusYaml) {
    ObjectNode object = get(kind, namespace, name).deepCopy();
    object.set("status", yaml(statusYaml));
    return await(setup.replaceStatus(kind, namespace, name, object));
  }

  /** The write requests (POST, PUT, PATCH, DELETE) the server answered since the log was last cleared. */
  public List<RequestLog.Entry> writes() {
    return api.requests().entries().stream().filter(e -> !e.method().equals("GET")).toList();
  }

  @Override
  public void close() {
    pool.close();
    vertx.close();
    api.close();
  }
}
