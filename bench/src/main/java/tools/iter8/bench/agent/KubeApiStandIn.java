package tools.iter8.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.zjsonpatch.JsonPatch;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A fast in-memory stand-in for the Kubernetes API, serving what the agent uses and nothing more, over plain HTTP on
 * loopback so the real {@code Agent} with its real client-java informers and {@code KubernetesOps} runs against it:
 * discovery of the group versions it serves, list and watch (chunked streams of JSON lines, replayed from a bounded
 * history by {@code resourceVersion}, "410 Gone" when too old, as kube-apiserver), get, create, replace, the status
 * subresource (optimistic concurrency on {@code resourceVersion}: a stale write is a 409), JSON Patch and JSON merge
 * patch, delete. Events are accepted and counted but not stored (kube-apiserver keeps them an hour; here they would
 * only fill the heap). Lease objects are ordinary objects, so leader election works.
 *
 * <p>It exists because the testkit's emulation (fabric8's CRUD mock behind a JDK HttpServer, one lock for every
 * write) takes milliseconds per request and saturates far below what one agent asks at thousands of experiments
 * (see {@code docs/benchmarks/agent-scale.md}). Writes are serialized under one lock too, but take microseconds.
 * Not a test fixture: no admission, no validation, no field selectors, label selectors of {@code key=value} terms only.
 */
