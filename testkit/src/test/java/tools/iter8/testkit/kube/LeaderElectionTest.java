package tools.iter8.testkit.kube;

import io.kubernetes.client.extended.leaderelection.LeaderElectionConfig;
import io.kubernetes.client.extended.leaderelection.LeaderElector;
import io.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoordinationV1Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class LeaderElectionTest {

  private static final String NS = "iter8-system";
  private static final String LEASE = "iter8-agent";

  private KubernetesApiEmulation kube;
  private ApiClient client;
  private final ExecutorService electors = Executors.newCachedThreadPool(runnable -> {
    Thread thread = new Thread(runnable, "elector");
    thread.setDaemon(true);
    return thread;
  });

  @BeforeEach
  void start() {
    kube = KubernetesApiEmulation.start();
    client = kube.apiClient();
  }

  @AfterEach
  void stop() {
    electors.shutdownNow();
    kube.close();
  }

  @Test
  void leaseLockElectsOneLeaderAndASecondTakesOverAfterTheFirstCloses() throws Exception {
    AtomicBoolean aLeads = new AtomicBoolean();
    AtomicBoolean bLeads = new AtomicBoolean();
    LeaderElector a = elector("pod-a");
    LeaderElector b = elector("pod-b");
    Future<?> aRun = electors.submit(() -> a.run(() -> aLeads.set(true), () -> aLeads.set(false)));
    Future<?> bRun = null;
    boolean aClosed = false;
    try {
      await().atMost(Duration.ofSeconds(5)).untilTrue(aLeads);

      bRun = electors.submit(() -> b.run(() -> bLeads.set(true), () -> bLeads.set(false)));
      assertThat(holder()).isEqualTo("pod-a");

      a.close();
      aClosed = true;
      await().atMost(Duration.ofSeconds(10)).untilTrue(bLeads);
      assertThat(holder()).isEqualTo("pod-b");
    } finally {
      // Closing twice would release the lease twice, the second time with a stale resourceVersion.
      if (!aClosed) {
        a.close();
      }
      b.close();
      // run() returns once its elector is closed; interrupting it instead would log an error.
      aRun.get(5, TimeUnit.SECONDS);
      if (bRun != null) {
        bRun.get(5, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * A retry period of whole seconds, because LeaderElector.close() waits for its workers for that many whole
   * seconds: with less it interrupts a renewal in flight and then fails to release the lease with a 409.
   */
  private LeaderElector elector(String identity) {
    return new LeaderElector(new LeaderElectionConfig(new LeaseLock(NS, LEASE, identity, client),
        Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofSeconds(1)));
  }

  private String holder() throws Exception {
    return new CoordinationV1Api(client).readNamespacedLease(LEASE, NS).execute().getSpec().getHolderIdentity();
  }
}
