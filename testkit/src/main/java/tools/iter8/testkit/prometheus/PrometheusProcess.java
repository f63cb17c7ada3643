package tools.iter8.testkit.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real Prometheus server, run as a child process for the length of a test class: a generated scrape
 * configuration of the given targets (1 s scrape interval by default), a temporary TSDB directory, and
 * the HTTP API on a free loopback port. {@link #close()} stops the process and deletes the directory; a
 * JVM shutdown hook does the same if a test run is killed first, so no Prometheus outlives its tests.
 *
 * <p>Why a real process and not an in-process fake of the query API: the agent's metrics are only as
 * trustworthy as the PromQL behind them, and what matters there is what Prometheus itself does —
 * scraping and target labels, {@code increase()} and its extrapolation, {@code histogram_quantile}, NaN
 * from {@code 0/0}, empty vectors for absent series, error bodies for bad queries. A fake would answer
 * what its author believes Prometheus answers. The Debian package {@code prometheus} provides the binary;
 * {@code scripts/test.sh} installs it on a fresh machine, and this class fails (never skips) when it is
 * missing, so a CI run cannot pass without having exercised it.
 *
 * <p>Usage:
 *
 * <pre>{@code
 * try (PrometheusProcess prometheus = PrometheusProcess.builder().target(ScrapeTarget.of("app", "127.0.0.1:8080", "/metrics")).start()) {
 *   prometheus.awaitSeries("up{job='app'}", Duration.ofSeconds(10));
 *   String api = prometheus.url() + "/api/v1/query";
 * }
 * }</pre>
 */
public final class PrometheusProcess implements AutoCloseable {

  /** Environment variable naming another Prometheus binary than the one on the PATH. */
  public static final String BINARY_ENV = "PROMETHEUS_BINARY";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int BIND_ATTEMPTS = 3;

  private final Process process;
  private final Path directory;
  private final String url;
  private final HttpClient http;
  private final Thread shutdownHook;

  private Duration scrapeInterval = Duration.ofSeconds(1);

  private PrometheusProcess(Process process, Path directory, String url, HttpClient http, Thread shutdownHook) {
    this.process = process;
    this.directory = directory;
    this.url = url;
    this.http = http;
    this.shutdownHook = shutdownHook;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts Prometheus scraping these targets every second. */
  public static PrometheusProcess start(List<ScrapeTarget> targets) {
    return builder().targets(targets).start();
  }

  /** The base URL of the HTTP API, e.g. {@code http://127.0.0.1:40123} (no trailing slash). */
  public String url() {
    return url;
  }

  /** The instant-query endpoint, {@code <url>/api/v1/query}, the {@code urlTemplate} of a Prometheus Metric. */
  public String queryUrl() {
    return url + "/api/v1/query";
  }

  /** The TSDB and configuration directory (deleted on close). */
  public Path directory() {
    return directory;
  }

  /** The process id, for diagnostics. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The response of an instant query at the server's current time, as JSON. */
  public JsonNode query(String promql) {
    return query(promql, null);
  }

  /** The response of an instant query evaluated at {@code time} ({@code null}: now), as JSON. */
  public JsonNode query(String promql, Instant time) {
    StringBuilder uri = new StringBuilder(queryUrl()).append("?query=").append(encode(promql));
    if (time != null) {
      uri.append("&time=").append(epochSeconds(time));
    }
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(uri.toString())).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("query " + promql + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Waits until the query's {@code data.result} satisfies the condition, and returns that result.
   *
   * @throws IllegalStateException on timeout, with the last response
   */
  public JsonNode await(String promql, Predicate<JsonNode> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode last = null;
    while (true) {
      last = query(promql);
      JsonNode result = last.path("data").path("result");
      if ("success".equals(last.path("status").asText()) && condition.test(result)) {
        return result;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Prometheus did not answer '" + promql + "' as expected within " + timeout + "; last answer: " + last);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Prometheus exited with " + process.exitValue() + ":\n" + logTail());
      }
      sleep(100);
    }
  }

  /** Waits until at least one series matches the selector or query, i.e. it has been scraped. */
  public JsonNode awaitSeries(String promql, Duration timeout) {
    return await(promql, result -> result.isArray() && !result.isEmpty(), timeout);
  }

  /** The last lines of Prometheus's own log, for failure messages. */
  /**
   * Scrapes exactly {@code newTargets} from now on: rewrites the configuration and asks Prometheus to
   * reload it (pods come and go; the stored series stay).
   */
  public synchronized void reload(List<ScrapeTarget> newTargets) {
    try {
      Builder b = PrometheusProcess.builder().scrapeInterval(scrapeInterval).targets(newTargets);
      Files.writeString(directory.resolve("prometheus.yml"), b.config(), StandardCharsets.UTF_8);
      HttpResponse<String> r = http.send(
          HttpRequest.newBuilder(URI.create(url + "/-/reload")).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("Prometheus refused the new configuration: " + r.statusCode() + " " + r.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reload Prometheus", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public String logTail() {
    return tail(directory.resolve("prometheus.log"));
  }

  /** Stops Prometheus (SIGTERM, then SIGKILL after 10 s) and deletes its directory. */
  @Override
  public void close() {
    stop(process);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook runs anyway.
    }
    deleteRecursively(directory);
  }

  @Override
  public String toString() {
    return "PrometheusProcess[pid=" + process.pid() + ", url=" + url + "]";
  }

  private static void stop(Process p) {
    if (!p.isAlive()) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  static String epochSeconds(Instant time) {
    return String.format(Locale.ROOT, "%d.%03d", time.getEpochSecond(), time.getNano() / 1_000_000);
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static String tail(Path log) {
    try {
      if (!Files.exists(log)) {
        return "(no log)";
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temporary directory is harmless.
    }
  }

  /**
   * Finds the Prometheus binary: {@value #BINARY_ENV}, else {@code prometheus} on the PATH, else
   * {@code /usr/bin/prometheus} (where the Debian package puts it).
   *
   * @throws IllegalStateException naming how to install it, when there is none
   */
  public static Path binary() {
    String configured = System.getenv(BINARY_ENV);
    if (configured != null && !configured.isBlank()) {
      Path p = Path.of(configured);
      if (Files.isExecutable(p)) {
        return p;
      }
      throw new IllegalStateException(BINARY_ENV + "=" + configured + " is not an executable file");
    }
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path p = Path.of(dir, "prometheus");
        if (Files.isExecutable(p) && !Files.isDirectory(p)) {
          return p;
        }
      }
    }
    Path debian = Path.of("/usr/bin/prometheus");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    throw new IllegalStateException(
        "Prometheus is not installed, and the metrics tests need a real one (they are never skipped). "
            + "Run the tests with scripts/test.sh, which installs it, or install the Debian package: "
            + "sudo apt-get install prometheus (or set " + BINARY_ENV + " to a prometheus binary).");
  }

  /** Configures and starts a {@link PrometheusProcess}. */
  public static final class Builder {
    private final List<ScrapeTarget> targets = new ArrayList<>();
    private Duration scrapeInterval = Duration.ofSeconds(1);
    private Duration startTimeout = Duration.ofSeconds(60);
    private Path binary;

    private Builder() {}

    public Builder target(ScrapeTarget target) {
      targets.add(target);
      return this;
    }

    public Builder targets(List<ScrapeTarget> more) {
      targets.addAll(more);
      return this;
    }

    /** How often every target is scraped (default 1 s); also the scrape timeout. */
    public Builder scrapeInterval(Duration interval) {
      if (interval.toMillis() < 100) {
        throw new IllegalArgumentException("scrape interval must be at least 100ms");
      }
      this.scrapeInterval = interval;
      return this;
    }

    /** How long to wait for {@code /-/ready} (default 60 s: a loaded CI machine can be slow). */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = timeout;
      return this;
    }

    /** A binary other than the one {@link PrometheusProcess#binary()} finds. */
    public Builder binary(Path path) {
      this.binary = path;
      return this;
    }

    /**
     * Starts Prometheus and waits until it is ready.
     *
     * @throws IllegalStateException when Prometheus is not installed or does not become ready, with its log
     */
    public PrometheusProcess start() {
      Path bin = binary != null ? binary : PrometheusProcess.binary();
      Path dir;
      try {
        dir = Files.createTempDirectory("iter8-prometheus-");
        Files.writeString(dir.resolve("prometheus.yml"), config(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot prepare the Prometheus directory", e);
      }
      IllegalStateException failure = null;
      for (int attempt = 1; attempt <= BIND_ATTEMPTS; attempt++) {
        try {
          return startOnce(bin, dir, freePort());
        } catch (PortTakenException e) {
          // Another process took the free port between our probe and Prometheus's bind: try another.
          failure = e;
        } catch (RuntimeException e) {
          deleteRecursively(dir);
          throw e;
        }
      }
      deleteRecursively(dir);
      throw failure;
    }

    private PrometheusProcess startOnce(Path bin, Path dir, int port) {
      Path data = dir.resolve("data");
      Path log = dir.resolve("prometheus.log");
      List<String> command =
          List.of(
              bin.toString(),
              "--config.file=" + dir.resolve("prometheus.yml"),
              "--storage.tsdb.path=" + data,
              "--web.listen-address=127.0.0.1:" + port,
              "--storage.tsdb.retention.time=1d",
              // Lets reload() apply a new target list without a restart (and without losing data).
              "--web.enable-lifecycle",
              "--log.level=info");
      Process process;
      try {
        process =
            new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + bin + ": " + e.getMessage(), e);
      }
      Thread hook = new Thread(() -> process.destroyForcibly(), "prometheus-process-reaper");
      Runtime.getRuntime().addShutdownHook(hook);
      String url = "http://127.0.0.1:" + port;
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      long deadline = System.nanoTime() + startTimeout.toNanos();
      while (true) {
        if (!process.isAlive()) {
          Runtime.getRuntime().removeShutdownHook(hook);
          String tail = tail(log);
          if (tail.contains("address already in use")) {
            throw new PortTakenException(tail);
          }
          throw new IllegalStateException(
              "Prometheus (" + bin + ") exited with " + process.exitValue() + " before it was ready:\n" + tail);
        }
        if (ready(http, url)) {
          PrometheusProcess started = new PrometheusProcess(process, dir, url, http, hook);
          started.scrapeInterval = scrapeInterval;
          return started;
        }
        if (System.nanoTime() > deadline) {
          stop(process);
          Runtime.getRuntime().removeShutdownHook(hook);
          throw new IllegalStateException(
              "Prometheus was not ready within " + startTimeout + " on " + url + ":\n" + tail(log));
        }
        sleep(50);
      }
    }

    private static boolean ready(HttpClient http, String url) {
      try {
        HttpResponse<Void> r =
            http.send(
                HttpRequest.newBuilder(URI.create(url + "/-/ready")).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        return r.statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }

    /**
     * The configuration as JSON, which is YAML: one scrape job per job name, one target group per target
     * carrying its labels and {@code __metrics_path__}.
     */
    String config() {
      ObjectNode root = JSON.createObjectNode();
      String interval = scrapeInterval.toMillis() + "ms";
      root.putObject("global")
          .put("scrape_interval", interval)
          .put("scrape_timeout", interval)
          .put("evaluation_interval", interval);
      ArrayNode jobs = root.putArray("scrape_configs");
      Map<String, ArrayNode> groupsByJob = new LinkedHashMap<>();
      for (ScrapeTarget t : targets) {
        ArrayNode groups =
            groupsByJob.computeIfAbsent(
                t.job(), job -> jobs.addObject().put("job_name", job).putArray("static_configs"));
        ObjectNode group = groups.addObject();
        group.putArray("targets").add(t.address());
        ObjectNode labels = group.putObject("labels");
        labels.put("__metrics_path__", t.metricsPath());
        t.labels().forEach(labels::put);
      }
      try {
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static int freePort() {
      try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException("no free port", e);
      }
    }
  }

  private static final class PortTakenException extends IllegalStateException {
    PortTakenException(String log) {
      super("Prometheus could not bind its port:\n" + log);
    }
  }
}
