package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kubernetes.client.openapi.models.AdmissionregistrationV1ServiceReference;
import io.kubernetes.client.openapi.models.V1LabelSelectorRequirement;
import io.kubernetes.client.openapi.models.V1MutatingWebhook;
import io.kubernetes.client.openapi.models.V1MutatingWebhookConfiguration;
import io.kubernetes.client.openapi.models.V1RuleWithOperations;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ValidatingWebhook;
import io.kubernetes.client.openapi.models.V1ValidatingWebhookConfiguration;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Rendering;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.TypedModels;
import tools.iter8.webhook.admission.AdmissionHandler;
import tools.iter8.webhook.admission.AdmissionHandler.Endpoint;
import tools.iter8.webhook.admission.AdmissionResponse;

/**
 * The webhook configurations of every installation send exactly what the server handles to the paths it
 * serves (AdmissionHandler's endpoints, the workload kinds core knows), are safe for the API server
 * (no side effects, v1 reviews, short timeouts, iter8's and the system namespaces excluded), and reach the
 * webhook's Service.
 */
class WebhookConfigurationsTest {
  /** A webhook of either configuration, through the typed models. */
  record Hook(String name, String path, AdmissionregistrationV1ServiceReference service, String caBundle,
      List<V1RuleWithOperations> rules, Map<String, String> objectSelector, List<V1LabelSelectorRequirement> namespaceSelector,
      String sideEffects, List<String> reviewVersions, Integer timeout, String failurePolicy, String matchPolicy) {}

  static Stream<Rendering> renderings() {
    return Stream.of(Renderings.base().withCaBundle(Renderings.CA_BUNDLE), Renderings.everything(),
        Renderings.kustomize("manifests/overlays/cert-manager"), Renderings.helmDefaults(),
        Renderings.helm(Map.of("certManager.enabled", "true")));
  }

  static Map<String, Hook> hooks(Rendering r) {
    Map<String, Hook> hooks = new LinkedHashMap<>();
    for (K8sObject o : r.all("MutatingWebhookConfiguration")) {
      for (V1MutatingWebhook w : TypedModels.parse(o, V1MutatingWebhookConfiguration.class).getWebhooks()) {
        assertThat(w.getClientConfig().getUrl()).isNull();
        hooks.put(w.getName(), new Hook(w.getName(), w.getClientConfig().getService().getPath(), w.getClientConfig().getService(),
            w.getClientConfig().getCaBundle() == null ? null : new String(w.getClientConfig().getCaBundle(), StandardCharsets.ISO_8859_1),
            w.getRules(), w.getObjectSelector() == null ? null : w.getObjectSelector().getMatchLabels(),
            w.getNamespaceSelector().getMatchExpressions(), w.getSideEffects(), w.getAdmissionReviewVersions(),
            w.getTimeoutSeconds(), w.getFailurePolicy(), w.getMatchPolicy()));
        assertThat(w.getReinvocationPolicy()).isEqualTo("Never");
      }
    }
    for (K8sObject o : r.all("ValidatingWebhookConfiguration")) {
      for (V1ValidatingWebhook w : TypedModels.parse(o, V1ValidatingWebhookConfiguration.class).getWebhooks()) {
        assertThat(w.getClientConfig().getUrl()).isNull();
        hooks.put(w.getName(), new Hook(w.getName(), w.getClientConfig().getService().getPath(), w.getClientConfig().getService(),
            w.getClientConfig().getCaBundle() == null ? null : new String(w.getClientConfig().getCaBundle(), StandardCharsets.ISO_8859_1),
            w.getRules(), w.getObjectSelector() == null ? null : w.getObjectSelector().getMatchLabels(),
            w.getNamespaceSelector().getMatchExpressions(), w.getSideEffects(), w.getAdmissionReviewVersions(),
            w.getTimeoutSeconds(), w.getFailurePolicy(), w.getMatchPolicy()));
      }
    }
    return hooks;
  }

