package tools.iter8.testkit.kube;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The requests the emulated API server answered, oldest first, so a test can assert what a controller did on the
 * wire (it wrote status once; it retried after the injected 500) rather than only the resulting state.
 *
 * <p>Bounded: beyond {@value #CAPACITY} entries the oldest are dropped, so a long-running sandbox does not grow
 * without limit. Thread-safe.
 */
public final class RequestLog {

  /** The number of entries kept. */
  public static final int CAPACITY = 2_000;

  /**
   * One answered request. A watch is logged once, when its stream starts.
   *
   * @param method the HTTP method
   * @param path   the path, without query string
   * @param query  the raw query string as the client sent it, or the empty string
   * @param status the HTTP status returned (including injected faults)
   * @param userAgent the client's {@code User-Agent} ("" if none)
   * @param at when the answer was sent
   */
  public record Entry(String method, String path, String query, int status, String userAgent, java.time.Instant at) {
    public Entry(String method, String path, String query, int status) {
      this(method, path, query, status, "", java.time.Instant.EPOCH);
    }
  }

  private final Deque<Entry> entries = new ArrayDeque<>();

  RequestLog() {
  }

  /** A snapshot of the entries, oldest first. */
  public synchronized List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** Forgets every entry, typically between the arrange and act phases of a test. */
  public synchronized void clear() {
    entries.clear();
  }

  synchronized void record(String method, String path, String query, int status, String userAgent) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    entries.addLast(new Entry(method, path, query == null ? "" : query, status, userAgent == null ? "" : userAgent,
        java.time.Instant.now()));
  }
}
