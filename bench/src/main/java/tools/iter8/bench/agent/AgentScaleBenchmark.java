package tools.iter8.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import tools.iter8.bench.JfrTop;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.kube.KubernetesApiEmulation;

/**
 * One agent at N concurrent experiments ({@code scripts/bench-agent.sh}). For each N: an API server (the in-memory
 * {@link KubeApiStandIn}, or with {@code --api emulation} the testkit's {@link KubernetesApiEmulation}) and a {@link
 * StubPrometheus} in this JVM; the agent in a child JVM ({@link AgentProcess}, {@code -Xmx1g}). The built-in {@code
 * http} Metrics (pointing at the stub), one VirtualService per experiment, then N A/B experiments created at an even
 * pace over the ramp (so their schedules spread over the interval, as a fleet's do), each splitting traffic between
 * two identical versions through {@code weightObjRef}s, so they run for as long as the benchmark does. Once all run,
 * one interval to settle, then the measurement window: iteration lateness from the status writes ({@link
 * LatenessRecorder}), reconciles per second and errors from the agent's own counters, process CPU of the agent (and of
 * this driver, which shares the machine), heap after a full GC. Results are added to {@code agent-scale.csv} (rows of
 * the same run label and N are replaced) and {@code agent-scale.md} is rewritten from it.
 *
 * <pre>java -cp iter8-bench.jar tools.iter8.bench.agent.AgentScaleBenchmark --n 1000,5000,10000 [--api standin|emulation]
 *     [--metrics prometheus|stub] [--interval 10] [--warmup 60] [--measure 180] [--ramp-rate 250] [--label NAME] [--jfr]
 *     [--api-latency-ms 0] [--env KEY=VALUE]... [--repo .] [--out docs/benchmarks]</pre>
 */