public final class KubeApiStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Watch events kept per resource for watches that resume from a resourceVersion. */
  private static final int HISTORY = 10_000;

  /** Called for every status write of an experiment, with the stored and the new object (lateness is measured here). */
  public interface StatusListener {
    void onStatus(ObjectNode before, ObjectNode after, long receivedMillis);
  }

  /** One REST resource: its objects, its watchers and its recent watch events. */
  private static final class Resource {
    final String group;
    final String version;
    final String plural;
    final String kind;
    final boolean namespaced;
    final boolean statusSubresource;
    final boolean stored;
    final Map<String, Stored> objects = new LinkedHashMap<>();
    final List<Watcher> watchers = new ArrayList<>();
    final ArrayDeque<Event> history = new ArrayDeque<>();
    long droppedUpTo;

    Resource(String group, String version, String plural, String kind, boolean namespaced, boolean status,
        boolean stored) {
      this.group = group;
      this.version = version;
      this.plural = plural;
      this.kind = kind;
      this.namespaced = namespaced;
      this.statusSubresource = status;
      this.stored = stored;
    }

    String apiVersion() {
      return group.isEmpty() ? version : group + "/" + version;
    }
  }

  private record Stored(ObjectNode node, byte[] bytes, long rv, String namespace, JsonNode labels) {}

  private record Event(long rv, String namespace, JsonNode labels, byte[] line) {}

  private static final class Watcher {
    final String namespace;
    final Map<String, String> selector;
    final HttpServerResponse response;
    final Context context;
    volatile boolean closed;

    Watcher(String namespace, Map<String, String> selector, HttpServerResponse response, Context context) {
      this.namespace = namespace;
      this.selector = selector;
      this.response = response;
      this.context = context;
    }

    boolean matches(String ns, JsonNode labels) {
      if (namespace != null && !namespace.equals(ns)) {
        return false;
      }
      for (Map.Entry<String, String> term : selector.entrySet()) {
        if (labels == null || !term.getValue().equals(labels.path(term.getKey()).asText(null))) {
          return false;
        }
      }
      return true;
    }

    void send(byte[] line) {
      if (!closed) {
        context.runOnContext(v -> {
          if (!closed) {
            response.write(Buffer.buffer(line));
          }
        });
      }
    }
  }

  private final Vertx vertx;
  private final HttpServer server;
  private final Map<String, Resource> resources = new LinkedHashMap<>();
  private final Object lock = new Object();
  private long resourceVersion = 1000;
  private volatile StatusListener statusListener = (a, b, t) -> { };
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();

  private KubeApiStandIn(Vertx vertx) {
    this.vertx = vertx;
    add(new Resource("iter8.tools", "v2alpha2", "experiments", "Experiment", true, true, true));
    add(new Resource("iter8.tools", "v2alpha2", "metrics", "Metric", true, false, true));
    add(new Resource("networking.istio.io", "v1beta1", "virtualservices", "VirtualService", true, false, true));
    add(new Resource("coordination.k8s.io", "v1", "leases", "Lease", true, false, true));
    add(new Resource("apps", "v1", "deployments", "Deployment", true, true, true));
    add(new Resource("apps", "v1", "replicasets", "ReplicaSet", true, true, true));
    add(new Resource("", "v1", "events", "Event", true, false, false));
    add(new Resource("", "v1", "namespaces", "Namespace", false, true, true));
    add(new Resource("", "v1", "secrets", "Secret", true, false, true));
    add(new Resource("", "v1", "services", "Service", true, true, true));
    this.server = vertx.createHttpServer().requestHandler(this::handle);
  }

  private void add(Resource r) {
    resources.put(r.group + "/" + r.version + "/" + r.plural, r);
  }

  /** Starts listening on 127.0.0.1 on a free port. */
  public static KubeApiStandIn start(Vertx vertx) {
    KubeApiStandIn api = new KubeApiStandIn(vertx);
    api.server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    return api;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort();
  }

  public void onStatus(StatusListener listener) {
    this.statusListener = listener;
  }

  /** Requests answered so far, by {@code VERB resource}. */
  public Map<String, Long> requestCounts() {
    Map<String, Long> out = new java.util.TreeMap<>();
    requests.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Creates an object directly (no HTTP), as a seeding shortcut; watchers see it as ADDED. */
  public ObjectNode create(String group, String version, String plural, ObjectNode object) {
    Resource r = resources.get(group + "/" + version + "/" + plural);
    String ns = r.namespaced ? object.path("metadata").path("namespace").asText() : null;
    return (ObjectNode) JSON.valueToTree(createIn(r, ns, object.deepCopy()).node);
  }

  /** The stored object, or null. */
  public ObjectNode get(String group, String version, String plural, String namespace, String name) {
    synchronized (lock) {
      Stored s = resources.get(group + "/" + version + "/" + plural).objects.get(key(namespace, name));
      return s == null ? null : s.node.deepCopy();
    }
  }

  /** Every stored object of a resource (copies). */
  public List<ObjectNode> list(String group, String version, String plural) {
    synchronized (lock) {
      return resources.get(group + "/" + version + "/" + plural).objects.values().stream()
          .map(s -> s.node.deepCopy()).toList();
    }
  }

  @Override
  public void close() {
    server.close().toCompletionStage().toCompletableFuture().join();
  }

  // ---- HTTP ----------------------------------------------------------------------------------------

  /**
   * Answers every request this much later (watches excepted), as a remote API server would: in-cluster, a read takes
   * a millisecond or two and a write several (etcd), against microseconds here.
   */
  public KubeApiStandIn latency(long millis) {
    this.latencyMillis = millis;
    return this;
  }

  private volatile long latencyMillis;

  private void handle(HttpServerRequest req) {
    long delay = latencyMillis;
    if (delay > 0 && !"true".equals(req.getParam("watch"))) {
      req.pause();
      vertx.setTimer(delay, id -> {
        req.resume();
        serve(req);
      });
      return;
    }
    serve(req);
  }

  private void serve(HttpServerRequest req) {
    String[] segs = req.path().substring(1).split("/");
    String group;
    String version;
    int i;
    if (segs.length >= 2 && segs[0].equals("api")) {
      group = "";
      version = segs[1];
      i = 2;
    } else if (segs.length >= 3 && segs[0].equals("apis")) {
      group = segs[1];
      version = segs[2];
      i = 3;
    } else {
      status(req.response(), 404, "NotFound", "the server could not find the requested resource");
      return;
    }
    if (i == segs.length) {
      discovery(req, group, version);
      return;
    }
    String ns = null;
    if (segs[i].equals("namespaces") && segs.length - i >= 3) {
      ns = segs[i + 1];
      i += 2;
    }
    Resource r = resources.get(group + "/" + version + "/" + segs[i]);
    if (r == null) {
      status(req.response(), 404, "NotFound", "the server could not find the requested resource " + req.path());
      return;
    }
    String name = segs.length > i + 1 ? segs[i + 1] : null;
    String sub = segs.length > i + 2 ? segs[i + 2] : null;
    String method = req.method().name();
    boolean watch = "true".equals(req.getParam("watch"));
    count((watch ? "WATCH" : name == null && method.equals("GET") ? "LIST" : method) + " " + r.plural
        + (sub == null ? "" : "/" + sub));
    String namespace = ns;
    if (method.equals("GET")) {
      if (name == null) {
        if (watch) {
          watch(req, r, namespace);
        } else {
          list(req, r, namespace);
        }
      } else {
        get(req, r, namespace, name);
      }
      return;
    }
    req.body().onSuccess(body -> {
      try {
        write(req, r, namespace, name, sub, method, body);
      } catch (RuntimeException e) {
        status(req.response(), 500, "InternalError", String.valueOf(e));
      }
    });
  }

  private void count(String what) {
    requests.computeIfAbsent(what, k -> new LongAdder()).increment();
  }

  private void discovery(HttpServerRequest req, String group, String version) {
    ObjectNode list = JSON.createObjectNode();
    list.put("kind", "APIResourceList").put("apiVersion", "v1")
        .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode items = list.putArray("resources");
    for (Resource r : resources.values()) {
      if (r.group.equals(group) && r.version.equals(version)) {
        ObjectNode item = items.addObject().put("name", r.plural).put("singularName", "").put("namespaced", r.namespaced)
            .put("kind", r.kind);
        item.putArray("verbs").add("get").add("list").add("watch").add("create").add("update").add("patch")
            .add("delete");
        if (r.statusSubresource) {
          items.addObject().put("name", r.plural + "/status").put("singularName", "").put("namespaced", r.namespaced)
              .put("kind", r.kind).putArray("verbs").add("get").add("update").add("patch");
        }
      }
    }
    if (items.isEmpty()) {
      status(req.response(), 404, "NotFound", "the server could not find the requested resource");
      return;
    }
    json(req.response(), 200, bytes(list));
  }

  private void get(HttpServerRequest req, Resource r, String ns, String name) {
    Stored s;
    synchronized (lock) {
      s = r.objects.get(key(ns, name));
    }
    if (s == null) {
      notFound(req.response(), r, name);
    } else {
      json(req.response(), 200, s.bytes);
    }
  }

  private void list(HttpServerRequest req, Resource r, String ns) {
    Map<String, String> selector = selector(req.getParam("labelSelector"));
    List<Stored> items = new ArrayList<>();
    long rv;
    synchronized (lock) {
      rv = resourceVersion;
      for (Stored s : r.objects.values()) {
        if ((ns == null || ns.equals(s.namespace)) && matches(selector, s.labels)) {
          items.add(s);
        }
      }
    }
    Buffer out = Buffer.buffer(64 + items.size() * 4096);
    out.appendString("{\"apiVersion\":\"" + r.apiVersion() + "\",\"kind\":\"" + r.kind
        + "List\",\"metadata\":{\"resourceVersion\":\"" + rv + "\"},\"items\":[");
    for (int k = 0; k < items.size(); k++) {
      if (k > 0) {
        out.appendByte((byte) ',');
      }
      out.appendBytes(items.get(k).bytes);
    }
    out.appendString("]}");
    req.response().putHeader("Content-Type", "application/json").setStatusCode(200).end(out);
  }

  private void watch(HttpServerRequest req, Resource r, String ns) {
    HttpServerResponse resp = req.response();
    Map<String, String> selector = selector(req.getParam("labelSelector"));
    long from = parseLong(req.getParam("resourceVersion"), 0);
    long timeout = parseLong(req.getParam("timeoutSeconds"), 1800);
    resp.setChunked(true).putHeader("Content-Type", "application/json").setStatusCode(200);
    Watcher w = new Watcher(ns, selector, resp, vertx.getOrCreateContext());
    List<byte[]> replay = new ArrayList<>();
    boolean gone = false;
    synchronized (lock) {
      if (from > 0 && from < r.droppedUpTo) {
        gone = true;
      } else {
        if (from == 0) {
          for (Stored s : r.objects.values()) {
            if (w.matches(s.namespace, s.labels)) {
              replay.add(line("ADDED", s.bytes));
            }
          }
        } else {
          for (Event e : r.history) {
            if (e.rv > from && w.matches(e.namespace, e.labels)) {
              replay.add(e.line);
            }
          }
        }
        r.watchers.add(w);
      }
    }
    if (gone) {
      resp.end(Buffer.buffer(line("ERROR", ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":"
          + "\"Failure\",\"message\":\"too old resource version: " + from + "\",\"reason\":\"Expired\",\"code\":410}")
          .getBytes(StandardCharsets.UTF_8))));
      return;
    }
    resp.write(Buffer.buffer(new byte[0]));
    for (byte[] l : replay) {
      resp.write(Buffer.buffer(l));
    }
    Runnable stop = () -> {
      w.closed = true;
      synchronized (lock) {
        r.watchers.remove(w);
      }
    };
    long timer = vertx.setTimer(Math.max(1, timeout) * 1000, id -> {
      stop.run();
      if (!resp.ended()) {
        resp.end();
      }
    });
    req.connection().closeHandler(v -> {
      vertx.cancelTimer(timer);
      stop.run();
    });
  }

  private void write(HttpServerRequest req, Resource r, String ns, String name, String sub, String method, Buffer body) {
    HttpServerResponse resp = req.response();
    long received = System.currentTimeMillis();
    switch (method) {
      case "POST" -> {
        ObjectNode object = parse(body);
        if (object == null) {
          status(resp, 400, "BadRequest", "not a JSON object");
          return;
        }
        if (!r.stored) {
          (object.withObjectProperty("metadata")).put("resourceVersion", String.valueOf(nextRv()));
          json(resp, 201, bytes(object));
          return;
        }
        if (r.namespaced && ns != null) {
          (object.withObjectProperty("metadata")).put("namespace", ns);
        }
        Stored s = createIn(r, r.namespaced ? ns : null, object);
        if (s == null) {
          status(resp, 409, "AlreadyExists", r.plural + " \"" + object.path("metadata").path("name").asText()
              + "\" already exists");
        } else {
          json(resp, 201, s.bytes);
        }
      }
      case "PUT" -> {
        ObjectNode object = parse(body);
        if (object == null) {
          status(resp, 400, "BadRequest", "not a JSON object");
          return;
        }
        update(resp, r, ns, name, received, stored -> {
          String sent = object.path("metadata").path("resourceVersion").asText("");
          if (!sent.isEmpty() && !sent.equals(String.valueOf(stored.rv))) {
            return null;
          }
          ObjectNode next = stored.node.deepCopy();
          if ("status".equals(sub)) {
            if (object.has("status")) {
              next.set("status", object.get("status"));
            } else {
              next.remove("status");
            }
          } else {
            JsonNode status = stored.node.get("status");
            next = object;
            if (r.statusSubresource) {
              if (status != null) {
                next.set("status", status);
              } else {
                next.remove("status");
              }
            }
            copyServerFields(stored.node, next);
          }
          return next;
        }, "status".equals(sub));
      }
      case "PATCH" -> {
        JsonNode patch;
        try {
          patch = JSON.readTree(body.getBytes());
        } catch (IOException e) {
          status(resp, 400, "BadRequest", "not JSON");
          return;
        }
        String type = req.getHeader("Content-Type");
        update(resp, r, ns, name, received, stored -> {
          JsonNode next = type != null && type.startsWith("application/json-patch+json")
              ? JsonPatch.apply(patch, stored.node)
              : merge(stored.node.deepCopy(), patch);
          if (!next.isObject()) {
            throw new IllegalArgumentException("the patch does not leave an object");
          }
          ObjectNode o = (ObjectNode) next;
          copyServerFields(stored.node, o);
          return o;
        }, false);
      }
      case "DELETE" -> {
        Stored removed;
        synchronized (lock) {
          removed = r.objects.remove(key(ns, name));
          if (removed != null) {
            ObjectNode last = removed.node.deepCopy();
            long rv = nextRv();
            ((ObjectNode) last.get("metadata")).put("resourceVersion", String.valueOf(rv));
            publish(r, new Event(rv, removed.namespace, removed.labels, line("DELETED", bytes(last))));
          }
        }
        if (removed == null) {
          notFound(resp, r, name);
        } else {
          json(resp, 200, removed.bytes);
        }
      }
      default -> status(resp, 405, "MethodNotAllowed", method);
    }
  }

  private interface Edit {
    /** The new object, or null for a resourceVersion conflict. */
    ObjectNode apply(Stored stored);
  }

  private void update(HttpServerResponse resp, Resource r, String ns, String name, long received, Edit edit,
      boolean statusWrite) {
    Stored before;
    Stored after;
    synchronized (lock) {
      before = r.objects.get(key(ns, name));
      if (before == null) {
        after = null;
      } else {
        ObjectNode next;
        try {
          next = edit.apply(before);
        } catch (RuntimeException e) {
          status(resp, 422, "Invalid", String.valueOf(e.getMessage()));
          return;
        }
        if (next == null) {
          status(resp, 409, "Conflict", "Operation cannot be fulfilled on " + r.plural + " \"" + name
              + "\": the object has been modified; please apply your changes to the latest version and try again");
          return;
        }
        ObjectNode meta = next.withObjectProperty("metadata");
        long generation = before.node.path("metadata").path("generation").asLong(1);
        if (!next.path("spec").equals(before.node.path("spec"))) {
          generation++;
        }
        meta.put("generation", generation);
        long rv = nextRv();
        meta.put("resourceVersion", String.valueOf(rv));
        after = new Stored(next, bytes(next), rv, before.namespace, next.path("metadata").get("labels"));
        r.objects.put(key(ns, name), after);
        publish(r, new Event(rv, after.namespace, after.labels, line("MODIFIED", after.bytes)));
      }
    }
    if (after == null) {
      notFound(resp, r, name);
      return;
    }
    json(resp, 200, after.bytes);
    if (statusWrite && r.plural.equals("experiments")) {
      statusListener.onStatus(before.node, after.node, received);
    }
  }

  private Stored createIn(Resource r, String ns, ObjectNode object) {
    ObjectNode meta = object.withObjectProperty("metadata");
    String name = meta.path("name").asText("");
    if (name.isEmpty()) {
      name = meta.path("generateName").asText("x-") + UUID.randomUUID().toString().substring(0, 5);
      meta.put("name", name);
    }
    synchronized (lock) {
      if (r.objects.containsKey(key(ns, name))) {
        return null;
      }
      long rv = nextRv();
      if (ns != null) {
        meta.put("namespace", ns);
      }
      meta.put("uid", UUID.randomUUID().toString());
      meta.put("resourceVersion", String.valueOf(rv));
      meta.put("generation", 1);
      meta.put("creationTimestamp", Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
      if (r.statusSubresource && r.group.equals("iter8.tools")) {
        object.remove("status");
      }
      Stored s = new Stored(object, bytes(object), rv, ns, meta.get("labels"));
      r.objects.put(key(ns, name), s);
      publish(r, new Event(rv, ns, s.labels, line("ADDED", s.bytes)));
      return s;
    }
  }

  /** Under the lock. */
  private void publish(Resource r, Event e) {
    r.history.addLast(e);
    while (r.history.size() > HISTORY) {
      r.droppedUpTo = r.history.removeFirst().rv;
    }
    for (Iterator<Watcher> it = r.watchers.iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (w.closed) {
        it.remove();
      } else if (w.matches(e.namespace, e.labels)) {
        w.send(e.line);
      }
    }
  }

  private long nextRv() {
    return ++resourceVersion;
  }

  private static void copyServerFields(ObjectNode from, ObjectNode to) {
    ObjectNode meta = to.withObjectProperty("metadata");
    JsonNode old = from.path("metadata");
    for (String f : List.of("uid", "creationTimestamp", "namespace", "name")) {
      if (old.has(f)) {
        meta.set(f, old.get(f));
      }
    }
  }

  /** RFC 7386. */
  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode t = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> f : patch.properties()) {
      if (f.getValue().isNull()) {
        t.remove(f.getKey());
      } else {
        t.set(f.getKey(), merge(t.get(f.getKey()), f.getValue()));
      }
    }
    return t;
  }

  private static Map<String, String> selector(String s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s == null || s.isBlank()) {
      return out;
    }
    for (String term : s.split(",")) {
      int eq = term.indexOf('=');
      if (eq > 0) {
        out.put(term.substring(0, eq).trim(), term.substring(eq + 1).replaceFirst("^=", "").trim());
      }
    }
    return out;
  }

  private static boolean matches(Map<String, String> selector, JsonNode labels) {
    for (Map.Entry<String, String> term : selector.entrySet()) {
      if (labels == null || !term.getValue().equals(labels.path(term.getKey()).asText(null))) {
        return false;
      }
    }
    return true;
  }

  private static String key(String ns, String name) {
    return ns == null ? name : ns + "/" + name;
  }

  private static long parseLong(String s, long fallback) {
    try {
      return s == null || s.isEmpty() ? fallback : Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  private static ObjectNode parse(Buffer body) {
    try {
      JsonNode n = JSON.readTree(body.getBytes());
      return n != null && n.isObject() ? (ObjectNode) n : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static byte[] bytes(JsonNode n) {
    try {
      return JSON.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] line(String type, byte[] object) {
    byte[] head = ("{\"type\":\"" + type + "\",\"object\":").getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + object.length + 2];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(object, 0, out, head.length, object.length);
    out[out.length - 2] = '}';
    out[out.length - 1] = '\n';
    return out;
  }

  private static void json(HttpServerResponse resp, int code, byte[] body) {
    resp.putHeader("Content-Type", "application/json").setStatusCode(code).end(Buffer.buffer(body));
  }

  private static void notFound(HttpServerResponse resp, Resource r, String name) {
    status(resp, 404, "NotFound", r.plural + (r.group.isEmpty() ? "" : "." + r.group) + " \"" + name + "\" not found");
  }

  private static void status(HttpServerResponse resp, int code, String reason, String message) {
    ObjectNode s = JSON.createObjectNode();
    s.put("kind", "Status").put("apiVersion", "v1").putObject("metadata");
    s.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
    json(resp, code, bytes(s));
  }
}
