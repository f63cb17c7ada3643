package tools.iter8.testkit.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real Prometheus scrapes a JDK HTTP server, answers queries, and goes away on close. */
class PrometheusProcessTest {

  @Test
  void scrapesTargetsWithTheirLabelsAndStopsOnClose() throws Exception {
    // Samples with explicit timestamps: Prometheus stores them as given, so increase() over them is exact.
    long t0 = Instant.now().minusSeconds(20).toEpochMilli();
    long t1 = t0 + 10_000;
    AtomicReference<String> exposition =
        new AtomicReference<>("# TYPE demo_total counter\ndemo_total{code=\"200\"} 0 " + t0 + "\n");
    HttpServer app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    app.createContext(
        "/pods/a/metrics",
        exchange -> {
          byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    app.start();
    String address = "127.0.0.1:" + app.getAddress().getPort();
    PrometheusProcess prometheus =
        PrometheusProcess.start(
            List.of(new ScrapeTarget("app", address, "/pods/a/metrics", Map.of("namespace", "ns", "pod", "a-1"))));
    try {
      JsonNode series = prometheus.awaitSeries("demo_total", Duration.ofSeconds(30));
      assertThat(series.get(0).path("metric").path("pod").asText()).isEqualTo("a-1");
      assertThat(series.get(0).path("metric").path("namespace").asText()).isEqualTo("ns");
      assertThat(series.get(0).path("metric").path("job").asText()).isEqualTo("app");

      exposition.set("# TYPE demo_total counter\ndemo_total{code=\"200\"} 42 " + t1 + "\n");
      prometheus.await("demo_total", r -> r.size() == 1 && r.get(0).path("value").get(1).asText().equals("42"),
          Duration.ofSeconds(30));
      JsonNode increase =
          prometheus.query("increase(demo_total[15s])", Instant.ofEpochMilli(t1)).path("data").path("result");
      assertThat(increase.get(0).path("value").get(1).asText()).isEqualTo("42");
    } finally {
      prometheus.close();
      app.stop(0);
    }
    assertThat(prometheus.isAlive()).isFalse();
    assertThat(Files.exists(prometheus.directory())).isFalse();
  }

  @Test
  void aMissingBinaryFailsWithAMessageInsteadOfSkipping() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> PrometheusProcess.builder().binary(java.nio.file.Path.of("/nonexistent/prometheus")).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot start /nonexistent/prometheus");
  }

  @Test
  void generatesOneJobPerJobNameWithATargetGroupPerTarget() {
    String config =
        PrometheusProcess.builder()
            .target(new ScrapeTarget("app", "127.0.0.1:1", "/a", Map.of("pod", "p1")))
            .target(new ScrapeTarget("app", "127.0.0.1:1", "/b", Map.of("pod", "p2")))
            .scrapeInterval(Duration.ofMillis(500))
            .config();
    assertThat(config)
        .contains("\"scrape_interval\" : \"500ms\"")
        .contains("\"__metrics_path__\" : \"/a\"")
        .contains("\"__metrics_path__\" : \"/b\"");
    assertThat(config.split("\"job_name\"", -1)).hasSize(2);
  }
}
