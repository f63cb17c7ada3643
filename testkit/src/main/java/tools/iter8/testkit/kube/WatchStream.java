package tools.iter8.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * One client-java watch: a chunked HTTP response carrying one JSON watch event per line, fed by the mock's watch
 * listener.
 *
 * <p>client-java watches with a long-lived HTTP GET, while the mock serves watches only over WebSocket. Rather than
 * connecting to the mock's WebSocket endpoint (which fails on this project's Vert.x 5: fabric8 7.4 calls
 * {@code ServerWebSocket.accept()}, removed in Vert.x 5), this class hands itself to the mock's listener as the
 * "WebSocket", in-process, so each event the mock sends becomes a line of the HTTP stream.
 *
 * <p>The mock also ignores the watch's {@code resourceVersion} and starts every watch by replaying all current objects
 * as {@code ADDED}. A real server sends only what changed after that version, and an informer would otherwise see a
 * spurious update for every object; since any object created later has a higher version, the replayed events are
 * recognised and dropped here.
 *
 * <p>Events are written by the listener's own thread; the thread serving the request waits in {@link #awaitEnd} and
 * then {@link #close}s. The stream ends when the client goes away (the next write fails), when the watch's timeout
 * passes, or when the emulation shuts down.
 */
final class WatchStream implements WebSocket {

  private static final int NORMAL_CLOSURE = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpExchange exchange;
  private final RecordedRequest request;
  private final long sinceResourceVersion;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Object writeLock = new Object();
  private volatile boolean closed;
  private WebSocketListener listener;

  /**
   * @param sinceResourceVersion the watch's {@code resourceVersion}; 0 (or absent) means "from now, starting with
   *                             every current object", which is what the mock does anyway
   */
  WatchStream(HttpExchange exchange, RecordedRequest request, long sinceResourceVersion) {
    this.exchange = exchange;
    this.request = request;
    this.sinceResourceVersion = sinceResourceVersion;
  }

  /**
   * Asks the API for the watch and, if it grants one, starts the response and subscribes to events.
   *
   * @return the response to send instead when the API answered without a watch (for example with an error)
   */
  Optional<MockResponse> open(ApiServerDispatcher dispatcher) {
    AtomicReference<MockResponse> refusal = new AtomicReference<>();
    // With writes paused, no event can reach the listener before it knows this stream (such an event would be lost).
    dispatcher.withWritesPaused(() -> {
      MockResponse response = dispatcher.dispatch(request);
      if (response.getWebSocketListener() == null) {
        refusal.set(response);
        return;
      }
      listener = response.getWebSocketListener();
      try {
        exchange.getResponseHeaders().set("Content-Type", KubeStatus.CONTENT_TYPE);
        exchange.sendResponseHeaders(200, 0);
        // The mock now replays the current objects as ADDED; send() drops those the client has already seen.
        listener.onOpen(this, response);
      } catch (IOException e) {
        end();
      }
    });
    return Optional.ofNullable(refusal.get());
  }

  /** Waits until the stream ends or {@code timeout} passes, whichever is first. */
  void awaitEnd(Duration timeout) throws InterruptedException {
    ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the stream; safe from any thread, any number of times. */
  void end() {
    closed = true;
    ended.countDown();
  }

  /** Ends the HTTP response and unsubscribes from the mock, which also stops the listener's thread. */
  void close(ApiServerDispatcher dispatcher) {
    end();
    synchronized (writeLock) {
      exchange.close();
    }
    if (listener != null) {
      // Paused writes: the mock shuts the listener's executor down before it unsubscribes it, and a write notifying
      // it in between would fail.
      dispatcher.withWritesPaused(() -> listener.onClosed(this, NORMAL_CLOSURE, "watch ended"));
    }
  }

  @Override
  public RecordedRequest request() {
    return request;
  }

  @Override
  public boolean send(String text) {
    return send(text.getBytes(UTF_8));
  }

  @Override
  public boolean send(byte[] event) {
    if (replayedFromBefore(event)) {
      return true;
    }
    synchronized (writeLock) {
      if (closed) {
        return false;
      }
      try {
        OutputStream body = exchange.getResponseBody();
        body.write(event);
        body.write('\n');
        body.flush();
        return true;
      } catch (IOException e) {
        end(); // the client closed its watch
        return false;
      }
    }
  }

  private boolean replayedFromBefore(byte[] event) {
    if (sinceResourceVersion <= 0) {
      return false;
    }
    try {
      JsonNode node = JSON.readTree(event);
      // Only ADDED: a DELETED event carries the object's last state, whose version may well be older.
      return "ADDED".equals(node.path("type").asText())
          && node.path("object").path("metadata").path("resourceVersion").asLong(Long.MAX_VALUE)
          <= sinceResourceVersion;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean close(int code, String reason) {
    end();
    return true;
  }
}
