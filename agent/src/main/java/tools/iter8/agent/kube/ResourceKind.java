package tools.iter8.agent.kube;

import java.util.List;
import java.util.Optional;

/**
 * A Kubernetes resource the agent reads or writes, with what its REST path needs. The table below is
 * also the agent's RBAC surface: the manifests' rules are checked against the kinds and verbs the code
 * uses (see {@link KubernetesOps}).
 */
public record ResourceKind(String group, String version, String plural, String kind, boolean namespaced) {

  public static final ResourceKind EXPERIMENT =
      new ResourceKind("iter8.tools", "v2alpha2", "experiments", "Experiment", true);
  public static final ResourceKind METRIC =
      new ResourceKind("iter8.tools", "v2alpha2", "metrics", "Metric", true);
  public static final ResourceKind DEPLOYMENT =
      new ResourceKind("apps", "v1", "deployments", "Deployment", true);
  public static final ResourceKind REPLICA_SET =
      new ResourceKind("apps", "v1", "replicasets", "ReplicaSet", true);
  public static final ResourceKind SERVICE = new ResourceKind("", "v1", "services", "Service", true);
  public static final ResourceKind SECRET = new ResourceKind("", "v1", "secrets", "Secret", true);
  public static final ResourceKind EVENT = new ResourceKind("", "v1", "events", "Event", true);
  public static final ResourceKind LEASE =
      new ResourceKind("coordination.k8s.io", "v1", "leases", "Lease", true);
  public static final ResourceKind KNATIVE_SERVICE =
      new ResourceKind("serving.knative.dev", "v1", "services", "Service", true);
  public static final ResourceKind INFERENCE_SERVICE =
      new ResourceKind("serving.kserve.io", "v1beta1", "inferenceservices", "InferenceService", true);
  public static final ResourceKind VIRTUAL_SERVICE =
      new ResourceKind("networking.istio.io", "v1beta1", "virtualservices", "VirtualService", true);
  public static final ResourceKind DESTINATION_RULE =
      new ResourceKind("networking.istio.io", "v1beta1", "destinationrules", "DestinationRule", true);
  public static final ResourceKind HTTP_ROUTE =
      new ResourceKind("gateway.networking.k8s.io", "v1", "httproutes", "HTTPRoute", true);

  /** Kinds known without discovery, for weightObjRefs and routers. */
  public static final List<ResourceKind> KNOWN =
      List.of(
          EXPERIMENT, METRIC, DEPLOYMENT, REPLICA_SET, SERVICE, SECRET, EVENT, LEASE, KNATIVE_SERVICE,
          INFERENCE_SERVICE, VIRTUAL_SERVICE, DESTINATION_RULE, HTTP_ROUTE,
          // The original's samples also patch these.
          new ResourceKind("networking.istio.io", "v1alpha3", "virtualservices", "VirtualService", true),
          new ResourceKind("networking.istio.io", "v1", "virtualservices", "VirtualService", true),
          new ResourceKind("serving.kubeflow.org", "v1alpha2", "inferenceservices", "InferenceService", true),
          new ResourceKind("split.smi-spec.io", "v1alpha2", "trafficsplits", "TrafficSplit", true),
          new ResourceKind("gateway.networking.k8s.io", "v1beta1", "httproutes", "HTTPRoute", true));

  /** The same resource's subresource for RBAC purposes, e.g. {@code experiments/status}. */
  public ResourceKind subresource(String name) {
    return new ResourceKind(group, version, plural + "/" + name, kind, namespaced);
  }

  public String apiVersion() {
    return group.isEmpty() ? version : group + "/" + version;
  }

  /** The kind served under {@code apiVersion}, if it is one the agent knows. */
  public static Optional<ResourceKind> of(String apiVersion, String kind) {
    return KNOWN.stream()
        .filter(k -> k.apiVersion().equals(apiVersion) && k.kind().equals(kind))
        .findFirst();
  }

  /** The collection path, e.g. {@code /apis/apps/v1/namespaces/default/deployments}. */
  public String collectionPath(String namespace) {
    String prefix = group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    return prefix + (namespaced && namespace != null ? "/namespaces/" + namespace : "") + "/" + plural;
  }

  public String objectPath(String namespace, String name) {
    return collectionPath(namespace) + "/" + name;
  }

  @Override
  public String toString() {
    return kind + "." + apiVersion();
  }
}
