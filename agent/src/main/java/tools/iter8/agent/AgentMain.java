package tools.iter8.agent;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.core.config.EnvSettings.InvalidConfigException;

/**
 * Starts the agent: typed config from the environment (a bad value exits at once naming every bad
 * variable), the Kubernetes client (in-cluster, else kubeconfig), then {@link Agent}. A lost lease
 * exits the process so Kubernetes restarts a clean follower; SIGTERM stops acting, releases the lease
 * (a standby takes over at once) and closes Vert.x, in that order.
 */
public final class AgentMain {
  private static final Logger LOG = LoggerFactory.getLogger(AgentMain.class);

  private AgentMain() {}

  public static void main(String[] args) throws IOException, InterruptedException {
    AgentConfig config;
    try {
      config = AgentConfig.fromEnv(System.getenv());
    } catch (InvalidConfigException e) {
      LOG.error("{}", e.getMessage());
      System.exit(2);
      return;
    }
    LOG.info("agent configuration: {}", config);
    ApiClient client = ClientBuilder.standard().build();
    // Watches are long-lived; client-java's default read timeout would cut them.
    client.setHttpClient(client.getHttpClient().newBuilder().readTimeout(Duration.ZERO).build());
    Vertx vertx = Vertx.vertx();
    Agent agent = new Agent(config, client, vertx,
        Agent.Options.defaults().withLeadershipLost(() -> {
          LOG.error("leadership lost; exiting so that Kubernetes restarts this replica as a follower");
          new Thread(() -> System.exit(1), "exit").start();
        }));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      LOG.info("shutting down: releasing the lease");
      agent.close();
      vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
      stopped.countDown();
    }, "shutdown"));
    agent.start().onFailure(e -> {
      LOG.error("agent failed to start: {}", e.getMessage(), e);
      System.exit(1);
    });
    stopped.await();
  }
}
