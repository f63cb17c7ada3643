package tools.iter8.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.testkit.admission.AdmissionReviewBuilder;
import tools.iter8.webhook.support.Fixtures;
import tools.iter8.webhook.support.Processes;
import tools.iter8.webhook.support.Repo;
import tools.iter8.webhook.support.TestWebhook;
import tools.iter8.webhook.support.TestWebhook.Reply;

/**
 * manifests/webhook and the cert-manager overlay, rendered with the real {@code kubectl kustomize}: the
 * webhook configurations say what docs/webhook.md says, and send each resource to an endpoint that
 * handles it.
 */
class ManifestsTest {
  private static List<JsonNode> base;
  private static List<JsonNode> certManager;

  @BeforeAll
  static void render() {
    base = ApiMapper.readAll(Processes.ok(Map.of(), null, Processes.kubectl(), "kustomize",
        Repo.path("manifests/webhook").toString()));
    certManager = ApiMapper.readAll(Processes.ok(Map.of(), null, Processes.kubectl(), "kustomize",
        Repo.path("manifests/overlays/cert-manager").toString()));
  }

  private static JsonNode one(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind));
  }

  private static JsonNode webhook(List<JsonNode> docs, String name) {
    for (JsonNode d : docs) {
      for (JsonNode w : d.path("webhooks")) {
        if (w.path("name").asText().equals(name)) {
          return w;
        }
      }
    }
    throw new AssertionError("no webhook " + name);
  }

  private static List<JsonNode> allWebhooks(List<JsonNode> docs) {
    List<JsonNode> all = new ArrayList<>();
    docs.forEach(d -> d.path("webhooks").forEach(all::add));
    return all;
  }

  private static List<String> texts(JsonNode array) {
    List<String> l = new ArrayList<>();
    array.forEach(n -> l.add(n.asText()));
    return l;
  }

  @Test
  void everyWebhookIsSideEffectFreeV1WithAShortTimeoutAndExcludesTheSystemNamespaces() {
    assertThat(allWebhooks(base)).hasSize(3).allSatisfy(w -> {
      assertThat(w.path("sideEffects").asText()).isEqualTo("None");
      assertThat(texts(w.path("admissionReviewVersions"))).containsExactly("v1");
      assertThat(w.path("timeoutSeconds").asInt()).isBetween(1, 5);
      assertThat(w.at("/clientConfig/caBundle").asText()).isEqualTo("${CA_BUNDLE}");
      JsonNode byName = w.at("/namespaceSelector/matchExpressions/0");
      assertThat(byName.path("key").asText()).isEqualTo("kubernetes.io/metadata.name");
      assertThat(byName.path("operator").asText()).isEqualTo("NotIn");
      assertThat(texts(byName.path("values"))).containsExactly("iter8-system", "kube-system");
      assertThat(w.path("failurePolicy").asText()).isIn("Ignore", "Fail");
    });
  }

  @Test
  void workloadsAreSelectedByTheWatchLabelAndFailOpen() {
    JsonNode w = webhook(base, "workloads.webhook.iter8.tools");
    assertThat(w.at("/objectSelector/matchLabels")).isEqualTo(ApiMapper.read("{\"iter8.tools/watch\": \"true\"}", JsonNode.class));
    assertThat(w.path("failurePolicy").asText()).isEqualTo("Ignore");
    assertThat(w.at("/clientConfig/service/path").asText()).isEqualTo("/mutate");
    assertThat(w.path("rules")).extracting(r -> r.at("/apiGroups/0").asText() + "/" + r.at("/resources/0").asText())
        .containsExactly("apps/deployments", "serving.knative.dev/services", "serving.kserve.io/inferenceservices");
    assertThat(w.path("rules")).allSatisfy(r -> assertThat(texts(r.path("operations"))).containsExactly("CREATE", "UPDATE"));
  }

  @Test
  void experimentsAndMetricsAreDefaultedFailingOpenAndValidatedFailingClosed() {
    JsonNode defaults = webhook(base, "defaults.webhook.iter8.tools");
    JsonNode validate = webhook(base, "validate.webhook.iter8.tools");
    assertThat(defaults.path("failurePolicy").asText()).isEqualTo("Ignore");
    assertThat(validate.path("failurePolicy").asText()).isEqualTo("Fail");
    for (JsonNode w : List.of(defaults, validate)) {
      assertThat(w.has("objectSelector")).isFalse();
      assertThat(texts(w.at("/rules/0/resources"))).containsExactly("experiments", "metrics");
      assertThat(w.at("/namespaceSelector/matchExpressions/1/key").asText()).isEqualTo("app.kubernetes.io/part-of");
    }
  }

  @Test
  void theWebhooksReachTheServiceAndTheServiceThePods() {
    JsonNode service = one(base, "Service");
    JsonNode deployment = one(base, "Deployment");
    for (JsonNode w : allWebhooks(base)) {
      assertThat(w.at("/clientConfig/service/name").asText()).isEqualTo(service.at("/metadata/name").asText());
      assertThat(w.at("/clientConfig/service/namespace").asText()).isEqualTo(service.at("/metadata/namespace").asText());
      assertThat(w.at("/clientConfig/service/port").asInt()).isEqualTo(service.at("/spec/ports/0/port").asInt());
    }
    JsonNode podLabels = deployment.at("/spec/template/metadata/labels");
    service.at("/spec/selector").properties().forEach(e -> assertThat(podLabels.path(e.getKey())).isEqualTo(e.getValue()));
    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    assertThat(container.at("/ports/0/name").asText()).isEqualTo(service.at("/spec/ports/0/targetPort").asText());
  }

  @Test
  void theDeploymentRunsTwoReplicasWithABudgetAndAValidConfiguration() {
    JsonNode deployment = one(base, "Deployment");
    JsonNode pdb = one(base, "PodDisruptionBudget");
    assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(2);
    assertThat(pdb.at("/spec/minAvailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels")).isEqualTo(deployment.at("/spec/selector/matchLabels"));

    JsonNode container = deployment.at("/spec/template/spec/containers/0");
    Map<String, String> env = new HashMap<>();
    container.path("env").forEach(e -> {
      if (e.has("value")) {
        env.put(e.path("name").asText(), e.path("value").asText());
      }
    });
    WebhookConfig config = WebhookConfig.fromEnv(env);
    assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(config.port());
    JsonNode mount = container.path("volumeMounts").get(0);
    assertThat(mount.path("mountPath").asText()).isEqualTo(config.certDir().toString());
    JsonNode volume = deployment.at("/spec/template/spec/volumes/0");
    assertThat(volume.path("name").asText()).isEqualTo(mount.path("name").asText());
    assertThat(volume.at("/secret/secretName").asText()).isEqualTo("iter8-webhook-tls");
    for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/scheme").asText()).isEqualTo("HTTPS");
    }
    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
    long grace = deployment.at("/spec/template/spec/terminationGracePeriodSeconds").asLong();
    assertThat(grace).isGreaterThan(config.shutdownDrain().plus(config.shutdownTimeout()).toSeconds());
    assertThat(deployment.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true)).isFalse();
  }

  @Test
  void everyRuleSendsItsKindToAnEndpointThatHandlesIt() {
    Map<String, JsonNode> manifests = Map.of(
        "deployments", Fixtures.deployment(),
        "services", Fixtures.knativeService(),
        "inferenceservices", Fixtures.inferenceService(),
        "experiments", ApiMapper.read("{\"apiVersion\": \"iter8.tools/v2alpha2\", \"kind\": \"Experiment\","
            + " \"metadata\": {\"name\": \"e\", \"namespace\": \"shop\"}, \"spec\": {}}", JsonNode.class),
        "metrics", ApiMapper.read("{\"apiVersion\": \"iter8.tools/v2alpha2\", \"kind\": \"Metric\","
            + " \"metadata\": {\"name\": \"m\", \"namespace\": \"shop\"}, \"spec\": {}}", JsonNode.class));
    TestWebhook server = TestWebhook.shared();
    int checked = 0;
    for (JsonNode w : allWebhooks(base)) {
      String path = w.at("/clientConfig/service/path").asText();
      for (JsonNode rule : w.path("rules")) {
        for (JsonNode resource : rule.path("resources")) {
          ObjectNode object = ((ObjectNode) manifests.get(resource.asText())).deepCopy();
          assertThat(object.path("apiVersion").asText())
              .isEqualTo(rule.at("/apiGroups/0").asText() + "/" + rule.at("/apiVersions/0").asText());
          ((ObjectNode) object.path("metadata")).put("namespace", "shop");
          Reply reply = server.post(path, "application/json",
              AdmissionReviewBuilder.create(object).toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8));
          assertThat(reply.status()).as("%s on %s: %s", resource.asText(), path, reply.body()).isEqualTo(200);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(7);
  }

  @Test
  void theCertManagerOverlayLetsCertManagerIssueAndInject() {
    assertThat(allWebhooks(certManager)).hasSize(3).allSatisfy(w -> assertThat(w.at("/clientConfig").has("caBundle")).isFalse());
    Predicate<JsonNode> isCertificate = d -> d.path("kind").asText().equals("Certificate");
    JsonNode serving = certManager.stream().filter(isCertificate)
        .filter(d -> !d.at("/spec/isCA").asBoolean(false)).findFirst().orElseThrow();
    String ref = serving.at("/metadata/namespace").asText() + "/" + serving.at("/metadata/name").asText();
    for (String kind : List.of("MutatingWebhookConfiguration", "ValidatingWebhookConfiguration")) {
      assertThat(one(certManager, kind).at("/metadata/annotations/cert-manager.io~1inject-ca-from").asText()).isEqualTo(ref);
    }
    JsonNode service = one(certManager, "Service");
    String dns = service.at("/metadata/name").asText() + "." + service.at("/metadata/namespace").asText() + ".svc";
    assertThat(texts(serving.at("/spec/dnsNames"))).contains(dns, dns + ".cluster.local");
    assertThat(serving.at("/spec/secretName").asText())
        .isEqualTo(one(certManager, "Deployment").at("/spec/template/spec/volumes/0/secret/secretName").asText());
    // The serving certificate is signed by a CA issuer whose CA comes from the self-signed issuer.
    String caIssuer = serving.at("/spec/issuerRef/name").asText();
    JsonNode issuer = certManager.stream()
        .filter(d -> d.path("kind").asText().equals("Issuer") && d.at("/metadata/name").asText().equals(caIssuer))
        .findFirst().orElseThrow();
    JsonNode ca = certManager.stream().filter(isCertificate).filter(d -> d.at("/spec/isCA").asBoolean(false))
        .findFirst().orElseThrow();
    assertThat(issuer.at("/spec/ca/secretName").asText()).isEqualTo(ca.at("/spec/secretName").asText());
  }
}
