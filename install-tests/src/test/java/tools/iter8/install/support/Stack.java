package tools.iter8.install.support;

import java.util.Set;

/**
 * A stack whose extra agent RBAC is a kustomize component (manifests/overlays/&lt;dir&gt;) and a Helm value
 * (stacks.&lt;value&gt;), with the API groups that RBAC is for.
 */
public enum Stack {
  ISTIO("istio", "istio", Set.of("networking.istio.io")),
  KNATIVE("knative", "knative", Set.of("serving.knative.dev")),
  KSERVE("kserve", "kserve", Set.of("serving.kserve.io")),
  GATEWAY_API("gateway-api", "gatewayApi", Set.of("gateway.networking.k8s.io"));

  private final String dir;
  private final String helmValue;
  private final Set<String> groups;

  Stack(String dir, String helmValue, Set<String> groups) {
    this.dir = dir;
    this.helmValue = helmValue;
    this.groups = groups;
  }

  /** The component, relative to the repository root. */
  public String component() {
    return "manifests/overlays/" + dir;
  }

  public String dir() {
    return dir;
  }

  /** The Helm value that turns it on: {@code stacks.<value>}. */
  public String helmValue() {
    return "stacks." + helmValue;
  }

  public Set<String> groups() {
    return groups;
  }
}
