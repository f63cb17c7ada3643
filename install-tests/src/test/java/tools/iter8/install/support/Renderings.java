package tools.iter8.install.support;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The renderings the tests check, each made once per test JVM: the kustomize base, the base with each
 * component, the cert-manager overlay, and the Helm chart with given values.
 */
public final class Renderings {
  public static final String NAMESPACE = "iter8-system";
  public static final String BASE = "manifests";
  public static final String CERT_MANAGER = "manifests/overlays/cert-manager/component";
  public static final String CHART = "manifests/helm/iter8";
  /** A caBundle for renderings that must parse as the API server would (base64 of a PEM). */
  public static final String CA_BUNDLE = Base64.getEncoder().encodeToString(
      "-----BEGIN CERTIFICATE-----\nMIIBinstalltests\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII));

  private static final Map<String, Rendering> CACHE = new ConcurrentHashMap<>();

  private Renderings() {}

  /** {@code kubectl kustomize manifests/}. */
  public static Rendering base() {
    return CACHE.computeIfAbsent("kustomize manifests", n -> Rendering.of(n, Kubectl.kustomize(Repo.path(BASE))));
  }

  /** {@code kubectl kustomize} of a directory of the repository. */
  public static Rendering kustomize(String dir) {
    return CACHE.computeIfAbsent("kustomize " + dir, n -> Rendering.of(n, Kubectl.kustomize(Repo.path(dir))));
  }

  /** The base with these components, as a user's own kustomization combines them. */
  public static Rendering baseWith(List<String> components) {
    String name = "kustomize manifests + " + String.join(" + ", components);
    return CACHE.computeIfAbsent(name, n -> {
      String dir = "base-" + components.stream().map(c -> c.replaceAll("[^a-z0-9]+", "-")).collect(Collectors.joining("_"));
      return Rendering.of(n, Kubectl.kustomize(Kubectl.compose(dir, List.of(BASE), components)));
    });
  }

  public static Rendering baseWith(Stack... stacks) {
    return baseWith(Arrays.stream(stacks).map(Stack::component).toList());
  }

  /** The base with every stack component and cert-manager. */
  public static Rendering everything() {
    List<String> components = new ArrayList<>();
    components.add(CERT_MANAGER);
    Arrays.stream(Stack.values()).map(Stack::component).forEach(components::add);
    return baseWith(components);
  }

  /** Every kustomize rendering a user may install, caBundle filled where the base leaves the placeholder. */
  public static List<Rendering> allKustomize() {
    List<Rendering> all = new ArrayList<>();
    all.add(base().withCaBundle(CA_BUNDLE));
    for (Stack s : Stack.values()) {
      all.add(baseWith(s).withCaBundle(CA_BUNDLE));
    }
    all.add(baseWith(List.of(CERT_MANAGER)));
    all.add(everything());
    all.add(kustomize("manifests/overlays/cert-manager"));
    return all;
  }

  /** {@code helm template iter8 manifests/helm/iter8 --namespace ns --set k=v...} with a real Helm engine. */
  public static Rendering helm(String namespace, Map<String, String> values) {
    Map<String, String> sorted = new TreeMap<>(values);
    Map<String, String> shown = new TreeMap<>(values);
    shown.computeIfPresent("webhook.caBundle", (k, v) -> v.equals(CA_BUNDLE) ? "<test CA>" : v);
    String name = "helm template -n " + namespace + " " + shown;
    return CACHE.computeIfAbsent(name, n -> {
      TemplateCommand template = new Helm(Repo.path(CHART)).template().withName("iter8").withNamespace(namespace);
      sorted.forEach(template::set);
      return Rendering.of(n, template.call());
    });
  }

  /** The chart's defaults, with the one value they need without cert-manager: the CA bundle. */
  public static Rendering helm(Map<String, String> values) {
    Map<String, String> withCa = new TreeMap<>(values);
    if (!"true".equals(values.get("certManager.enabled"))) {
      withCa.putIfAbsent("webhook.caBundle", CA_BUNDLE);
    }
    return helm(NAMESPACE, withCa);
  }

  public static Rendering helmDefaults() {
    return helm(Map.of());
  }

  public static Map<String, String> helmStacks(Stack... stacks) {
    Map<String, String> values = new TreeMap<>();
    Arrays.stream(stacks).forEach(s -> values.put(s.helmValue(), "true"));
    return values;
  }

  /** Every Helm rendering checked like the kustomize ones. */
  public static List<Rendering> allHelm() {
    List<Rendering> all = new ArrayList<>();
    all.add(helmDefaults());
    for (Stack s : Stack.values()) {
      all.add(helm(helmStacks(s)));
    }
    all.add(helm(Map.of("certManager.enabled", "true")));
    Map<String, String> everything = helmStacks(Stack.values());
    everything.put("certManager.enabled", "true");
    all.add(helm(everything));
    return all;
  }
}