public final class AgentScaleBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final PrintStream OUT = System.out;

  private final Map<String, String> opt;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final Path repo;
  private final Path out;

  private AgentScaleBenchmark(Map<String, String> opt, Map<String, String> env) {
    this.opt = opt;
    this.env.putAll(env);
    this.repo = Path.of(opt.getOrDefault("repo", "."));
    this.out = Path.of(opt.getOrDefault("out", "docs/benchmarks"));
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new HashMap<>();
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--jfr" -> opt.put("jfr", "true");
        case "--env" -> {
          String kv = args[++i];
          env.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        }
        default -> opt.put(a.substring(2), args[++i]);
      }
    }
    AgentScaleBenchmark bench = new AgentScaleBenchmark(opt, env);
    for (String n : opt.getOrDefault("n", "1000").split(",")) {
      Map<String, String> row = bench.run(Integer.parseInt(n.trim()));
      bench.record(row);
    }
    System.exit(0);
  }

  // ---- one run -------------------------------------------------------------------------------------

  private Map<String, String> run(int n) throws Exception {
    String apiKind = opt.getOrDefault("api", "standin");
    String metricsMode = opt.getOrDefault("metrics", "prometheus");
    int interval = Integer.parseInt(opt.getOrDefault("interval", "10"));
    int measure = Integer.parseInt(opt.getOrDefault("measure", "180"));
    double rampRate = Double.parseDouble(opt.getOrDefault("ramp-rate", "250"));
    String label = opt.getOrDefault("label", apiKind + "-" + metricsMode);
    OUT.printf("== %s: N=%d, interval %d s, measuring %d s (load %s)%n", label, n, interval, measure, load());

    Vertx vertx = Vertx.vertx();
    LatenessRecorder lateness = new LatenessRecorder();
    KubeApiStandIn standIn = null;
    KubernetesApiEmulation emulation = null;
    String apiUrl;
    if (apiKind.equals("emulation")) {
      emulation = KubernetesApiEmulation.start();
      apiUrl = emulation.url();
    } else {
      standIn = KubeApiStandIn.start(vertx).latency(Long.parseLong(opt.getOrDefault("api-latency-ms", "0")));
      standIn.onStatus((before, after, received) -> lateness.onStatus(key(after), before, after, received));
      apiUrl = standIn.url();
    }
    StubPrometheus prometheus = StubPrometheus.start(vertx);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    Api api = new Api(http, apiUrl);
    Process agent = null;
    Thread watcher = null;
    Map<String, String> row = new LinkedHashMap<>();
    try {
      seedMetrics(api, prometheus.url());
      for (int i = 0; i < n; i++) {
        api.create("/apis/networking.istio.io/v1beta1/namespaces/" + ns(i) + "/virtualservices", virtualService(i));
      }
      if (emulation != null) {
        watcher = watchStatuses(http, apiUrl, lateness);
      }
      Path logs = Files.createTempDirectory("iter8-bench-agent");
      AgentChild child = AgentChild.start(apiUrl, metricsMode, env, logs.resolve("agent-" + n + ".log"));
      agent = child.process;
      OUT.printf("   agent pid %d started (log %s)%n", agent.pid(), logs.resolve("agent-" + n + ".log"));

      long rampStart = System.currentTimeMillis();
      long createPeriodNanos = (long) (1e9 / rampRate);
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        long due = t0 + i * createPeriodNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        api.create("/apis/iter8.tools/v2alpha2/namespaces/" + ns(i) + "/experiments", experiment(i, interval));
      }
      long created = System.currentTimeMillis();
      OUT.printf("   %d experiments created in %.1f s%n", n, (created - rampStart) / 1000.0);
      long deadline = created + Math.max(120_000, n * 20L);
      int lastRunning = -1;
      while (lateness.running() < n && System.currentTimeMillis() < deadline) {
        Thread.sleep(1000);
        if (lateness.running() != lastRunning) {
          lastRunning = lateness.running();
        }
      }
      long allRunning = System.currentTimeMillis();
      int runningAtStart = lateness.running();
      OUT.printf("   %d of %d running %.1f s after the first create%n", runningAtStart, n,
          (allRunning - rampStart) / 1000.0);
      int warmup = Integer.parseInt(opt.getOrDefault("warmup", "60"));
      OUT.printf("   warming up for %d s (the JIT compiles the hot paths meanwhile)%n", interval + warmup);
      Thread.sleep((interval + warmup) * 1000L);

      Map<String, Long> requestsBefore = standIn == null ? Map.of() : standIn.requestCounts();
      long driverCpuBefore = driverCpu();
      String loadBefore = load();
      long windowStart = System.currentTimeMillis();
      lateness.window(windowStart, Long.MAX_VALUE / 1000);
      Map<String, String> a = child.ask("mark");
      Path jfr = null;
      if (opt.containsKey("jfr")) {
        jfr = logs.resolve("agent-" + n + ".jfr");
        jcmd(agent.pid(), "JFR.start", "name=bench", "settings=profile", "filename=" + jfr);
      }
      Thread.sleep(measure * 1000L);
      long windowEnd = System.currentTimeMillis();
      lateness.window(windowStart, windowEnd);
      if (jfr != null) {
        jcmd(agent.pid(), "JFR.stop", "name=bench");
      }
      long driverCpuAfter = driverCpu();
      String loadAfter = load();
      Map<String, Long> requestsAfter = standIn == null ? Map.of() : standIn.requestCounts();
      Map<String, String> b = child.ask("report");
      LatenessRecorder.Stats s = lateness.stats();
      double seconds = (windowEnd - windowStart) / 1000.0;
      double agentWall = (d(b, "wallNanos") - d(a, "wallNanos")) / 1e9;

      row.put("label", label);
      row.put("n", String.valueOf(n));
      row.put("date", LocalDate.now().toString());
      row.put("api", apiKind + (opt.containsKey("api-latency-ms") ? "+" + opt.get("api-latency-ms") + "ms" : ""));
      row.put("metrics", metricsMode);
      row.put("workers", env.getOrDefault("ITER8_WORKERS", "4"));
      row.put("pool", env.getOrDefault("ITER8_KUBERNETES_POOL_SIZE", "16"));
      row.put("interval_s", String.valueOf(interval));
      row.put("window_s", fmt(seconds, 0));
      row.put("ramp_s", fmt((allRunning - rampStart) / 1000.0, 1));
      row.put("running", String.valueOf(runningAtStart));
      row.put("iterations", String.valueOf(s.iterations()));
      row.put("iterations_expected", String.valueOf(Math.round((double) n * seconds / interval)));
      row.put("start_late_p50_ms", fmt(s.startP50(), 1));
      row.put("start_late_p99_ms", fmt(s.startP99(), 1));
      row.put("write_late_p50_ms", fmt(s.writeP50(), 1));
      row.put("write_late_p99_ms", fmt(s.writeP99(), 1));
      row.put("write_late_max_ms", fmt(s.writeMax(), 1));
      double reconciles = d(b, "iter8_reconcile_duration_seconds_count{outcome=ok}")
          + d(b, "iter8_reconcile_duration_seconds_count{outcome=error}")
          - d(a, "iter8_reconcile_duration_seconds_count{outcome=ok}")
          - d(a, "iter8_reconcile_duration_seconds_count{outcome=error}");
      double reconcileSeconds = d(b, "iter8_reconcile_duration_seconds_sum{outcome=ok}")
          - d(a, "iter8_reconcile_duration_seconds_sum{outcome=ok}");
      double okReconciles = d(b, "iter8_reconcile_duration_seconds_count{outcome=ok}")
          - d(a, "iter8_reconcile_duration_seconds_count{outcome=ok}");
      row.put("reconciles_per_s", fmt(reconciles / agentWall, 0));
      row.put("reconcile_mean_ms", fmt(okReconciles == 0 ? Double.NaN : 1000 * reconcileSeconds / okReconciles, 1));
      row.put("errors", fmt(sumPrefix(b, "iter8_errors_total") - sumPrefix(a, "iter8_errors_total"), 0));
      row.put("agent_cpu_cores", fmt((d(b, "cpuNanos") - d(a, "cpuNanos")) / 1e9 / agentWall, 2));
      row.put("driver_cpu_cores", fmt((driverCpuAfter - driverCpuBefore) / 1e9 / seconds, 2));
      row.put("cpu_ms_per_iteration",
          fmt(s.iterations() == 0 ? Double.NaN : (d(b, "cpuNanos") - d(a, "cpuNanos")) / 1e6 / s.iterations(), 2));
      row.put("heap_after_gc_mb", fmt(d(b, "heapAfterGc") / 1048576.0, 0));
      row.put("heap_per_experiment_kb", fmt(d(b, "heapAfterGc") / 1024.0 / n, 1));
      row.put("gc_ms_per_s", fmt((d(b, "gcMillis") - d(a, "gcMillis")) / agentWall, 1));
      row.put("scrape_ms", b.getOrDefault("scrapeMillis", ""));
      long apiRequests = 0;
      for (Map.Entry<String, Long> e : requestsAfter.entrySet()) {
        apiRequests += e.getValue() - requestsBefore.getOrDefault(e.getKey(), 0L);
      }
      row.put("api_requests_per_s", standIn == null ? "" : fmt(apiRequests / seconds, 0));
      row.put("load_before", loadBefore);
      row.put("load_after", loadAfter);
      row.put("hot_spot", "");
      if (jfr != null && Files.exists(jfr)) {
        Path top = logs.resolve("agent-" + n + "-jfr-top.txt");
        try (PrintStream p = new PrintStream(Files.newOutputStream(top), true, StandardCharsets.UTF_8)) {
          row.put("hot_spot", JfrTop.summarize(jfr, null, 25, p));
        }
        OUT.println("   JFR hot spots: " + top);
        OUT.println(Files.readString(top));
      }
      if (standIn != null) {
        Map<String, Long> delta = new java.util.TreeMap<>();
        requestsAfter.forEach((k, v) -> delta.put(k, v - requestsBefore.getOrDefault(k, 0L)));
        OUT.println("   API requests in the window: " + delta);
      }
      OUT.println("   " + row);
      child.ask("exit");
      agent.waitFor(20, TimeUnit.SECONDS);
    } finally {
      if (agent != null && agent.isAlive()) {
        agent.destroy();
        agent.waitFor(10, TimeUnit.SECONDS);
        if (agent.isAlive()) {
          agent.destroyForcibly();
        }
      }
      if (watcher != null) {
        watcher.interrupt();
      }
      prometheus.close();
      if (standIn != null) {
        standIn.close();
      }
      if (emulation != null) {
        emulation.close();
      }
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    return row;
  }

  // ---- the objects ---------------------------------------------------------------------------------

  private static String ns(int i) {
    return "bench-" + (i / 100);
  }

  private static String key(JsonNode o) {
    return o.path("metadata").path("namespace").asText() + "/" + o.path("metadata").path("name").asText();
  }

  private void seedMetrics(Api api, String prometheusUrl) throws IOException {
    String yaml = Files.readString(repo.resolve("manifests/metrics/http/metrics.yaml"));
    for (JsonNode doc : ApiMapper.readAll(yaml)) {
      ObjectNode m = (ObjectNode) doc;
      ((ObjectNode) m.path("spec")).put("urlTemplate", prometheusUrl);
      api.create("/apis/iter8.tools/v2alpha2/namespaces/" + m.path("metadata").path("namespace").asText() + "/metrics", m);
    }
  }

  private static ObjectNode virtualService(int i) {
    String json = """
        {"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","metadata":{"name":"vs-%d","namespace":"%s"},
         "spec":{"hosts":["app-%d"],"http":[{"route":[
           {"destination":{"host":"app-%d","subset":"v1"},"weight":100},
           {"destination":{"host":"app-%d","subset":"v2"},"weight":0}]}]}}"""
        .formatted(i, ns(i), i, i, i);
    return read(json);
  }

  /** An A/B experiment between two identical versions: it never decides, so it runs all along. */
  private static ObjectNode experiment(int i, int interval) {
    String version = """
        {"name":"%s","variables":[{"name":"workload","value":"app-%d-%s"}],
         "weightObjRef":{"apiVersion":"networking.istio.io/v1beta1","kind":"VirtualService","name":"vs-%d",
           "namespace":"%s","fieldPath":".spec.http[0].route[%d].weight"}}""";
    String json = """
        {"apiVersion":"iter8.tools/v2alpha2","kind":"Experiment","metadata":{"name":"exp-%d","namespace":"%s"},
         "spec":{"target":"%s/app-%d",
          "strategy":{"testingPattern":"A/B","deploymentPattern":"Progressive"},
          "criteria":{"requestCount":"iter8-http/request-count",
            "objectives":[{"metric":"iter8-http/error-rate","upperLimit":"0.05"},
                          {"metric":"iter8-http/latency-p95","upperLimit":500}],
            "rewards":[{"metric":"iter8-http/mean-latency","preferredDirection":"Low"}]},
          "duration":{"intervalSeconds":%d,"iterationsPerLoop":100000},
          "versionInfo":{"baseline":%s,"candidates":[%s]}}}"""
        .formatted(i, ns(i), ns(i), i, interval,
            version.formatted("v1", i, "v1", i, ns(i), 0), version.formatted("v2", i, "v2", i, ns(i), 1));
    return read(json);
  }

  private static ObjectNode read(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Plain HTTP calls to the API server, for seeding. */
  private record Api(HttpClient http, String base) {
    void create(String path, JsonNode body) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body))).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
          throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
        }
      } catch (IOException e) {
        throw new IllegalStateException("POST " + path + ": " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Status changes seen through a watch (for the emulation, which has no hook on status writes). */
  private static Thread watchStatuses(HttpClient http, String base, LatenessRecorder lateness) {
    Map<String, JsonNode> last = new HashMap<>();
    Thread t = new Thread(() -> {
      try {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(
            HttpRequest.newBuilder(URI.create(base + "/apis/iter8.tools/v2alpha2/experiments?watch=true&timeoutSeconds=3600"))
                .build(), HttpResponse.BodyHandlers.ofLines());
        r.body().forEach(line -> {
          if (line.isBlank()) {
            return;
          }
          try {
            JsonNode event = JSON.readTree(line);
            JsonNode o = event.path("object");
            String k = key(o);
            JsonNode before = last.put(k, o);
            lateness.onStatus(k, before, o, System.currentTimeMillis());
          } catch (IOException e) {
            // a partial line at shutdown
          }
        });
      } catch (IOException | InterruptedException e) {
        // stopped
      }
    }, "status-watch");
    t.setDaemon(true);
    t.start();
    return t;
  }

  // ---- the agent's JVM -----------------------------------------------------------------------------

  private static final class AgentChild {
    final Process process;
    final BufferedReader control;

    private AgentChild(Process process) {
      this.process = process;
      this.control = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
    }

    static AgentChild start(String apiUrl, String metricsMode, Map<String, String> env, Path log) throws Exception {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String cp = System.getProperty("java.class.path");
      List<String> cmd = new ArrayList<>(List.of(java, "-Xmx1g", "-XX:+ExitOnOutOfMemoryError"));
      String extra = env.get("JAVA_OPTS");
      if (extra != null && !extra.isBlank()) {
        cmd.addAll(List.of(extra.trim().split("\\s+")));
      }
      cmd.addAll(List.of("-cp", cp, AgentProcess.class.getName(), apiUrl, metricsMode));
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(log.toFile());
      pb.environment().put("POD_NAME", "bench-agent");
      pb.environment().put("ITER8_NAMESPACE", "iter8-system");
      pb.environment().put("ITER8_HEALTH_PORT", "0");
      env.forEach((k, v) -> {
        if (!k.equals("JAVA_OPTS")) {
          pb.environment().put(k, v);
        }
      });
      AgentChild child = new AgentChild(pb.start());
      String ready = child.line(Duration.ofSeconds(120));
      if (ready == null || !ready.startsWith("READY")) {
        throw new IllegalStateException("the agent did not start: " + ready + " (see " + log + ")");
      }
      return child;
    }

    Map<String, String> ask(String command) throws Exception {
      process.getOutputStream().write((command + "\n").getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().flush();
      if (command.equals("exit")) {
        return Map.of();
      }
      String line = line(Duration.ofMinutes(5));
      Map<String, String> values = new HashMap<>();
      if (line != null) {
        for (String kv : line.substring(line.indexOf(' ') + 1).split(" ")) {
          int eq = kv.lastIndexOf('=');
          if (eq > 0) {
            values.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
      }
      return values;
    }

    /** The next control line (READY, MARK, REPORT); other stderr lines are echoed. */
    String line(Duration timeout) throws Exception {
      AtomicReference<String> found = new AtomicReference<>();
      CompletableFuture<Void> done = CompletableFuture.runAsync(() -> {
        try {
          String l;
          while ((l = control.readLine()) != null) {
            if (l.startsWith("READY") || l.startsWith("MARK") || l.startsWith("REPORT")) {
              found.set(l);
              return;
            }
            System.err.println("   agent: " + l);
          }
        } catch (IOException e) {
          // ended
        }
      });
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return found.get();
    }
  }

  // ---- results -------------------------------------------------------------------------------------

  private static final List<String> COLUMNS = List.of(
      "label", "n", "date", "api", "metrics", "workers", "pool", "interval_s", "window_s", "ramp_s", "running",
      "iterations", "iterations_expected", "start_late_p50_ms", "start_late_p99_ms", "write_late_p50_ms",
      "write_late_p99_ms", "write_late_max_ms", "reconciles_per_s", "reconcile_mean_ms", "errors", "agent_cpu_cores",
      "driver_cpu_cores", "cpu_ms_per_iteration", "heap_after_gc_mb", "heap_per_experiment_kb", "gc_ms_per_s",
      "scrape_ms", "api_requests_per_s", "load_before", "load_after", "hot_spot");

  private void record(Map<String, String> row) throws IOException {
    Files.createDirectories(out);
    Path csv = out.resolve("agent-scale.csv");
    List<Map<String, String>> rows = new ArrayList<>();
    if (Files.exists(csv)) {
      List<String> lines = Files.readAllLines(csv);
      List<String> header = lines.isEmpty() ? List.of() : List.of(lines.get(0).split(",", -1));
      for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
        String[] cells = line.split(",", -1);
        Map<String, String> r = new LinkedHashMap<>();
        for (int i = 0; i < header.size() && i < cells.length; i++) {
          r.put(header.get(i), cells[i]);
        }
        if (!(r.get("label").equals(row.get("label")) && r.get("n").equals(row.get("n")))) {
          rows.add(r);
        }
      }
    }
    rows.add(row);
    StringBuilder s = new StringBuilder(String.join(",", COLUMNS)).append('\n');
    for (Map<String, String> r : rows) {
      List<String> cells = new ArrayList<>();
      for (String c : COLUMNS) {
        cells.add(r.getOrDefault(c, "").replace(",", ";"));
      }
      s.append(String.join(",", cells)).append('\n');
    }
    Files.writeString(csv, s);
    Files.writeString(out.resolve("agent-scale.md"), markdown(rows));
    OUT.println("   wrote " + csv + " and agent-scale.md");
  }

  private static String markdown(List<Map<String, String>> rows) {
    StringBuilder s = new StringBuilder();
    s.append("# Agent scale: one agent, N concurrent experiments\n\n");
    s.append("Generated by `scripts/bench-agent.sh` (`tools.iter8.bench.agent.AgentScaleBenchmark`) from")
        .append(" [agent-scale.csv](agent-scale.csv); how to read it, and what limits each figure, is in")
        .append(" [README.md](README.md#agent-scale). Machine: ").append(Runtime.getRuntime().availableProcessors())
        .append(" cores, Java ").append(System.getProperty("java.version")).append("; the agent runs in its own JVM")
        .append(" with `-Xmx1g`, the API server and the stub Prometheus in the driver's JVM beside it, on the same")
        .append(" cores.\n\n");
    s.append("Each experiment: A/B between two identical versions (so it never decides), the built-in `http` metric set")
        .append(" (2 versions × 5 metrics an iteration), weights on a VirtualService through `weightObjRef`s, an")
        .append(" iteration every `intervalSeconds`. *Lateness* is measured from the status writes the API server")
        .append(" receives: an iteration is due at the previous `status.lastUpdateTime` + interval; *start* is the")
        .append(" `lastUpdateTime` it records, *write* is when its status reached the server.\n\n");
    s.append("| run | N | API | metrics | workers / pool | window s | iterations (expected) | lateness start p50 / p99 ms |")
        .append(" lateness write p50 / p99 / max ms | reconciles/s | mean pass ms | errors | agent CPU cores |")
        .append(" driver CPU cores | agent CPU ms / iteration | heap after GC MB (KB / experiment) | GC ms/s |")
        .append(" /metrics scrape ms | API req/s | ramp s | load avg before → after | date |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Map<String, String> r : rows) {
      s.append(String.format(Locale.ROOT,
          "| %s | %s | %s | %s | %s / %s | %s | %s (%s) | %s / %s | %s / %s / %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s → %s | %s |%n",
          r.get("label"), r.get("n"), r.get("api"), r.get("metrics"), r.get("workers"), r.get("pool"), r.get("window_s"),
          r.get("iterations"), r.get("iterations_expected"), r.get("start_late_p50_ms"), r.get("start_late_p99_ms"),
          r.get("write_late_p50_ms"), r.get("write_late_p99_ms"), r.get("write_late_max_ms"), r.get("reconciles_per_s"),
          r.get("reconcile_mean_ms"), r.get("errors"), r.get("agent_cpu_cores"), r.get("driver_cpu_cores"),
          r.get("cpu_ms_per_iteration"), r.get("heap_after_gc_mb"), r.get("heap_per_experiment_kb"), r.get("gc_ms_per_s"),
          r.get("scrape_ms"), r.get("api_requests_per_s"), r.get("ramp_s"), r.get("load_before"), r.get("load_after"),
          r.get("date")));
    }
    s.append("\nTop of the agent's CPU profile (JFR, self time) per run, where recorded: ");
    List<String> spots = new ArrayList<>();
    for (Map<String, String> r : rows) {
      if (r.get("hot_spot") != null && !r.get("hot_spot").isBlank()) {
        spots.add("`" + r.get("label") + "` N=" + r.get("n") + ": `" + r.get("hot_spot") + "`");
      }
    }
    s.append(spots.isEmpty() ? "none." : String.join("; ", spots) + ".").append('\n');
    return s.toString();
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private static double d(Map<String, String> m, String key) {
    try {
      return Double.parseDouble(m.getOrDefault(key, "0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static double sumPrefix(Map<String, String> m, String prefix) {
    return m.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).mapToDouble(e -> d(m, e.getKey())).sum();
  }

  private static String fmt(double v, int digits) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + digits + "f", v);
  }

  private static long driverCpu() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  private static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException e) {
      return "?";
    }
  }

  private static void jcmd(long pid, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        String.valueOf(pid)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(new File("/dev/null")).start();
    p.waitFor(60, TimeUnit.SECONDS);
  }

  static Instant now() {
    return Instant.now();
  }
}
