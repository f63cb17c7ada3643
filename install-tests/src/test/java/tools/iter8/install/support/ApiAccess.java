package tools.iter8.install.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.iter8.agent.kube.KubernetesOps;
import tools.iter8.core.api.ApiMapper;

/**
 * The Kubernetes API permissions the agent's code used in the agent's own tests, recorded from the real
 * requests by User-Agent (testkit's ApiAccessRecorder writes agent/target/agent-api-access.json). This, not a
 * hand-kept list, is what the manifests' RBAC is checked against.
 */
public final class ApiAccess {
  /**
   * Groups the agent's tests use that no installation grants: made-up or retired kinds that only
   * {@code weightObjRef}s (the FieldPath router) or readiness tasks point at. A user who points them at such
   * a kind grants get/patch on it (docs/install.md, "Other kinds").
   */
  public static final Map<String, String> NOT_INSTALLED = Map.of(
      "split.example.io", "a made-up TrafficSplit group of the FieldPath router's tests",
      "serving.kubeflow.org", "KFServing, the original's InferenceService group (now KServe, serving.kserve.io);"
          + " patched only when a weightObjRef names it");

  /** One RBAC permission: a verb on a resource (with subresource, e.g. experiments/status) of an API group. */
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

  private ApiAccess() {}

  public static Path file() {
    String configured = System.getProperty("iter8.apiAccessFile");
    return configured != null && !configured.isBlank()
        ? Path.of(configured).toAbsolutePath().normalize() : Repo.path("agent/target/agent-api-access.json");
  }

  /** Everything the agent used, test-only groups included. Fails (never skips) when the record is missing. */
  public static Set<Permission> agent() {
    Path file = file();
    if (!Files.isRegularFile(file)) {
      throw new AssertionError(file + " is missing: it records the Kubernetes API calls the agent's code makes, which"
          + " the RBAC is checked against. Run the agent's tests first: mvn -B -pl agent -am install"
          + " (or the whole build, mvn -B verify, which runs them before this module)");
    }
    JsonNode root;
    try {
      root = ApiMapper.json().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    JsonNode list = root.path(KubernetesOps.USER_AGENT);
    if (!list.isArray() || list.isEmpty()) {
      throw new AssertionError(file + " has no calls by User-Agent " + KubernetesOps.USER_AGENT
          + "; run the agent's tests again: mvn -B -pl agent -am install");
    }
    Set<Permission> all = new TreeSet<>();
    list.forEach(p -> all.add(new Permission(p.path("verb").asText(), p.path("group").asText(), p.path("resource").asText())));
    return all;
  }

  /** What an installation must grant: {@link #agent()} without the {@link #NOT_INSTALLED} groups. */
  public static Set<Permission> installed() {
    Set<Permission> all = new TreeSet<>(agent());
    all.removeIf(p -> NOT_INSTALLED.containsKey(p.group()));
    return all;
  }
}
