package tools.iter8.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Iteration lateness from experiment status writes, as the API server sees them: an iteration is scheduled at the
 * previous {@code status.lastUpdateTime} plus {@code spec.duration.intervalSeconds} (the agent's own rule), it
 * <em>started</em> at the {@code lastUpdateTime} the iteration records, and it was <em>written</em> when its status
 * reached the server. Only iterations scheduled inside the measurement window count.
 */
final class LatenessRecorder {
  private final AtomicInteger running = new AtomicInteger();
  private final Map<String, Boolean> seenRunning = new ConcurrentHashMap<>();
  private volatile long windowStart = Long.MAX_VALUE;
  private volatile long windowEnd = Long.MAX_VALUE;
  private long[] startLate = new long[1 << 16];
  private long[] writeLate = new long[1 << 16];
  private int count;
  private int skipped;

  /** A status write of {@code key}: the stored object before, the one after, when the server received it. */
  void onStatus(String key, JsonNode before, JsonNode after, long receivedMillis) {
    JsonNode b = before == null ? null : before.path("status");
    JsonNode a = after.path("status");
    if ("Running".equals(a.path("stage").asText()) && seenRunning.putIfAbsent(key, true) == null) {
      running.incrementAndGet();
    }
    if (b == null || !"Running".equals(b.path("stage").asText()) || !b.hasNonNull("lastUpdateTime")) {
      return;
    }
    int was = b.path("completedIterations").asInt(0);
    int now = a.path("completedIterations").asInt(0);
    if (now != was + 1 || !a.hasNonNull("lastUpdateTime")) {
      return;
    }
    long interval = after.path("spec").path("duration").path("intervalSeconds").asLong(20) * 1_000_000L;
    long scheduled = micros(b.path("lastUpdateTime").asText()) + interval;
    long started = micros(a.path("lastUpdateTime").asText());
    long written = receivedMillis * 1000;
    if (scheduled < windowStart || written > windowEnd) {
      return;
    }
    synchronized (this) {
      if (count == startLate.length) {
        startLate = Arrays.copyOf(startLate, count * 2);
        writeLate = Arrays.copyOf(writeLate, count * 2);
      }
      startLate[count] = started - scheduled;
      writeLate[count] = written - scheduled;
      count++;
    }
  }

  int running() {
    return running.get();
  }

  void window(long startMillis, long endMillis) {
    windowStart = startMillis * 1000;
    windowEnd = endMillis * 1000;
  }

  /** Percentiles in milliseconds: start p50, p99, max; write p50, p99, max; and the number of iterations. */
  synchronized Stats stats() {
    long[] s = Arrays.copyOf(startLate, count);
    long[] w = Arrays.copyOf(writeLate, count);
    Arrays.sort(s);
    Arrays.sort(w);
    long over = Arrays.stream(w).filter(x -> x > 1_000_000).count();
    return new Stats(count, pct(s, 0.5), pct(s, 0.99), pct(s, 1.0), pct(w, 0.5), pct(w, 0.99), pct(w, 1.0), over, skipped);
  }

  record Stats(int iterations, double startP50, double startP99, double startMax, double writeP50, double writeP99,
      double writeMax, long writesOverOneSecond, int skipped) {}

  private static double pct(long[] sorted, double q) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }

  private static long micros(String instant) {
    Instant t = Instant.parse(instant);
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1000;
  }
}
