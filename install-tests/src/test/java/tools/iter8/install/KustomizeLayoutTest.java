package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Rendering;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.Repo;
import tools.iter8.install.support.Stack;

/**
 * The layout docs/install.md describes: the base is the sum of its parts, each part renders on its own, the
 * stack and cert-manager additions are kustomize Components (so a user's kustomization can combine any of
 * them), and manifests/overlays/cert-manager is the webhook alone with cert-manager.
 */
class KustomizeLayoutTest {

  private static JsonNode kustomization(String dir) throws IOException {
    return ApiMapper.readAll(Files.readString(Repo.path(dir).resolve("kustomization.yaml"))).get(0);
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void eachStackIsAComponent(Stack stack) throws IOException {
    assertThat(kustomization(stack.component()).path("kind").asText()).isEqualTo("Component");
  }

  @Test
  void certManagerIsAComponentToCombineAndAnOverlayOfTheWebhookAlone() throws IOException {
    assertThat(kustomization(Renderings.CERT_MANAGER).path("kind").asText()).isEqualTo("Component");
    Rendering webhook = Renderings.kustomize("manifests/webhook");
    Rendering overlay = Renderings.kustomize("manifests/overlays/cert-manager");
    Set<String> added = new TreeSet<>(overlay.ids());
    added.removeAll(webhook.ids());
    assertThat(added).containsExactlyInAnyOrder("Certificate iter8-system/iter8-webhook", "Certificate iter8-system/iter8-webhook-ca",
        "Issuer iter8-system/iter8-selfsigned", "Issuer iter8-system/iter8-webhook-ca");
    assertThat(overlay.ids()).containsAll(webhook.ids());
  }

  @ParameterizedTest
  @ValueSource(strings = {"manifests/rbac", "manifests/agent", "manifests/webhook", "manifests/metrics"})
  void theBaseIsTheSumOfItsPartsAndEachRendersOnItsOwn(String part) {
    Rendering rendered = Renderings.kustomize(part);
    assertThat(rendered.objects()).isNotEmpty();
    Rendering base = Renderings.base();
    for (K8sObject o : rendered.objects()) {
      assertThat(base.byId().get(o.id())).as("%s of %s in the base", o, part).isNotNull()
          .satisfies(b -> assertThat(b.node()).isEqualTo(o.node()));
    }
  }

  @Test
  void theBaseHasNothingBeyondItsParts() {
    Set<String> parts = new TreeSet<>();
    for (String part : new String[] {"manifests/rbac", "manifests/agent", "manifests/webhook", "manifests/metrics"}) {
      parts.addAll(Renderings.kustomize(part).ids());
    }
    Set<String> rest = new TreeSet<>(Renderings.base().ids());
    rest.removeAll(parts);
    assertThat(rest).containsExactlyInAnyOrder("Namespace iter8-system",
        "CustomResourceDefinition experiments.iter8.tools", "CustomResourceDefinition metrics.iter8.tools");
  }
}
