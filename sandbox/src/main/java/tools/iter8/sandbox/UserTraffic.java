package tools.iter8.sandbox;

import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated users: {@code requestsPerSecond} real HTTP requests to the app's Service, which sends each to
 * a pod in proportion to its ReplicaSet's replicas (the replica-ratio routing the agent controls).
 */
final class UserTraffic {
  private static final long TICK_MS = 50;
  private final Vertx vertx;
  private final DemoPods pods;
  private final double requestsPerSecond;
  private final WebClient client;
  private final SplittableRandom random = new SplittableRandom(7);
  private final AtomicLong sent = new AtomicLong();
  private double carry;
  private long timer = -1;

  UserTraffic(Vertx vertx, DemoPods pods, double requestsPerSecond) {
    this.vertx = vertx;
    this.pods = pods;
    this.requestsPerSecond = requestsPerSecond;
    this.client = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true));
  }

  void start() {
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
  }

  private void tick() {
    Map<AppPod, Integer> endpoints = pods.endpoints();
    int total = endpoints.values().stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return;
    }
    double exact = requestsPerSecond * TICK_MS / 1000.0 + carry;
    long n = (long) exact;
    carry = exact - n;
    for (long i = 0; i < n; i++) {
      int pick = random.nextInt(total);
      for (Map.Entry<AppPod, Integer> e : endpoints.entrySet()) {
        pick -= e.getValue();
        if (pick < 0) {
          client.get(e.getKey().port(), "127.0.0.1", "/").send();
          sent.incrementAndGet();
          break;
        }
      }
    }
  }

  long sent() {
    return sent.get();
  }

  void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    client.close();
  }
}
