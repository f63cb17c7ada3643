package tools.iter8.bench.agent;

import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.iter8.agent.Agent;
import tools.iter8.agent.AgentConfig;

/**
 * The agent under test, in its own JVM (so its heap and CPU are its own): the real {@link Agent}, configured from the
 * environment as {@code AgentMain} does, against the API URL given, with its real metrics path (Metrics resources
 * pointing at {@link StubPrometheus}) or, with {@code stub}, an in-process {@link StubMetricsSource}. The driver
 * ({@link AgentScaleBenchmark}) talks to it over stdin/stderr: {@code mark} and {@code report} answer one line of
 * figures (process CPU time, heap, GC, and the agent's own counters scraped from its {@code /metrics}); {@code report}
 * first collects garbage, so its heap is the live set. Logs go to stdout.
 *
 * <pre>java -Xmx1g -cp iter8-bench.jar tools.iter8.bench.agent.AgentProcess API_URL [prometheus|stub]</pre>
 */
public final class AgentProcess {
  private static final Pattern SAMPLE =
      Pattern.compile("^(iter8_[a-z_]+)(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$", Pattern.MULTILINE);

  private AgentProcess() {}

  public static void main(String[] args) throws Exception {
    PrintStream control = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.err), true,
        StandardCharsets.UTF_8);
    AgentConfig config = AgentConfig.fromEnv(System.getenv());
    ApiClient client = new ClientBuilder().setBasePath(args[0]).setReadTimeout(Duration.ZERO).build();
    Vertx vertx = Vertx.vertx();
    Agent.Options options = Agent.Options.defaults();
    if (args.length > 1 && args[1].equals("stub")) {
      options = options.withMetricsSource(new StubMetricsSource());
    }
    Agent agent = new Agent(config, client, vertx, options);
    agent.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    control.println("READY " + agent.healthPort());
    HttpClient http = HttpClient.newHttpClient();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      switch (line.trim()) {
        case "mark" -> control.println("MARK " + snapshot(agent, http, false));
        case "report" -> control.println("REPORT " + snapshot(agent, http, true));
        case "exit" -> {
          agent.close();
          vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
          System.exit(0);
        }
        default -> control.println("UNKNOWN " + line);
      }
    }
    System.exit(0);
  }

  /** One line of {@code key=value} figures. */
  private static String snapshot(Agent agent, HttpClient http, boolean collect) throws Exception {
    Map<String, String> out = new LinkedHashMap<>();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    out.put("cpuNanos", String.valueOf(os.getProcessCpuTime()));
    out.put("wallNanos", String.valueOf(System.nanoTime()));
    long scrapeStart = System.nanoTime();
    String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.healthPort() + "/metrics"))
        .timeout(Duration.ofSeconds(120)).build(), HttpResponse.BodyHandlers.ofString()).body();
    out.put("scrapeMillis", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - scrapeStart) / 1e6));
    Matcher m = SAMPLE.matcher(metrics);
    while (m.find()) {
      String labels = m.group(2) == null ? "" : m.group(2).replace("\"", "").replace(",}", "}").replace(" ", "");
      out.put(m.group(1) + labels, m.group(3));
    }
    long gcCount = 0;
    long gcMillis = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      gcCount += Math.max(0, gc.getCollectionCount());
      gcMillis += Math.max(0, gc.getCollectionTime());
    }
    out.put("gcCount", String.valueOf(gcCount));
    out.put("gcMillis", String.valueOf(gcMillis));
    out.put("heapUsed", String.valueOf(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
    if (collect) {
      System.gc();
      Thread.sleep(500);
      System.gc();
      out.put("heapAfterGc", String.valueOf(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
    }
    out.put("threads", String.valueOf(ManagementFactory.getThreadMXBean().getThreadCount()));
    StringBuilder s = new StringBuilder();
    out.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
    return s.toString().trim();
  }
}
