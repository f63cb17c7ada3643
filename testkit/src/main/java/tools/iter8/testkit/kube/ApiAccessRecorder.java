package tools.iter8.testkit.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records, across every emulation started in a test JVM, which RBAC permission each client used: the
 * verb, API group and resource of every request, by the client's {@code User-Agent}. The agent's test
 * run thereby lists the API calls the agent's code actually makes, and the install tests check the
 * manifests' RBAC against that list rather than a hand-kept one.
 *
 * <p>When the system property {@value #FILE_PROPERTY} names a file, the record is written there as JSON
 * when the JVM exits.
 */
public final class ApiAccessRecorder {
  public static final String FILE_PROPERTY = "iter8.apiAccessFile";

  /** One permission: e.g. {@code patch} on {@code virtualservices} of {@code networking.istio.io}. */
  public record Permission(String verb, String group, String resource) implements Comparable<Permission> {
    @Override
    public int compareTo(Permission o) {
      return toString().compareTo(o.toString());
    }

    @Override
    public String toString() {
      return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource;
    }
  }

  private static final Map<String, Set<Permission>> BY_AGENT = new ConcurrentHashMap<>();

  static {
    String file = System.getProperty(FILE_PROPERTY);
    if (file != null && !file.isBlank()) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> write(Path.of(file)), "api-access-recorder"));
    }
  }

  private ApiAccessRecorder() {}

  static void record(String userAgent, String method, String rawPath, String rawQuery) {
    // "iter8-agent/<replica>" counts as "iter8-agent": the program, not the replica, needs the permission.
    String program = userAgent == null ? "" : userAgent.contains("/") && userAgent.startsWith("iter8-")
        ? userAgent.substring(0, userAgent.indexOf('/')) : userAgent;
    permission(method, rawPath, rawQuery).ifPresent(p ->
        BY_AGENT.computeIfAbsent(program, k -> ConcurrentHashMap.newKeySet()).add(p));
  }

  /** The permissions used so far by clients whose User-Agent starts with {@code prefix}. */
  public static Set<Permission> usedBy(String prefix) {
    Set<Permission> all = new TreeSet<>();
    BY_AGENT.forEach((agent, perms) -> {
      if (agent.startsWith(prefix)) {
        all.addAll(perms);
      }
    });
    return all;
  }

  /** The RBAC permission a request needs; empty for discovery and other non-resource URLs. */
  static Optional<Permission> permission(String method, String rawPath, String rawQuery) {
    Optional<ResourcePath> parsed = ResourcePath.parse(rawPath);
    if (parsed.isEmpty() || parsed.get().plural() == null || parsed.get().isDiscovery()) {
      return Optional.empty();
    }
    ResourcePath r = parsed.get();
    String resource = r.subresource() == null ? r.plural() : r.plural() + "/" + r.subresource();
    boolean named = r.name() != null;
    boolean watch = rawQuery != null && java.util.Arrays.stream(rawQuery.split("&"))
        .anyMatch(pair -> pair.equals("watch=true") || pair.equals("watch=1"));
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> null;
    };
    return verb == null ? Optional.empty() : Optional.of(new Permission(verb, r.group() == null ? "" : r.group(), resource));
  }

  /**
   * Adds this JVM's record to the file's: a partial test run (one class, or several JVMs) must not shrink
   * the record. A fresh build (CI's clean clone) starts from nothing.
   */
  private static void write(Path file) {
    ObjectMapper json = new ObjectMapper();
    var root = json.createObjectNode();
    if (Files.isRegularFile(file)) {
      try {
        json.readTree(file.toFile()).fields().forEachRemaining(agent -> agent.getValue().forEach(p ->
            BY_AGENT.computeIfAbsent(agent.getKey().equals("unknown") ? "" : agent.getKey(), k -> ConcurrentHashMap.newKeySet())
                .add(new Permission(p.path("verb").asText(), p.path("group").asText(), p.path("resource").asText()))));
      } catch (IOException | RuntimeException e) {
        // An unreadable old record is replaced.
      }
    }
    BY_AGENT.forEach((agent, perms) -> {
      ArrayNode list = root.putArray(agent.isEmpty() ? "unknown" : agent);
      new TreeSet<>(perms).forEach(p -> list.addObject().put("verb", p.verb()).put("group", p.group()).put("resource", p.resource()));
    });
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      json.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
