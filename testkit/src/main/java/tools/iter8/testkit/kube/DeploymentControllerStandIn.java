package tools.iter8.testkit.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal stand-in for kube-controller-manager's Deployment controller, for the emulation, which runs
 * no controllers: an unpaused Deployment's template gets a ReplicaSet ({@code <name>-<hash>}, labeled
 * {@code pod-template-hash}, owned by the Deployment) holding all replicas, older ReplicaSets go to 0,
 * and the Deployment's status reports the rollout complete and available. A paused Deployment keeps
 * its current ReplicaSet, as the real controller does. Pods are not simulated.
 */
public final class DeploymentControllerStandIn implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeploymentControllerStandIn.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final HttpClient http = HttpClient.newHttpClient();
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "deployment-controller-stand-in");
    t.setDaemon(true);
    return t;
  });

  private DeploymentControllerStandIn(String base) {
    this.base = base;
  }

  /** Syncs every Deployment of the emulation every {@code period}. */
  public static DeploymentControllerStandIn start(KubernetesApiEmulation api, Duration period) {
    DeploymentControllerStandIn c = new DeploymentControllerStandIn(api.url());
    c.loop.scheduleWithFixedDelay(c::syncAll, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return c;
  }

  private void syncAll() {
    try {
      for (JsonNode d : get("/apis/apps/v1/deployments").path("items")) {
        sync(d);
      }
    } catch (Exception e) {
      LOG.debug("deployment sync failed: {}", e.getMessage());
    }
  }

  private void sync(JsonNode d) throws IOException, InterruptedException {
    String ns = d.at("/metadata/namespace").asText();
    String name = d.at("/metadata/name").asText();
    int replicas = d.at("/spec/replicas").asInt(1);
    boolean paused = d.at("/spec/paused").asBoolean(false);
    String rsPath = "/apis/apps/v1/namespaces/" + ns + "/replicasets";
    ArrayNode owned = JSON.createArrayNode();
    for (JsonNode rs : get(rsPath).path("items")) {
      for (JsonNode o : rs.at("/metadata/ownerReferences")) {
        if (name.equals(o.path("name").asText()) && "Deployment".equals(o.path("kind").asText())) {
          owned.add(rs);
        }
      }
    }
    String hash = hash(d.at("/spec/template"));
    String rsName = name + "-" + hash;
    boolean exists = false;
    for (JsonNode rs : owned) {
      exists |= rsName.equals(rs.at("/metadata/name").asText());
    }
    if (!paused) {
      if (!exists) {
        ObjectNode rs = JSON.createObjectNode();
        rs.put("apiVersion", "apps/v1").put("kind", "ReplicaSet");
        ObjectNode meta = rs.putObject("metadata");
        meta.put("name", rsName).put("namespace", ns);
        // As the real controller: the ReplicaSet carries the pod template's labels plus pod-template-hash.
        ObjectNode labels = d.at("/spec/template/metadata/labels").isObject()
            ? d.at("/spec/template/metadata/labels").deepCopy() : JSON.createObjectNode();
        meta.set("labels", labels.put("pod-template-hash", hash));
        meta.putArray("ownerReferences").addObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
            .put("name", name).put("uid", d.at("/metadata/uid").asText()).put("controller", true);
        ObjectNode spec = rs.putObject("spec");
        spec.put("replicas", replicas);
        ObjectNode template = d.at("/spec/template").deepCopy();
        template.with("metadata").with("labels").put("pod-template-hash", hash);
        spec.set("template", template);
        ObjectNode selector = d.at("/spec/selector").isObject() ? d.at("/spec/selector").deepCopy() : JSON.createObjectNode();
        selector.with("matchLabels").put("pod-template-hash", hash);
        spec.set("selector", selector);
        send("POST", rsPath, rs);
      }
      for (JsonNode rs : owned) {
        int want = rsName.equals(rs.at("/metadata/name").asText()) ? replicas : 0;
        if (rs.at("/spec/replicas").asInt(-1) != want) {
          ObjectNode patch = JSON.createObjectNode();
          patch.putObject("spec").put("replicas", want);
          send("PATCH", rsPath + "/" + rs.at("/metadata/name").asText(), patch);
        }
      }
    }
    long generation = d.at("/metadata/generation").asLong(1);
    boolean rolledOut = !paused || exists;
    ObjectNode status = JSON.createObjectNode();
    status.put("observedGeneration", generation).put("replicas", replicas)
        .put("updatedReplicas", rolledOut ? replicas : 0).put("readyReplicas", replicas)
        .put("availableReplicas", replicas);
    status.putArray("conditions").addObject().put("type", "Available").put("status", "True")
        .put("reason", "MinimumReplicasAvailable");
    if (!status.equals(d.path("status"))) {
      ObjectNode obj = d.deepCopy();
      obj.set("status", status);
      send("PUT", "/apis/apps/v1/namespaces/" + ns + "/deployments/" + name + "/status", obj);
    }
  }

  /** A short template hash, as the ReplicaSet name suffix and pod-template-hash label. */
  private static String hash(JsonNode template) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsBytes(template));
      return HexFormat.of().formatHex(digest).substring(0, 10);
    } catch (NoSuchAlgorithmException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.createObjectNode();
  }

  private void send(String method, String path, JsonNode body) throws IOException, InterruptedException {
    String type = method.equals("PATCH") ? "application/merge-patch+json" : "application/json";
    http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", type)
            .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body), StandardCharsets.UTF_8))
            .build(),
        HttpResponse.BodyHandlers.discarding());
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
