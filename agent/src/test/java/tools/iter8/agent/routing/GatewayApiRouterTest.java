package tools.iter8.agent.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static tools.iter8.agent.routing.EmulatedCluster.await;
import static tools.iter8.agent.routing.EmulatedCluster.failure;
import static tools.iter8.agent.routing.EmulatedCluster.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.Experiment;

class GatewayApiRouterTest {
  private static final String NS = "gateway";
  private static EmulatedCluster kube;
  private static GatewayApiRouter router;

  @BeforeAll
  static void start() {
    kube = EmulatedCluster.start();
    router = new GatewayApiRouter(kube.ops());
  }

  @AfterAll
  static void stop() {
    kube.close();
  }

  @BeforeEach
  void forgetRequests() {
    kube.api().requests().clear();
  }

  private static Experiment experiment(String name, String route, String pattern, String routingExtra) {
    return EmulatedCluster.experiment("""
        metadata: {name: %s, namespace: gateway}
        spec:
          target: gateway/shop
          strategy: {testingPattern: Canary, deploymentPattern: %s}
          routing:
            router: GatewayAPI
            objRef: {apiVersion: gateway.networking.k8s.io/v1, kind: HTTPRoute, name: %s}
            %s
          versionInfo:
            baseline: {name: baseline, variables: [{name: service, value: shop-v1}]}
            candidates: [{name: candidate, variables: [{name: service, value: shop-v2}]}]
        """.formatted(name, pattern, route, routingExtra));
  }

  private static void createRoute(String name, String rules) {
    kube.create(ResourceKind.HTTP_ROUTE, """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: %s, namespace: gateway}
        spec:
          parentRefs: [{name: public}]
          rules: %s
        """.formatted(name, rules));
  }

  private static JsonNode route(String name) {
    return kube.get(ResourceKind.HTTP_ROUTE, NS, name);
  }

  private static final String CANDIDATE_FIRST = """
      [{matches: [{path: {type: PathPrefix, value: /shop}}],
        backendRefs: [{name: shop-v2, port: 8080, weight: 0}, {name: shop-v1, port: 8080, weight: 100}]}]""";

  @Test
  void findsBackendsByTheServiceVariableAndSetsPercentWeights() {
    createRoute("by-service", CANDIDATE_FIRST);
    Experiment e = experiment("by-service", "by-service", "Progressive", "");

    await(router.apply(e, Map.of("baseline", 80, "candidate", 20)));

    JsonNode backends = route("by-service").at("/spec/rules/0/backendRefs");
    assertThat(backends.at("/0/weight").asInt()).isEqualTo(20);
    assertThat(backends.at("/1/weight").asInt()).isEqualTo(80);
    assertThat(await(router.read(e))).containsExactly(Map.entry("baseline", 80), Map.entry("candidate", 20));
  }

  @Test
  void findsBackendsByVersionNameThenPosition() {
    createRoute("by-name", "[{backendRefs: [{name: shop-stable, port: 80}, {name: candidate, port: 80}]}]");
    Experiment e = EmulatedCluster.experiment("""
        metadata: {name: by-name, namespace: gateway}
        spec:
          target: gateway/shop
          routing: {router: GatewayAPI, objRef: {kind: HTTPRoute, name: by-name}}
          versionInfo: {baseline: {name: baseline}, candidates: [{name: candidate}]}
        """);

    await(router.apply(e, Map.of("baseline", 70, "candidate", 30)));

    JsonNode backends = route("by-name").at("/spec/rules/0/backendRefs");
    assertThat(backends.at("/1/weight").asInt()).as("candidate by name").isEqualTo(30);
    assertThat(backends.at("/0/weight").asInt()).as("baseline by position").isEqualTo(70);
  }

  @Test
  void readsProportionalWeightsAsPercents() {
    createRoute("proportional", "[{backendRefs: [{name: shop-v1, port: 80}, {name: shop-v2, port: 80, weight: 3}]}]");

    assertThat(await(router.read(experiment("proportional", "proportional", "Progressive", ""))))
        .as("an absent weight is 1")
        .containsExactly(Map.entry("baseline", 25), Map.entry("candidate", 75));
  }

  @Test
  void percentagesRoundByLargestRemainder() {
    Map<String, Integer> raw = new LinkedHashMap<>();
    raw.put("a", 1);
    raw.put("b", 1);
    raw.put("c", 1);

    assertThat(HttpRoutePlan.percentages(raw, 3)).containsExactly(Map.entry("a", 34), Map.entry("b", 33), Map.entry("c", 33));
    assertThat(HttpRoutePlan.percentages(Map.of("a", 0), 0)).containsExactly(Map.entry("a", 0));
  }

  @Test
  void darkLaunchAddsARequestMirrorFilterAndKeepsLiveTrafficOnTheBaseline() {
    createRoute("dark", CANDIDATE_FIRST);

    await(router.apply(experiment("dark", "dark", "DarkLaunch", "mirrorPercent: 30"), Map.of("baseline", 50, "candidate", 50)));

    JsonNode rule = route("dark").at("/spec/rules/0");
    assertThat(rule.at("/backendRefs/1/weight").asInt()).isEqualTo(100);
    assertThat(rule.at("/backendRefs/0/weight").asInt()).isZero();
    assertThat(rule.path("filters")).isEqualTo(yaml("""
        - type: RequestMirror
          requestMirror: {backendRef: {name: shop-v2, port: 8080}, percent: 30}
        """));
  }

