package tools.iter8.agent.metrics;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A local HTTP(S) backend standing in for a metrics API: each path answers as configured, and every request
 * is recorded with its method, query, headers and body, so tests can check what arrived.
 */
final class HttpBackend {
  /** What arrived. */
  record Received(String method, String path, Map<String, String> query, Map<String, String> headers, String body) {
    String header(String name) {
      for (Map.Entry<String, String> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) {
          return e.getValue();
        }
      }
      return null;
    }
  }

  /** An answer: status, body, and whether to answer at all (never answering tests timeouts). */
  record Answer(int status, String body, boolean silent) {
    static Answer json(String body) {
      return new Answer(200, body, false);
    }

    static Answer status(int status, String body) {
      return new Answer(status, body, false);
    }

    static Answer never() {
      return new Answer(0, null, true);
    }
  }

  private final Map<String, Function<Received, Answer>> routes = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private boolean tls;

  void on(String path, Function<Received, Answer> answer) {
    routes.put(path, answer);
  }

  List<Received> received() {
    return received;
  }

  Received last(String path) {
    for (int i = received.size() - 1; i >= 0; i--) {
      if (received.get(i).path().equals(path)) {
        return received.get(i);
      }
    }
    throw new AssertionError("nothing arrived at " + path + "; arrived: " + received);
  }

  Future<HttpBackend> start(Vertx vertx, TestCertificate certificate) {
    HttpServerOptions options = new HttpServerOptions();
    if (certificate != null) {
      tls = true;
      options.setSsl(true).setKeyCertOptions(certificate.keyCertOptions());
    }
    server = vertx.createHttpServer(options).requestHandler(this::handle);
    return server.listen(0, "127.0.0.1").map(s -> this);
  }

  /** {@code http://127.0.0.1:port} or {@code https://localhost:port} (the certificate's name). */
  String url() {
    return (tls ? "https://localhost:" : "http://127.0.0.1:") + server.actualPort();
  }

  Future<Void> stop() {
    return server.close();
  }

  private void handle(HttpServerRequest req) {
    req.body().onSuccess(buffer -> {
      Map<String, String> query = new java.util.TreeMap<>();
      req.params().forEach(e -> query.put(e.getKey(), e.getValue()));
      Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      req.headers().forEach(e -> headers.put(e.getKey(), e.getValue()));
      Received r = new Received(req.method().name(), req.path(), query, headers, buffer.toString());
      received.add(r);
      Function<Received, Answer> route = routes.get(req.path());
      Answer a = route == null ? Answer.status(404, "{\"error\":\"no such path\"}") : route.apply(r);
      if (a.silent()) {
        return;
      }
      req.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json").end(a.body());
    });
  }
}
