package tools.iter8.install;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.iter8.agent.AgentConfig;
import tools.iter8.install.support.ApiAccess;
import tools.iter8.install.support.ApiAccess.Permission;
import tools.iter8.install.support.K8sObject;
import tools.iter8.install.support.Rbac;
import tools.iter8.install.support.Rbac.Grant;
import tools.iter8.install.support.Rendering;
import tools.iter8.install.support.Renderings;
import tools.iter8.install.support.Stack;

/**
 * Least privilege, against the calls the agent's code actually makes (agent/target/agent-api-access.json,
 * recorded by User-Agent in the agent's own tests), not a hand-kept list: the base and the stack components
 * together allow every call and grant nothing else; each component grants exactly its stack's calls; the
 * webhook has no permissions at all.
 */
class RbacTest {
  private static final String NS = Renderings.NAMESPACE;
  /** The groups the base grants; every other group the agent uses belongs to exactly one stack component. */
  private static final Set<String> BASE_GROUPS = Set.of("", "apps", "coordination.k8s.io", "iter8.tools");

  private static Set<Permission> granted(Rendering r) {
    return Rbac.permissions(Rbac.grants(r, NS, "iter8-agent"));
  }

  private static Set<Permission> used(Set<String> groups) {
    return ApiAccess.installed().stream().filter(p -> groups.contains(p.group()))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  void theAgentsRecordedCallsAreAllForGroupsTheInstallationKnows() {
    Set<String> known = new TreeSet<>(BASE_GROUPS);
    Arrays.stream(Stack.values()).forEach(s -> known.addAll(s.groups()));
    List<String> unknown = ApiAccess.installed().stream().filter(p -> !known.contains(p.group())).map(Permission::toString).toList();
    assertThat(unknown)
        .as("the agent's code used these, but neither the base nor a stack component is for their API group: grant them"
            + " in manifests/rbac or a component of manifests/overlays (and the chart), or, for a group only the tests"
            + " use, add it to ApiAccess.NOT_INSTALLED and docs/install.md")
        .isEmpty();
  }

  @Test
  void theBaseWithEveryStackAllowsEveryCallTheAgentMakes() {
    Set<Permission> granted = granted(Renderings.everything());
    List<String> missing = ApiAccess.installed().stream().filter(p -> !granted.contains(p)).map(Permission::toString).toList();
    assertThat(missing).as("the agent's code makes these calls (%s) but no manifest grants them", ApiAccess.file()).isEmpty();
  }

  @Test
  void theBaseWithEveryStackGrantsNothingTheAgentNeverUses() {
    Set<Permission> used = ApiAccess.installed();
    List<String> unused = new ArrayList<>();
    for (Grant g : Rbac.grants(Renderings.everything(), NS, "iter8-agent")) {
      if (!used.contains(g.permission())) {
        unused.add(g.permission() + " (granted by " + g.role() + ")");
      }
    }
    assertThat(unused).as("least privilege: the manifests grant these, but the agent's code never used them (%s);"
        + " remove the grant, or add a test to the agent that exercises the call. (A record written by a run of only"
        + " some of the agent's tests is partial: run them all, mvn -B -pl agent -am install)", ApiAccess.file()).isEmpty();
  }

  @Test
  void theBaseGrantsExactlyTheCallsOfItsOwnGroups() {
    assertThat(granted(Renderings.base())).containsExactlyInAnyOrderElementsOf(used(BASE_GROUPS));
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void eachStackComponentAddsExactlyTheCallsOfItsStack(Stack stack) {
    Set<Permission> added = new TreeSet<>(granted(Renderings.baseWith(stack)));
    added.removeAll(granted(Renderings.base()));
    assertThat(added).as("%s adds", stack.component()).isNotEmpty().containsExactlyInAnyOrderElementsOf(used(stack.groups()));
  }

  @ParameterizedTest
  @EnumSource(Stack.class)
  void eachStackComponentIsOneClusterRoleAggregatedIntoTheAgentsRole(Stack stack) {
    Rendering with = Renderings.baseWith(stack);
    Set<String> added = new TreeSet<>(with.ids());
    added.removeAll(Renderings.base().ids());
    assertThat(added).containsExactly("ClusterRole iter8-agent-" + stack.dir());
    assertThat(Rbac.aggregated(with, with.one("ClusterRole", "iter8-agent")).stream().map(K8sObject::name))
        .contains("iter8-agent-" + stack.dir());
  }

  @Test
  void leaderElectionMayOnlyTouchTheAgentsOwnLeaseInItsNamespace() {
    Rendering base = Renderings.base();
    AgentConfig config = AgentConfig.fromEnv(DeploymentsTest.env(base.one("Deployment", "iter8-agent"), "iter8-agent-0"));
    List<Grant> leases = Rbac.grants(base, NS, "iter8-agent").stream()
        .filter(g -> g.permission().resource().equals("leases")).toList();
    assertThat(leases).isNotEmpty().allSatisfy(g -> assertThat(g.namespace()).isEqualTo(config.systemNamespace()));
    // create cannot be limited by name; reading and renewing can.
    assertThat(leases).filteredOn(g -> !g.permission().verb().equals("create"))
        .isNotEmpty().allSatisfy(g -> assertThat(g.resourceNames()).containsExactly(config.leaseName()));
  }

  @Test
  void secretsAreReadOneByNameAndBoundApartSoTheyCanBeNarrowed() {
    List<Grant> secrets = Rbac.grants(Renderings.base(), NS, "iter8-agent").stream()
        .filter(g -> g.permission().resource().equals("secrets")).toList();
    assertThat(secrets).extracting(g -> g.permission().verb()).containsExactly("get");
    assertThat(secrets).extracting(Grant::role).containsExactly("ClusterRole iter8-agent-secrets");
  }

  @Test
  void theAgentRunsAsTheServiceAccountTheBindingsName() {
    for (Rendering r : List.of(Renderings.everything(), Renderings.helmDefaults())) {
      K8sObject agent = r.one("Deployment", "iter8-agent");
      assertThat(agent.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("iter8-agent");
      assertThat(agent.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true)).as("the agent needs its token").isTrue();
      assertThat(Rbac.bindingsOf(r, NS, "iter8-agent")).extracting(K8sObject::id).containsExactlyInAnyOrder(
          "ClusterRoleBinding iter8-agent", "ClusterRoleBinding iter8-agent-secrets",
          "RoleBinding " + NS + "/iter8-agent-leader-election");
    }
  }

  @Test
  void theWebhookHasNoPermissionsAndNoToken() {
    for (Rendering r : List.of(Renderings.everything(), Renderings.helm(Renderings.helmStacks(Stack.values())))) {
      assertThat(Rbac.bindingsOf(r, NS, "iter8-webhook")).as("bindings of the webhook's ServiceAccount in %s", r).isEmpty();
      // Nor may any binding name its ServiceAccount in some other namespace, or a group that includes it.
      for (K8sObject b : r.objects()) {
        for (JsonNode s : b.node().path("subjects")) {
          assertThat(s.path("name").asText()).as("%s subject", b).isNotEqualTo("iter8-webhook");
          assertThat(s.path("kind").asText()).as("%s subject", b).isEqualTo("ServiceAccount");
        }
      }
      K8sObject sa = r.one("ServiceAccount", "iter8-webhook");
      assertThat(sa.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
      K8sObject webhook = r.one("Deployment", "iter8-webhook");
      assertThat(webhook.at("/spec/template/spec/serviceAccountName").asText()).isEqualTo("iter8-webhook");
      assertThat(webhook.at("/spec/template/spec/automountServiceAccountToken").asBoolean(true)).isFalse();
    }
  }

  @Test
  void theChartGrantsWhatKustomizeGrantsForEveryStack() {
    assertThat(granted(Renderings.helmDefaults())).isEqualTo(granted(Renderings.base()));
    for (Stack s : Stack.values()) {
      assertThat(granted(Renderings.helm(Renderings.helmStacks(s)))).as("%s", s).isEqualTo(granted(Renderings.baseWith(s)));
    }
    Map<String, String> all = new HashMap<>(Renderings.helmStacks(Stack.values()));
    all.put("certManager.enabled", "true");
    assertThat(granted(Renderings.helm(all))).isEqualTo(granted(Renderings.everything()));
  }
}