  private static final String MATCH = """
      match:
            - headers:
              - {name: x-user-group, exact: beta}
              - {name: x-build, prefix: 'v2.1+'}
            - headers: [{name: cookie, regex: '.*canary=yes.*'}]""";

  @Test
  void requestRoutingAddsAHeaderMatchRuleForTheCandidate() {
    createRoute("match", CANDIDATE_FIRST);

    await(router.apply(experiment("ab", "match", "Progressive", MATCH), Map.of("baseline", 50, "candidate", 50)));

    JsonNode rules = route("match").at("/spec/rules");
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0)).isEqualTo(yaml("""
        name: iter8-ab-match
        matches:
        - path: {type: PathPrefix, value: /shop}
          headers:
          - {type: Exact, name: x-user-group, value: beta}
          - {type: RegularExpression, name: x-build, value: '^v2\\.1\\+.*'}
        - path: {type: PathPrefix, value: /shop}
          headers: [{type: RegularExpression, name: cookie, value: '.*canary=yes.*'}]
        backendRefs: [{name: shop-v2, port: 8080, weight: 1}]
        """));
    assertThat(rules.at("/1/backendRefs/1/weight").asInt()).isEqualTo(100);
    assertThat(rules.at("/1/backendRefs/0/weight").asInt()).isZero();
  }

  @Test
  void prefixesAreQuotedForRegularExpressions() {
    String quoted = HttpRoutePlan.quote("v2.1+(beta)");

    assertThat(Pattern.matches("^" + quoted + ".*", "v2.1+(beta)-rc1")).isTrue();
    assertThat(Pattern.matches("^" + quoted + ".*", "v2x1+(beta)")).isFalse();
  }

  @Test
  void applyingTheSameStateTwiceLeavesTheRouteAsItWas() {
    createRoute("twice", CANDIDATE_FIRST);
    Experiment e = experiment("twice", "twice", "DarkLaunch", MATCH);
    await(router.apply(e, Map.of("baseline", 100, "candidate", 0)));
    JsonNode first = route("twice");
    kube.api().requests().clear();

    await(router.apply(e, Map.of("baseline", 100, "candidate", 0)));

    assertThat(kube.writes()).isEmpty();
    assertThat(route("twice")).isEqualTo(first);
  }

  @Test
  void cleanupRemovesTheMirrorAndTheMatchRuleAndKeepsTheWeights() {
    createRoute("clean", """
        [{backendRefs: [{name: shop-v1, port: 8080, weight: 100}, {name: shop-v2, port: 8080, weight: 0}],
          filters: [{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-env, value: prod}]}}]}]""");
    Experiment e = experiment("clean", "clean", "DarkLaunch", MATCH);
    await(router.apply(e, Map.of("baseline", 100, "candidate", 0)));
    assertThat(route("clean").at("/spec/rules/1/filters")).hasSize(2);
    assertThat(route("clean").at("/spec/rules/0/filters"))
        .as("the match rule keeps the user's filters, not the mirror")
        .isEqualTo(yaml("[{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-env, value: prod}]}}]"));

    await(router.cleanup(e, Map.of("baseline", 0, "candidate", 100)));

    JsonNode rules = route("clean").at("/spec/rules");
    assertThat(rules).hasSize(1);
    assertThat(rules.at("/0/filters")).isEqualTo(yaml("[{type: RequestHeaderModifier, requestHeaderModifier: {add: [{name: x-env, value: prod}]}}]"));
    assertThat(rules.at("/0/backendRefs/0/weight").asInt()).isZero();
    assertThat(rules.at("/0/backendRefs/1/weight").asInt()).isEqualTo(100);
  }

  @Test
  void aRuleWhoseNameWasPrunedIsStillRecognisedAsIter8s() {
    createRoute("pruned", CANDIDATE_FIRST);
    Experiment e = experiment("pruned", "pruned", "Progressive", MATCH);
    await(router.apply(e, Map.of("baseline", 100, "candidate", 0)));
    // An HTTPRoute schema older than rule names drops the field.
    await(kube.setup().jsonPatch(ResourceKind.HTTP_ROUTE, NS, "pruned", new JsonPatch().remove("/spec/rules/0/name").ops()));

    await(router.cleanup(e, Map.of("baseline", 100, "candidate", 0)));

    assertThat(route("pruned").at("/spec/rules")).hasSize(1);
  }

  @Test
  void aSingleBackendCannotBeSplitAndTheErrorSaysWhatIsNeeded() {
    createRoute("single", "[{backendRefs: [{name: shop, port: 80}]}]");

    assertThat(failure(router.read(experiment("single", "single", "Progressive", ""))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("HTTPRoute gateway/single: no backendRef for version candidate");
  }

  @Test
  void aMissingRouteIsAnErrorNamingIt() {
    assertThat(failure(router.apply(experiment("nowhere", "nowhere", "Progressive", ""), Map.of("baseline", 100, "candidate", 0))))
        .isInstanceOf(RoutingException.class)
        .hasMessageContaining("HTTPRoute gateway/nowhere")
        .hasMessageContaining("not found");
  }
}