  private static Set<String> resources(Hook h) {
    Set<String> all = new TreeSet<>();
    for (V1RuleWithOperations rule : h.rules()) {
      assertThat(rule.getOperations()).as(h.name()).containsExactly("CREATE", "UPDATE");
      assertThat(rule.getScope()).as(h.name()).isEqualTo("Namespaced");
      for (String g : rule.getApiGroups()) {
        for (String v : rule.getApiVersions()) {
          for (String res : rule.getResources()) {
            all.add(g + "/" + v + "/" + res);
          }
        }
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void theServersPathsGetExactlyTheKindsItHandles(Rendering r) {
    Map<String, Hook> hooks = hooks(r);
    assertThat(hooks.keySet()).containsExactlyInAnyOrder(
        "workloads.webhook.iter8.tools", "defaults.webhook.iter8.tools", "validate.webhook.iter8.tools");
    assertThat(hooks.values().stream().map(Hook::path).collect(Collectors.toSet()))
        .isEqualTo(Arrays.stream(Endpoint.values()).map(Endpoint::path).collect(Collectors.toSet()));

    Hook workloads = hooks.get("workloads.webhook.iter8.tools");
    assertThat(workloads.path()).isEqualTo(Endpoint.MUTATE.path());
    assertThat(resources(workloads)).isEqualTo(Arrays.stream(WorkloadKind.values())
        .map(k -> k.apiVersion() + "/" + k.plural()).collect(Collectors.toSet()));
    assertThat(workloads.objectSelector()).as("only labeled workloads reach the webhook")
        .isEqualTo(Map.of(WorkloadKeys.WATCH_LABEL, "true"));

    Set<String> iter8 = Set.of(Experiment.API_VERSION + "/experiments", Metric.API_VERSION + "/metrics");
    for (String name : List.of("defaults.webhook.iter8.tools", "validate.webhook.iter8.tools")) {
      Hook h = hooks.get(name);
      assertThat(resources(h)).as(name).isEqualTo(iter8);
      assertThat(h.objectSelector()).as(name).isNull();
    }
    assertThat(hooks.get("defaults.webhook.iter8.tools").path()).isEqualTo(Endpoint.MUTATE.path());
    assertThat(hooks.get("validate.webhook.iter8.tools").path()).isEqualTo(Endpoint.VALIDATE.path());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyRuleSendsTheServerAKindItJudges(Rendering r) {
    AdmissionHandler handler = AdmissionHandler.create();
    int checked = 0;
    for (Hook h : hooks(r).values()) {
      Endpoint endpoint = Arrays.stream(Endpoint.values()).filter(e -> e.path().equals(h.path())).findFirst().orElseThrow();
      for (String gvr : resources(h)) {
        String[] parts = gvr.split("/");
        String kind = kindOf(parts[0], parts[1], parts[2]);
        for (String operation : h.rules().get(0).getOperations()) {
          AdmissionResponse answer = handler.handle(endpoint, review(parts[0], parts[1], parts[2], kind, operation));
          assertThat(answer.httpStatus()).as("%s %s on %s: %s", operation, gvr, h.path(), answer.summary()).isEqualTo(200);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(2 * (WorkloadKind.values().length + 2 + 2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void everyWebhookIsSafeForTheApiServerAndReachesTheWebhookService(Rendering r) {
    V1Service service = TypedModels.parse(r.one("Service", "iter8-webhook"), V1Service.class);
    String namespace = service.getMetadata().getNamespace();
    boolean certManager = r.has("Certificate", "iter8-webhook");
    for (Hook h : hooks(r).values()) {
      assertThat(h.sideEffects()).as(h.name()).isEqualTo("None");
      assertThat(h.reviewVersions()).as(h.name()).containsExactly("v1");
      assertThat(h.timeout()).as("%s: the API server waits at most this long", h.name()).isBetween(1, 5);
      assertThat(h.matchPolicy()).as(h.name()).isEqualTo("Equivalent");
      assertThat(h.service().getName()).isEqualTo(service.getMetadata().getName());
      assertThat(h.service().getNamespace()).isEqualTo(namespace);
      assertThat(h.service().getPort()).isEqualTo(service.getSpec().getPorts().get(0).getPort());
      V1LabelSelectorRequirement byName = h.namespaceSelector().get(0);
      assertThat(byName.getKey()).isEqualTo("kubernetes.io/metadata.name");
      assertThat(byName.getOperator()).isEqualTo("NotIn");
      assertThat(byName.getValues()).containsExactlyInAnyOrder(namespace, "kube-system");
      if (certManager) {
        assertThat(h.caBundle()).as("%s: cert-manager injects it", h.name()).isNull();
      } else {
        assertThat(h.caBundle()).as(h.name()).isNotEmpty();
      }
    }
    // iter8's own namespaces (the metric sets') install Experiments and Metrics before the webhook runs.
    for (String name : List.of("defaults.webhook.iter8.tools", "validate.webhook.iter8.tools")) {
      assertThat(hooks(r).get(name).namespaceSelector()).anySatisfy(e -> {
        assertThat(e.getKey()).isEqualTo("app.kubernetes.io/part-of");
        assertThat(e.getOperator()).isEqualTo("NotIn");
        assertThat(e.getValues()).containsExactly("iter8");
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("renderings")
  void workloadsFailOpenAndValidationFailsClosedByDefault(Rendering r) {
    Map<String, Hook> hooks = hooks(r);
    assertThat(hooks.get("workloads.webhook.iter8.tools").failurePolicy()).isEqualTo("Ignore");
    assertThat(hooks.get("defaults.webhook.iter8.tools").failurePolicy()).isEqualTo("Ignore");
    assertThat(hooks.get("validate.webhook.iter8.tools").failurePolicy()).isEqualTo("Fail");
  }

  @Test
  void withCertManagerTheCaIsInjectedFromTheServingCertificateForTheServicesName() {
    for (Rendering r : List.of(Renderings.everything(), Renderings.helm(Map.of("certManager.enabled", "true")))) {
      K8sObject certificate = r.one("Certificate", "iter8-webhook");
      String ref = certificate.namespace() + "/" + certificate.name();
      for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
        assertThat(r.one(kind, "iter8-webhook").at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText())
            .as("%s in %s", kind, r).isEqualTo(ref);
      }
      K8sObject service = r.one("Service", "iter8-webhook");
      String dns = service.name() + "." + service.namespace() + ".svc";
      assertThat(certificate.at("/spec/dnsNames")).extracting(n -> n.asText()).contains(dns, dns + ".cluster.local");
      assertThat(certificate.at("/spec/secretName").asText()).isEqualTo("iter8-webhook-tls");
      String issuer = certificate.at("/spec/issuerRef/name").asText();
      String caSecret = r.one("Issuer", issuer).at("/spec/ca/secretName").asText();
      assertThat(r.all("Certificate")).anySatisfy(c -> {
        assertThat(c.at("/spec/isCA").asBoolean()).isTrue();
        assertThat(c.at("/spec/secretName").asText()).isEqualTo(caSecret);
      });
    }
  }

  private static String kindOf(String group, String version, String plural) {
    for (WorkloadKind k : WorkloadKind.values()) {
      if (k.group().equals(group) && k.version().equals(version) && k.plural().equals(plural)) {
        return k.kind();
      }
    }
    String apiVersion = group + "/" + version;
    if (apiVersion.equals(Experiment.API_VERSION) && plural.equals("experiments")) {
      return Experiment.KIND;
    }
    if (apiVersion.equals(Metric.API_VERSION) && plural.equals("metrics")) {
      return Metric.KIND;
    }
    throw new AssertionError("a webhook rule sends " + group + "/" + version + "/" + plural + ", which the server does not handle");
  }

  /** An AdmissionReview as kube-apiserver sends it for a minimal object of that kind. */
  private static byte[] review(String group, String version, String plural, String kind, String operation) {
    ObjectNode object = ApiMapper.json().createObjectNode();
    object.put("apiVersion", group + "/" + version).put("kind", kind);
    object.putObject("metadata").put("name", "sample").put("namespace", "shop").put("uid", "0b5c2a4e-1")
        .putObject("labels").put(WorkloadKeys.WATCH_LABEL, "true");
    object.putObject("spec");
    ObjectNode review = ApiMapper.json().createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", "7f3e-" + plural + "-" + operation);
    request.putObject("kind").put("group", group).put("version", version).put("kind", kind);
    request.putObject("resource").put("group", group).put("version", version).put("resource", plural);
    request.putObject("requestKind").put("group", group).put("version", version).put("kind", kind);
    request.putObject("requestResource").put("group", group).put("version", version).put("resource", plural);
    request.put("name", "sample").put("namespace", "shop").put("operation", operation);
    request.putObject("userInfo").put("username", "kubernetes-admin");
    request.set("object", object);
    if (operation.equals("UPDATE")) {
      request.set("oldObject", object.deepCopy());
    }
    request.put("dryRun", false);
    return ApiMapper.toJson(review).getBytes(StandardCharsets.UTF_8);
  }
}
