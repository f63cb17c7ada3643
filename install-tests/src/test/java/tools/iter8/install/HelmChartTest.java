package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.iter8.agent.AgentConfig;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Rendering;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.Repo;
import tools.iter8.install.support.Stack;

/**
 * The Helm chart (manifests/helm/iter8), rendered by a real Helm engine (helm-java), installs the same objects
 * as the kustomize base and components — field for field, except Helm's own labels and the release namespace,
 * which Helm creates (helm install --create-namespace) — and its values do what docs/install.md says.
 */
class HelmChartTest {
  /** Labels Helm charts add by convention; kustomize has no release to name. */
  private static final Set<String> HELM_LABELS = Set.of(
      "helm.sh/chart", "app.kubernetes.io/managed-by", "app.kubernetes.io/instance", "app.kubernetes.io/version");
  private static final Path CHART = Repo.path(Renderings.CHART);

  private static Map<String, JsonNode> comparable(Rendering r) {
    Map<String, JsonNode> out = new TreeMap<>();
    for (K8sObject o : r.objects()) {
      ObjectNode copy = o.node().deepCopy();
      JsonNode labels = copy.at("/metadata/labels");
      if (labels instanceof ObjectNode l) {
        HELM_LABELS.forEach(l::remove);
        if (l.isEmpty()) {
          ((ObjectNode) copy.path("metadata")).remove("labels");
        }
      }
      out.put(o.id(), copy);
    }
    return out;
  }

  /** The chart and the kustomization install the same objects with the same content. */
  static void assertSameObjects(Rendering helm, Rendering kustomize) {
    Map<String, JsonNode> h = comparable(helm);
    Map<String, JsonNode> k = comparable(kustomize);
    // Helm does not render crds/ in a template (they are checked file by file), nor its release namespace.
    k.keySet().removeIf(id -> id.startsWith("CustomResourceDefinition ") || id.equals("Namespace " + Renderings.NAMESPACE));
    assertThat(h.keySet()).as("objects of %s vs %s", helm, kustomize).containsExactlyInAnyOrderElementsOf(k.keySet());
    List<String> differences = new ArrayList<>();
    for (String id : k.keySet()) {
      String d = firstDifference("", h.get(id), k.get(id));
      if (d != null) {
        differences.add(id + ": " + d);
      }
    }
    assertThat(differences).as("%s differs from %s", helm, kustomize).isEmpty();
  }

  private static String firstDifference(String path, JsonNode helm, JsonNode kustomize) {
    if (helm == null || kustomize == null || helm.getNodeType() != kustomize.getNodeType()) {
      return path + ": helm " + helm + ", kustomize " + kustomize;
    }
    if (helm.isObject()) {
      Set<String> keys = new TreeSet<>();
      helm.fieldNames().forEachRemaining(keys::add);
      kustomize.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        String d = firstDifference(path + "/" + key, helm.get(key), kustomize.get(key));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    if (helm.isArray()) {
      if (helm.size() != kustomize.size()) {
        return path + ": helm " + helm + ", kustomize " + kustomize;
      }
      for (int i = 0; i < helm.size(); i++) {
        String d = firstDifference(path + "/" + i, helm.get(i), kustomize.get(i));
        if (d != null) {
          return d;
        }
      }
      return null;
    }
    return helm.equals(kustomize) ? null : path + ": helm " + helm + ", kustomize " + kustomize;
  }

  @Test
  void theChartsCrdsAreTheFilesOfManifestsCrds() throws IOException {
    assertSameFiles(Repo.path("manifests/crds"), CHART.resolve("crds"));
    // helm template leaves crds/ out; helm install applies them first.
    assertThat(Renderings.helmDefaults().all("CustomResourceDefinition")).isEmpty();
  }

  @Test
  void theChartsMetricSetsAreTheFilesOfManifestsMetrics() throws IOException {
    Path kustomize = Repo.path("manifests/metrics");
    Path chart = CHART.resolve("files/metrics");
    Set<String> sets = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(kustomize)) {
      dirs.filter(Files::isDirectory).forEach(d -> sets.add(d.getFileName().toString()));
    }
    Set<String> chartSets = new TreeSet<>();
    try (Stream<Path> dirs = Files.list(chart)) {
      dirs.filter(Files::isDirectory).forEach(d -> chartSets.add(d.getFileName().toString()));
    }
    assertThat(chartSets).isEqualTo(sets);
    for (String set : sets) {
      Path copy = Files.createTempDirectory("set");
      try (Stream<Path> files = Files.list(kustomize.resolve(set))) {
        for (Path f : files.filter(f -> !f.getFileName().toString().equals("kustomization.yaml")).toList()) {
          Files.copy(f, copy.resolve(f.getFileName()));
        }
      }
      assertSameFiles(copy, chart.resolve(set));
    }
  }

