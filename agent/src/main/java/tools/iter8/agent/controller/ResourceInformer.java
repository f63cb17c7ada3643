package tools.iter8.agent.controller;

import io.kubernetes.client.informer.ListerWatcher;
import io.kubernetes.client.informer.ResourceEventHandler;
import io.kubernetes.client.informer.SharedIndexInformer;
import io.kubernetes.client.informer.SharedInformerFactory;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.util.CallGeneratorParams;
import io.kubernetes.client.util.Watchable;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesApi;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesListObject;
import io.kubernetes.client.util.generic.dynamic.DynamicKubernetesObject;
import io.kubernetes.client.util.generic.options.ListOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import com.google.gson.JsonObject;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;

/**
 * A client-java informer on one resource kind (optionally one namespace and a label selector) holding
 * untyped objects: the agent converts them to its own Jackson model when it reads them, so fields it
 * does not model survive. Each informer has its own factory because client-java's factory keeps one
 * informer per Java type, and every kind here is a {@link DynamicKubernetesObject}.
 */
public final class ResourceInformer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ResourceInformer.class);
  private final ResourceKind kind;
  private final SharedInformerFactory factory;
  private final SharedIndexInformer<DynamicKubernetesObject> informer;

  public ResourceInformer(ApiClient client, ResourceKind kind, String namespace, String labelSelector, Duration resync) {
    this.kind = kind;
    this.factory = new SharedInformerFactory(client);
    DynamicKubernetesApi api = new DynamicKubernetesApi(kind.group(), kind.version(), kind.plural(), client);
    ListerWatcher<DynamicKubernetesObject, DynamicKubernetesListObject> lw = new ListerWatcher<>() {
      @Override
      public DynamicKubernetesListObject list(CallGeneratorParams params) throws ApiException {
        ListOptions o = options(params, labelSelector);
        return (namespace == null ? api.list(o) : api.list(namespace, o)).throwsApiException().getObject();
      }

      @Override
      public Watchable<DynamicKubernetesObject> watch(CallGeneratorParams params) throws ApiException {
        ListOptions o = options(params, labelSelector);
        return namespace == null ? api.watch(o) : api.watch(namespace, o);
      }
    };
    this.informer = factory.sharedIndexInformerFor(lw, DynamicKubernetesObject.class, resync.toMillis(),
        (type, err) -> LOG.warn("{} informer: {}", kind, err.getMessage()));
  }

  private static ListOptions options(CallGeneratorParams params, String labelSelector) {
    ListOptions o = new ListOptions().resourceVersion(params.resourceVersion).timeoutSeconds(params.timeoutSeconds);
    return labelSelector == null ? o : o.labelSelector(labelSelector);
  }

  public ResourceKind kind() {
    return kind;
  }

  /**
   * Calls {@code onUpsert} with the previous object (null when added) and the new one, and
   * {@code onDelete} with the last known state of a deleted object. The objects are the informer's
   * raw JSON: handlers must not change them.
   */
  public void onChange(BiConsumer<JsonObject, JsonObject> onUpsert, Consumer<JsonObject> onDelete) {
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(DynamicKubernetesObject obj) {
        onUpsert.accept(null, obj.getRaw());
      }

      @Override
      public void onUpdate(DynamicKubernetesObject oldObj, DynamicKubernetesObject newObj) {
        onUpsert.accept(oldObj.getRaw(), newObj.getRaw());
      }

      @Override
      public void onDelete(DynamicKubernetesObject obj, boolean finalStateUnknown) {
        onDelete.accept(obj.getRaw());
      }
    });
  }

  /** {@code namespace/name} of a raw object. */
  public static String key(JsonObject raw) {
    JsonObject meta = raw.getAsJsonObject("metadata");
    return meta.get("namespace").getAsString() + "/" + meta.get("name").getAsString();
  }

  /**
   * Whether anything but {@code status} (and the bookkeeping that comes with every write) changed: the
   * agent's own status writes need no reaction, it requeues itself on a timer.
   */
  public static boolean specOrMetadataChanged(JsonObject oldObj, JsonObject newObj) {
    if (oldObj == null) {
      return true;
    }
    JsonObject o = oldObj.getAsJsonObject("metadata");
    JsonObject n = newObj.getAsJsonObject("metadata");
    return !java.util.Objects.equals(o.get("generation"), n.get("generation"))
        || !java.util.Objects.equals(o.get("labels"), n.get("labels"))
        || !java.util.Objects.equals(o.get("annotations"), n.get("annotations"))
        || !java.util.Objects.equals(o.get("deletionTimestamp"), n.get("deletionTimestamp"));
  }

  /** The cached object converted to {@code type}, if any. */
  public <T> Optional<T> get(String namespace, String name, Class<T> type) {
    DynamicKubernetesObject o = informer.getIndexer().getByKey(namespace + "/" + name);
    return Optional.ofNullable(o).map(x -> ApiMapper.fromJson(x.getRaw().toString(), type));
  }

  /**
   * The cached object's {@code metadata.resourceVersion}, read from the informer's raw JSON without converting the
   * object; empty when the cache does not hold it.
   */
  public Optional<String> resourceVersion(String namespace, String name) {
    DynamicKubernetesObject o = informer.getIndexer().getByKey(namespace + "/" + name);
    if (o == null) {
      return Optional.empty();
    }
    JsonObject meta = o.getRaw().getAsJsonObject("metadata");
    return meta == null || !meta.has("resourceVersion") || meta.get("resourceVersion").isJsonNull()
        ? Optional.empty() : Optional.of(meta.get("resourceVersion").getAsString());
  }

  public <T> List<T> list(Class<T> type) {
    List<T> out = new ArrayList<>();
    for (DynamicKubernetesObject o : informer.getIndexer().list()) {
      out.add(ApiMapper.fromJson(o.getRaw().toString(), type));
    }
    return out;
  }

  public int size() {
    return informer.getIndexer().list().size();
  }

  public void start() {
    factory.startAllRegisteredInformers();
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  public void stop() {
    factory.stopAllRegisteredInformers(true);
  }
}
