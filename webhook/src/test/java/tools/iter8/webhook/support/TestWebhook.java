package tools.iter8.webhook.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import tools.iter8.webhook.Webhook;
import tools.iter8.webhook.WebhookConfig;

/**
 * The real webhook ({@link Webhook}: TLS, routes, handler) on a loopback port, with a client that trusts
 * only the test CA and checks the host name, as kube-apiserver does.
 */
public final class TestWebhook implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestWebhook shared;

  private final Vertx vertx;
  private final Webhook webhook;
  private final Path certDir;
  private final HttpClientAgent client;

  private TestWebhook(Vertx vertx, Webhook webhook, Path certDir, HttpClientAgent client) {
    this.vertx = vertx;
    this.webhook = webhook;
    this.certDir = certDir;
    this.client = client;
  }

  /** One server for every test in this JVM that does not change its state. */
  public static synchronized TestWebhook shared() {
    if (shared == null) {
      shared = start(TestCertificates.shared(), Map.of());
      Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
    }
    return shared;
  }

  /** A new server with the certificates in {@code certDir} (and its CA) and extra configuration. */
  public static TestWebhook start(Path certDir, Map<String, String> env) {
    return start(certDir, certDir.resolve("ca.crt"), env);
  }

  /** A new server with the serving certificate in {@code certDir}, its client trusting {@code caFile}. */
  public static TestWebhook start(Path certDir, Path caFile, Map<String, String> env) {
    Map<String, String> all = new HashMap<>();
    all.put("ITER8_WEBHOOK_HOST", "127.0.0.1");
    all.put("ITER8_WEBHOOK_PORT", String.valueOf(freePort()));
    all.put("ITER8_WEBHOOK_CERT_DIR", certDir.toString());
    all.put("ITER8_WEBHOOK_INSTANCES", "2");
    all.put("ITER8_WEBHOOK_SHUTDOWN_DRAIN", "200ms");
    all.put("ITER8_WEBHOOK_SHUTDOWN_TIMEOUT", "1s");
    all.putAll(env);
    WebhookConfig config = WebhookConfig.fromEnv(all);
    Vertx vertx = Vertx.vertx();
    Webhook webhook = await(Webhook.start(vertx, config, Webhook.registry()));
    return new TestWebhook(vertx, webhook, certDir, client(vertx, caFile, webhook.port()));
  }

  /** A client that trusts only {@code caFile}; every request opens a new TLS connection. */
  public static HttpClientAgent client(Vertx vertx, Path caFile, int port) {
    return vertx.createHttpClient(
        new HttpClientOptions()
            .setSsl(true)
            .setVerifyHost(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
            .setDefaultHost("localhost")
            .setDefaultPort(port)
            .setKeepAlive(false));
  }

  public Vertx vertx() {
    return vertx;
  }

  public Webhook webhook() {
    return webhook;
  }

  public Path certDir() {
    return certDir;
  }

  public int port() {
    return webhook.port();
  }

  /** An HTTP answer: status, content type and body. */
  public record Reply(int status, String contentType, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new UncheckedIOException("not JSON: " + body, e);
      }
    }

    /** The AdmissionReview's response. */
    public AdmissionAnswer answer() {
      return new AdmissionAnswer(json());
    }
  }

  /** POSTs an AdmissionReview as kube-apiserver does (JSON). */
  public AdmissionAnswer review(String path, String body) {
    Reply r = post(path, "application/json", body.getBytes(StandardCharsets.UTF_8));
    if (r.status() != 200) {
      throw new AssertionError("expected 200 from " + path + ", got " + r.status() + ": " + r.body());
    }
    return r.answer();
  }

  public Reply post(String path, String contentType, byte[] body) {
    return await(
        client.request(HttpMethod.POST, path)
            .compose(req -> {
              if (contentType != null) {
                req.putHeader("Content-Type", contentType);
              }
              return req.send(Buffer.buffer(body));
            })
            .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"),
                b.toString(StandardCharsets.UTF_8)))));
  }

  public Reply get(String path) {
    return await(
        client.request(HttpMethod.GET, path)
            .compose(req -> req.send())
            .compose(resp -> resp.body().map(b -> new Reply(resp.statusCode(), resp.getHeader("Content-Type"),
                b.toString(StandardCharsets.UTF_8)))));
  }

  @Override
  public void close() {
    try {
      await(webhook.stop());
    } catch (RuntimeException e) {
      // already stopped
    }
    await(vertx.close());
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