  private static void assertSameFiles(Path expected, Path actual) throws IOException {
    Map<String, String> want = new TreeMap<>();
    Map<String, String> got = new TreeMap<>();
    try (Stream<Path> files = Files.list(expected)) {
      for (Path f : files.toList()) {
        want.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    try (Stream<Path> files = Files.list(actual)) {
      for (Path f : files.toList()) {
        got.put(f.getFileName().toString(), Files.readString(f));
      }
    }
    assertThat(got.keySet()).as("files of %s", actual).isEqualTo(want.keySet());
    for (String name : want.keySet()) {
      assertThat(got.get(name)).as("%s must be a copy of %s (cp %s %s)", actual.resolve(name), expected.resolve(name),
          Repo.root().relativize(expected.resolve(name)), Repo.root().relativize(actual.resolve(name)))
          .isEqualTo(want.get(name));
    }
  }

  @Test
  void theDefaultsInstallWhatTheKustomizeBaseInstalls() {
    assertSameObjects(Renderings.helmDefaults(), Renderings.base().withCaBundle(Renderings.CA_BUNDLE));
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void eachStackInstallsWhatTheBaseWithItsComponentInstalls(Stack stack) {
    assertSameObjects(Renderings.helm(Renderings.helmStacks(stack)), Renderings.baseWith(stack).withCaBundle(Renderings.CA_BUNDLE));
  }

  @Test
  void certManagerInstallsWhatTheBaseWithTheCertManagerComponentInstalls() {
    assertSameObjects(Renderings.helm(Map.of("certManager.enabled", "true")), Renderings.baseWith(List.of(Renderings.CERT_MANAGER)));
    Map<String, String> everything = new HashMap<>(Renderings.helmStacks(Stack.values()));
    everything.put("certManager.enabled", "true");
    assertSameObjects(Renderings.helm(everything), Renderings.everything());
  }

  @Test
  void everyTemplatedObjectCarriesHelmsLabels() {
    for (K8sObject o : Renderings.helmDefaults().objects()) {
      if (o.kind().equals("Metric") || o.kind().equals("Namespace")) {
        continue; // verbatim copies of manifests/metrics
      }
      assertThat(o.labels()).as("%s", o).containsKeys(HELM_LABELS.toArray(String[]::new))
          .containsEntry("app.kubernetes.io/instance", "iter8").containsEntry("app.kubernetes.io/part-of", "iter8");
    }
  }

  @Test
  void valuesSetImagesReplicasResourcesAndFailurePolicies() {
    Map<String, String> values = new HashMap<>();
    values.put("agent.image.repository", "registry.example.com/platform/iter8-agent");
    values.put("agent.image.tag", "1.2.3");
    values.put("agent.image.pullPolicy", "Always");
    values.put("agent.replicas", "3");
    values.put("agent.resources.requests.cpu", "250m");
    values.put("webhook.image.repository", "registry.example.com/platform/iter8-webhook");
    values.put("webhook.image.tag", "1.2.4");
    values.put("webhook.replicas", "4");
    values.put("webhook.resources.limits.memory", "1Gi");
    values.put("webhook.failurePolicy.workloads", "Fail");
    values.put("webhook.failurePolicy.defaults", "Fail");
    values.put("webhook.failurePolicy.validation", "Ignore");
    values.put("webhook.timeoutSeconds", "3");
    values.put("imagePullSecrets[0].name", "registry-credentials");
    Rendering r = Renderings.helm(values);

    K8sObject agent = r.one("Deployment", "iter8-agent");
    K8sObject webhook = r.one("Deployment", "iter8-webhook");
    assertThat(agent.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example.com/platform/iter8-agent:1.2.3");
    assertThat(agent.at("/spec/template/spec/containers/0/imagePullPolicy").asText()).isEqualTo("Always");
    assertThat(agent.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(agent.at("/spec/template/spec/containers/0/resources/requests/cpu").asText()).isEqualTo("250m");
    assertThat(agent.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("512Mi");
    assertThat(webhook.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("registry.example.com/platform/iter8-webhook:1.2.4");
    assertThat(webhook.at("/spec/replicas").asInt()).isEqualTo(4);
    assertThat(webhook.at("/spec/template/spec/containers/0/resources/limits/memory").asText()).isEqualTo("1Gi");
    for (K8sObject d : List.of(agent, webhook)) {
      assertThat(d.at("/spec/template/spec/imagePullSecrets/0/name").asText()).isEqualTo("registry-credentials");
    }
    Map<String, String> policies = new TreeMap<>();
    Map<String, Integer> timeouts = new TreeMap<>();
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      r.one(kind, "iter8-webhook").at("/webhooks").forEach(w -> {
        policies.put(w.path("name").asText(), w.path("failurePolicy").asText());
        timeouts.put(w.path("name").asText(), w.path("timeoutSeconds").asInt());
      });
    }
    assertThat(policies).isEqualTo(Map.of("workloads.webhook.iter8.tools", "Fail", "defaults.webhook.iter8.tools", "Fail",
        "validate.webhook.iter8.tools", "Ignore"));
    assertThat(timeouts.values()).containsOnly(3);
  }

  @Test
  void watchNamespacesAndExtraEnvReachTheAgentsConfiguration() {
    Rendering r = Renderings.helm(Map.of("watchNamespaces[0]", "shop", "watchNamespaces[1]", "payments",
        "agent.env[0].name", "ITER8_WORKERS", "agent.env[0].value", "8"));
    AgentConfig config = AgentConfig.fromEnv(DeploymentsTest.env(r.one("Deployment", "iter8-agent"), "iter8-agent-0"));
    assertThat(config.watchNamespaces()).containsExactly("shop", "payments");
    assertThat(config.workers()).isEqualTo(8);
    Rendering one = Renderings.helm(Map.of("watchNamespaces[0]", "shop"));
    assertThat(AgentConfig.fromEnv(DeploymentsTest.env(one.one("Deployment", "iter8-agent"), "p")).watchNamespaces())
        .containsExactly("shop");
  }

  @Test
  void metricSetsCanBeLeftOut() {
    Rendering r = Renderings.helm(Map.of("metrics.istio", "false", "metrics.builtin", "false"));
    assertThat(r.all("Metric")).isNotEmpty()
        .noneSatisfy(m -> assertThat(m.namespace()).isIn("iter8-istio", Renderings.NAMESPACE));
    assertThat(r.has("Namespace", "iter8-istio")).isFalse();
    assertThat(r.has("Namespace", "iter8-knative")).isTrue();
  }

  @Test
  void anotherReleaseNamespaceIsUsedEverywhere() {
    Map<String, String> values = new HashMap<>(Renderings.helmStacks(Stack.values()));
    values.put("certManager.enabled", "true");
    Rendering r = Renderings.helm("platform", values);
    assertThat(r.yaml().lines().filter(l -> !l.strip().startsWith("#"))).noneMatch(l -> l.contains("iter8-system"));
    for (K8sObject o : r.objects()) {
      if (!o.namespace().isEmpty() && !o.kind().equals("Metric") && !o.kind().equals("Namespace")) {
        assertThat(o.namespace()).as("%s", o).isEqualTo("platform");
      }
    }
    assertThat(r.all("Metric")).filteredOn(m -> m.at("/metadata/labels/iter8.tools~1metric-set").asText().equals("builtin"))
        .isNotEmpty().allSatisfy(m -> assertThat(m.namespace()).isEqualTo("platform"));
    assertThat(r.one("ClusterRoleBinding", "iter8-agent").at("/subjects/0/namespace").asText()).isEqualTo("platform");
    assertThat(r.one("Certificate", "iter8-webhook").at("/spec/dnsNames/0").asText()).isEqualTo("iter8-webhook.platform.svc");
    assertThat(r.one("ValidatingWebhookConfiguration", "iter8-webhook").at("/webhooks/0/clientConfig/service/namespace").asText())
        .isEqualTo("platform");
  }

  @Test
  void withoutCertManagerTheCaBundleValueIsUsedVerbatim() {
    Rendering r = Renderings.helm(Map.of("webhook.caBundle", "TUlJQmNh"));
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      r.one(kind, "iter8-webhook").at("/webhooks").forEach(w ->
          assertThat(w.at("/clientConfig/caBundle").asText()).isEqualTo("TUlJQmNh"));
    }
  }

  @Test
  void everyValueIsDocumentedInTheInstallGuide() throws IOException {
    JsonNode values = ApiMapper.readAll(Files.readString(CHART.resolve("values.yaml"))).get(0);
    List<String> keys = new ArrayList<>();
    leaves("", values, keys);
    String guide = Files.readString(Repo.path("docs/install.md"));
    assertThat(keys).hasSizeGreaterThan(20)
        .allSatisfy(k -> assertThat(guide).as("docs/install.md documents the value %s", k).contains("`" + k + "`"));
  }

  private static void leaves(String prefix, JsonNode node, List<String> out) {
    // resources are documented as a whole (a Kubernetes ResourceRequirements).
    if (node.isObject() && !node.isEmpty() && !prefix.endsWith(".resources")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
      }
    } else {
      out.add(prefix);
    }
  }
}
