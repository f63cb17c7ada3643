package tools.iter8.agent.leader;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.iter8.agent.AgentConfig;

/**
 * Leader election on a Lease (15/10/2 s by default): only the leader reconciles. client-java's
 * {@link LeaderElector#run} blocks and does not compete again after losing the lease, so it gets its
 * own thread, and losing the lease calls {@code onLost} — the agent's main exits then, and Kubernetes
 * restarts a clean follower (what Strimzi and Flagger do). {@link #isLeader()} turns false the moment
 * the lease is lost; the agent checks it before every pass and every write, so the old leader stops
 * acting before the lease can expire and another replica take over. {@link #close()} gives the lease
 * up, so a standby takes over at once on a graceful shutdown.
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderElection.class);

  private final LeaderElector elector;
  private final String identity;
  private final AtomicBoolean leader = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Runnable onLeading;
  private final Runnable onLost;
  private Thread thread;

  public LeaderElection(ApiClient client, AgentConfig config, Runnable onLeading, Runnable onLost) {
    this.identity = config.identity();
    this.onLeading = onLeading;
    this.onLost = onLost;
    LeaseLock lock = new LeaseLock(config.systemNamespace(), config.leaseName(), identity, client);
    this.elector = new LeaderElector(
        new LeaderElectionConfig(lock, config.leaseDuration(), config.renewDeadline(), config.retryPeriod()),
        err -> LOG.warn("leader election ({}): {}", identity, err.getMessage()));
  }

  public void start() {
    thread = new Thread(() -> elector.run(this::started, this::stopped), "leader-election");
    thread.setDaemon(true);
    thread.start();
  }

  public boolean isLeader() {
    return leader.get();
  }

  private void started() {
    LOG.info("{} is the leader", identity);
    leader.set(true);
    onLeading.run();
  }

  private void stopped() {
    boolean was = leader.getAndSet(false);
    if (was && !closing.get()) {
      LOG.warn("{} lost the lease; it stops acting now", identity);
      onLost.run();
    }
  }

  /** Stops acting and releases the lease. */
  @Override
  public void close() {
    closing.set(true);
    leader.set(false);
    elector.close();
    if (thread != null) {
      thread.interrupt();
    }
  }
}
