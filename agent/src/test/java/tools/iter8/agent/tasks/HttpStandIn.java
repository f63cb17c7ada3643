package tools.iter8.agent.tasks;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server standing in for the versions under load, a webhook receiver or Slack: each path
 * answers as configured (optionally after a delay, on a Vert.x timer), and every request is recorded,
 * with the most requests that were ever in flight at once.
 */
final class HttpStandIn {
  /** What arrived; header names lower-cased. */
  record Received(String method, String path, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** An answer: status, body, and how long to wait before sending it. */
  record Answer(int status, String body, long delayMillis) {
    static Answer ok(String body) {
      return new Answer(200, body, 0);
    }

    static Answer status(int status, String body) {
      return new Answer(status, body, 0);
    }

    Answer after(long millis) {
      return new Answer(status, body, millis);
    }
  }

  private final Vertx vertx;
  private final Map<String, Function<Received, Answer>> routes = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
  private HttpServer server;

  HttpStandIn(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<HttpStandIn> start() {
    server = vertx.createHttpServer().requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  Future<Void> stop() {
    return server.close();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.actualPort() + path;
  }

  void on(String path, Function<Received, Answer> answer) {
    routes.put(path, answer);
  }

  List<Received> received(String path) {
    return received.stream().filter(r -> r.path().equals(path)).toList();
  }

  Received last(String path) {
    List<Received> all = received(path);
    if (all.isEmpty()) {
      throw new AssertionError("nothing arrived at " + path);
    }
    return all.get(all.size() - 1);
  }

  int maxInFlight(String path) {
    return maxInFlight.getOrDefault(path, new AtomicInteger()).get();
  }

  private void handle(HttpServerRequest request) {
    String path = request.path();
    AtomicInteger now = inFlight.computeIfAbsent(path, p -> new AtomicInteger());
    int current = now.incrementAndGet();
    maxInFlight.computeIfAbsent(path, p -> new AtomicInteger()).accumulateAndGet(current, Math::max);
    request.body().onSuccess(body -> {
      Map<String, String> headers = new TreeMap<>();
      request.headers().forEach(h -> headers.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
      Received r = new Received(request.method().name(), path, headers, body.toString());
      received.add(r);
      Function<Received, Answer> route = routes.get(path);
      Answer answer = route == null ? Answer.status(404, "no route") : route.apply(r);
      Runnable send = () -> {
        now.decrementAndGet();
        request.response().setStatusCode(answer.status()).putHeader("Content-Type", "application/json").end(answer.body());
      };
      if (answer.delayMillis() > 0) {
        vertx.setTimer(answer.delayMillis(), id -> send.run());
      } else {
        send.run();
      }
    });
  }
}
