package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kubernetes.client.openapi.models.V1CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.ExperimentValidator;
import tools.iter8.core.validation.MetricValidator;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Rendering;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.Repo;
import tools.iter8.install.support.TypedModels;

/**
 * Every object of every rendering (kustomize base and components, the cert-manager overlay, the Helm chart with
 * each stack and cert-manager) is what the API server would accept: built-in kinds parse with client-java's typed
 * models and read back unchanged, iter8's resources pass the CRD schema and core's validation, and the only
 * other kinds are cert-manager's.
 */
class RenderedObjectsTest {
  private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
      "ClusterRoleBinding", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration");
  private static final Set<String> CERT_MANAGER_KINDS = Set.of("Issuer", "Certificate");

  static Stream<Rendering> renderings() {
    return Stream.concat(Renderings.allKustomize().stream(), Renderings.allHelm().stream());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyObjectParsesWithItsModelAndIsValid(Rendering r) {
    assertThat(r.objects()).as(r.name()).isNotEmpty();
    assertThat(new HashSet<>(r.objects().stream().map(K8sObject::id).toList())).as("unique objects in %s", r)
        .hasSize(r.objects().size());
    List<String> problems = new ArrayList<>();
    for (K8sObject o : r.objects()) {
      if (o.apiVersion().equals(Metric.API_VERSION) && o.kind().equals(Metric.KIND)) {
        CrdSchemas.builtin().validate(o.node()).forEach(p -> problems.add(o + ": schema: " + p));
        MetricValidator.validate(ApiMapper.fromTree(o.node(), Metric.class)).forEach(p -> problems.add(o + ": " + p));
      } else if (o.apiVersion().equals(Experiment.API_VERSION) && o.kind().equals(Experiment.KIND)) {
        CrdSchemas.builtin().validate(o.node()).forEach(p -> problems.add(o + ": schema: " + p));
        ExperimentValidator.validate(ApiMapper.fromTree(o.node(), Experiment.class)).forEach(p -> problems.add(o + ": " + p));
      } else if (o.apiVersion().equals("cert-manager.io/v1")) {
        assertThat(o.kind()).as("%s in %s", o, r).isIn(CERT_MANAGER_KINDS);
      } else {
        Class<?> type = TypedModels.classOf(o)
            .orElseThrow(() -> new AssertionError(r + ": " + o + " (" + o.apiVersion() + ") is neither a built-in kind"
                + " nor iter8's nor cert-manager's"));
        TypedModels.parse(o, type);
      }
    }
    assertThat(problems).as("invalid objects in %s", r).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void namespacedObjectsLiveInNamespacesTheInstallationHas(Rendering r) {
    Set<String> namespaces = new TreeSet<>();
    r.all("Namespace").forEach(n -> namespaces.add(n.name()));
    // Helm installs into its release namespace (helm install --create-namespace), which the chart does not render.
    namespaces.add(Renderings.NAMESPACE);
    for (K8sObject o : r.objects()) {
      if (CLUSTER_SCOPED.contains(o.kind())) {
        assertThat(o.namespace()).as("%s is cluster-scoped", o).isEmpty();
      } else {
        assertThat(o.namespace()).as("namespace of %s in %s", o, r).isIn(namespaces);
      }
    }
  }

  @Test
  void theBaseCreatesIter8SystemForIter8AndLabelsItSoIter8sOwnWebhooksLeaveItAlone() {
    Rendering base = Renderings.base();
    K8sObject ns = base.one("Namespace", Renderings.NAMESPACE);
    assertThat(ns.labels()).containsEntry("app.kubernetes.io/part-of", "iter8");
    for (String kind : List.of("Deployment", "Service", "ServiceAccount", "PodDisruptionBudget", "Role", "RoleBinding")) {
      assertThat(base.all(kind)).as(kind).isNotEmpty().allSatisfy(o -> assertThat(o.namespace()).isEqualTo(Renderings.NAMESPACE));
    }
    // Every namespace the base makes (iter8-system and the metric sets' iter8-<set>) is iter8's.
    assertThat(base.all("Namespace")).allSatisfy(n -> assertThat(n.labels()).containsEntry("app.kubernetes.io/part-of", "iter8"));
  }

  @Test
  void theBaseInstallsTheCrdsAsShippedAndEveryBuiltinMetricSet() throws IOException {
    Rendering base = Renderings.base();
    for (String file : CrdSchemas.BUILTIN_FILES) {
      JsonNode shipped = ApiMapper.readAll(Files.readString(Repo.path("manifests/crds").resolve(file))).get(0);
      K8sObject rendered = base.one("CustomResourceDefinition", shipped.at("/metadata/name").asText());
      assertThat(rendered.node()).as(file).isEqualTo(shipped);
      V1CustomResourceDefinition crd = TypedModels.parse(rendered, V1CustomResourceDefinition.class);
      assertThat(crd.getSpec().getGroup()).isEqualTo("iter8.tools");
    }
    Set<String> shippedMetrics = new TreeSet<>();
    try (Stream<Path> sets = Files.list(Repo.path("manifests/metrics"))) {
      for (Path set : sets.filter(Files::isDirectory).toList()) {
        for (JsonNode m : ApiMapper.readAll(Files.readString(set.resolve("metrics.yaml")))) {
          shippedMetrics.add(new K8sObject(m).id());
        }
      }
    }
    assertThat(shippedMetrics).hasSizeGreaterThan(20);
    assertThat(base.all("Metric").stream().map(K8sObject::id).toList()).containsExactlyInAnyOrderElementsOf(shippedMetrics);
  }

  @Test
  void theBaseCarriesTheCaBundlePlaceholderThatTheScriptsFill() {
    Rendering base = Renderings.base();
    List<String> bundles = new ArrayList<>();
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      base.all(kind).forEach(c -> c.node().path("webhooks").forEach(w -> bundles.add(w.at("/clientConfig/caBundle").asText())));
    }
    assertThat(bundles).hasSize(3).containsOnly("${CA_BUNDLE}");
    Rendering filled = base.withCaBundle(Renderings.CA_BUNDLE);
    assertThat(filled.yaml()).doesNotContain("${CA_BUNDLE}");
    assertThat(filled.ids()).isEqualTo(base.ids());
  }
}
