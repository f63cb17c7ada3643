package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.HeaderMatch;
import tools.iter8.core.api.RouteMatch;
import tools.iter8.core.api.VersionDetail;

/**
 * What the Istio router reads from and changes in one VirtualService, computed from the object as read
 * and nothing else (no I/O), so every rule below is tested on plain JSON.
 *
 * <p><b>The default route</b> is the first {@code spec.http[]} entry that is not an iter8 match route
 * (named {@code iter8-<experiment>-match}). <b>A version's destination</b> in its {@code route[]} is the
 * one whose {@code destination.subset} equals the version's name, else its {@code subset} variable, else
 * the one at the version's position (baseline first). Weights are set with JSON Patch {@code add} on
 * each {@code weight}; an absent weight reads as 100 for a lone destination and 0 otherwise, as Istio
 * treats it.
 *
 * <p><b>Managed subsets.</b> A generated Deployment experiment ({@code spec.targetRef} is a Deployment)
 * often meets a VirtualService with one destination, the Service in front of both Deployments. Then the
 * route is rewritten into two destinations with subsets named after the versions (the router creates
 * the DestinationRule defining them), and the route as the user wrote it is saved in the annotation
 * {@value #ORIGINAL_ROUTE} as {@code {"experiment": <name>, "route": [...]}}; cleanup by that experiment
 * restores it. An experiment that supersedes another on the same workload takes the annotation over and
 * keeps the saved route, so the user's route always comes back.
 *
 * <p><b>DarkLaunch</b>: the default route sends 100% to the baseline and sets {@code mirror} to the
 * candidate's destination with {@code mirrorPercentage.value}. <b>Request routing</b> ({@code
 * spec.routing.match}): a route named {@code iter8-<experiment>-match} is inserted at index 0, sending
 * matching requests to the candidate; it copies the default route's settings (rewrite, timeout, retries,
 * header operations), and its conditions are each of ours combined with each of the default route's own
 * (so it never captures requests the default route would not have served), header names in lower case as
 * Istio requires. The default route then sends 100% to the baseline: matching requests
 * reach the candidate, all others the baseline.
 */
final class VirtualServicePlan {
  static final String ORIGINAL_ROUTE = "iter8.tools/original-route";

  private final JsonNode vs;
  private final Experiment experiment;
  private final String where;
  private final List<VersionDetail> versions;
  private final int defaultIndex;
  private final JsonNode route;
  private final SavedRoute saved;
  private final boolean managed;

  /** The content of the {@value #ORIGINAL_ROUTE} annotation. */
  record SavedRoute(String experiment, ArrayNode route) {}

  VirtualServicePlan(JsonNode vs, Experiment experiment) {
    this.vs = vs;
    this.experiment = experiment;
    this.where = "VirtualService " + vs.at("/metadata/namespace").asText() + "/" + vs.at("/metadata/name").asText();
    this.versions = Experiments.versions(experiment);
    JsonNode http = vs.at("/spec/http");
    int index = -1;
    for (int i = 0; i < http.size(); i++) {
      if (!isMatchRoute(http.get(i))) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      throw new RoutingException(where + " has no spec.http route to split");
    }
    this.defaultIndex = index;
    this.route = http.get(index).path("route");
    if (!route.isArray() || route.isEmpty()) {
      throw new RoutingException(where + " has no destinations in spec.http[" + index + "].route");
    }
    this.saved = savedRoute(vs, where);
    this.managed =
        "Deployment".equals(experiment.spec().targetRef() == null ? null : experiment.spec().targetRef().kind())
            && versions.size() == 2
            && (saved != null || route.size() == 1);
  }

  static String matchRouteName(Experiment e) {
    return "iter8-" + Experiments.name(e) + "-match";
  }

  /** Whether the router defines the versions' subsets itself (see the class comment). */
  boolean managesSubsets() {
    return managed;
  }

  /** Whether cleanup puts the user's route back (this experiment saved or took over the annotation). */
  boolean restoresOriginalRoute() {
    return managed && saved != null && saved.experiment().equals(Experiments.name(experiment));
  }

  /**
   * The host of the baseline's destination (with managed subsets, of the user's one destination): the
   * host the DestinationRules apply to.
   */
  String host() {
    JsonNode destination =
        managed
            ? (saved != null ? saved.route() : route).path(0)
            : route.path(destinations(route).get(versions.get(0).name()));
    String host = destination.at("/destination/host").asText("");
    if (host.isEmpty()) {
      throw new RoutingException(where + ": the baseline's destination in spec.http[" + defaultIndex + "].route has no host");
    }
    return host;
  }

  /** The split of the default route, by version. */
  Map<String, Integer> weights() {
    Map<String, Integer> weights = new LinkedHashMap<>();
    if (managed && !subsetsInPlace()) {
      // Not rewritten yet: the one destination is the Service, which gets the candidate nothing through
      // the mesh.
      versions.forEach(v -> weights.put(v.name(), v == versions.get(0) ? 100 : 0));
      return weights;
    }
    destinations(route).forEach((version, i) -> weights.put(version, weightAt(route, i)));
    return weights;
  }

  /**
   * The patch that makes the default route split by {@code live}, mirrors to the candidate if {@code
   * mirror}, and routes {@code match} to the candidate (no match route when empty).
   */
  JsonPatch apply(Map<String, Integer> live, boolean mirror, List<RouteMatch> match) {
    JsonPatch patch = new JsonPatch();
    JsonNode effective = route;
    if (managed) {
      claimAnnotation(patch);
      if (!subsetsInPlace()) {
        ArrayNode rewritten = subsetRoute();
        destinations(rewritten).forEach((v, i) -> ((ObjectNode) rewritten.get(i)).put("weight", live.get(v)));
        patch.add(routePointer(), rewritten);
        effective = rewritten;
      }
    }
    if (effective == route) {
      setWeights(patch, live);
    }
    JsonNode candidate = candidateDestination(effective);
    mirror(patch, mirror ? candidate : null, effective);
    matchRoute(patch, match.isEmpty() ? null : candidate);
    return patch;
  }

  /**
   * The patch that removes what the experiment added: the mirror, the match route and, with managed
   * subsets, the rewritten route (the saved one comes back and the annotation goes). Otherwise the
   * default route keeps {@code weights}. A route taken over by a newer experiment is left to it.
   */
  JsonPatch cleanup(Map<String, Integer> weights) {
    JsonPatch patch = new JsonPatch();
    if (restoresOriginalRoute()) {
      if (subsetsInPlace()) {
        mirror(patch, null, route);
      }
      patch.add(routePointer(), saved.route());
      patch.annotations(vs, Map.of(), List.of(ORIGINAL_ROUTE));
    } else if (!managed) {
      setWeights(patch, weights);
      mirror(patch, null, route);
    }
    matchRoute(patch, null);
    return patch;
  }

  private void setWeights(JsonPatch patch, Map<String, Integer> weights) {
    destinations(route)
        .forEach(
            (version, i) -> {
              JsonNode current = route.get(i).path("weight");
              int w = weights.get(version);
              if (!current.isInt() || current.intValue() != w) {
                patch.add(routePointer() + "/" + i + "/weight", w);
              }
            });
  }

  /** Sets the mirror to {@code destination}, or removes a mirror to one of the candidates when null. */
  private void mirror(JsonPatch patch, JsonNode destination, JsonNode effectiveRoute) {
    JsonNode http = vs.at("/spec/http").get(defaultIndex);
    String base = JsonPatch.pointer("spec", "http", defaultIndex);
    JsonNode current = http.path("mirror");
    if (destination != null) {
      if (!destination.equals(current)) {
        patch.add(base + "/mirror", destination);
      }
      ObjectNode percentage = ApiMapper.json().createObjectNode().put("value", Experiments.mirrorPercent(experiment));
      if (!percentage.equals(http.path("mirrorPercentage"))) {
        patch.add(base + "/mirrorPercentage", percentage);
      }
      return;
    }
    if (!current.isMissingNode() && candidateDestinations(effectiveRoute).contains(current)) {
      patch.remove(base + "/mirror");
      if (http.has("mirrorPercentage")) {
        patch.remove(base + "/mirrorPercentage");
      }
    }
  }

  /**
   * Brings the match route to send {@code match} requests to {@code candidate}, or removes it when
   * {@code candidate} is null. Added last: the insertion at index 0 shifts the indexes the other
   * operations use.
   */
  private void matchRoute(JsonPatch patch, JsonNode candidate) {
    JsonNode http = vs.at("/spec/http");
    int existing = -1;
    for (int i = 0; i < http.size(); i++) {
      if (matchRouteName(experiment).equals(http.get(i).path("name").asText(null))) {
        existing = i;
      }
    }
    if (candidate == null) {
      if (existing >= 0) {
        patch.remove(JsonPatch.pointer("spec", "http", existing));
      }
      return;
    }
    // The default route's other settings (rewrite, timeout, retries, headers) apply to matched requests too.
    ObjectNode desired = http.get(defaultIndex).deepCopy();
    desired.remove(List.of("name", "match", "route", "mirror", "mirrorPercentage"));
    desired.put("name", matchRouteName(experiment));
    desired.set("match", matches(Experiments.match(experiment), http.get(defaultIndex).path("match")));
    desired.putArray("route").addObject().set("destination", candidate.deepCopy());
    if (existing < 0) {
      patch.add("/spec/http/0", desired);
    } else if (!desired.equals(http.get(existing))) {
      patch.replace(JsonPatch.pointer("spec", "http", existing), desired);
    }
  }

  /** Each of ours combined with each of the default route's conditions (Istio ORs the list). */
  static ArrayNode matches(List<RouteMatch> ours, JsonNode defaults) {
    List<JsonNode> bases = new ArrayList<>();
    defaults.forEach(bases::add);
    if (bases.isEmpty()) {
      bases.add(ApiMapper.json().createObjectNode());
    }
    ArrayNode all = ApiMapper.json().createArrayNode();
    for (RouteMatch m : ours) {
      for (JsonNode base : bases) {
        ObjectNode combined = base.deepCopy();
        combined.remove("name");
        ObjectNode headers = combined.withObjectProperty("headers");
        for (HeaderMatch h : m.headers()) {
          ObjectNode condition = headers.putObject(h.name().toLowerCase(Locale.ROOT));
          if (h.exact() != null) {
            condition.put("exact", h.exact());
          } else if (h.prefix() != null) {
            condition.put("prefix", h.prefix());
          } else {
            condition.put("regex", h.regex());
          }
        }
        all.add(combined);
      }
    }
    return all;
  }

  /** The index in {@code route} of each version's destination, baseline first. */
  Map<String, Integer> destinations(JsonNode routeEntries) {
    Map<String, Integer> found = new LinkedHashMap<>();
    for (VersionDetail v : versions) {
      Optional<Integer> bySubset = find(routeEntries, v.name(), found);
      Optional<Integer> byVariable =
          bySubset.isPresent() ? bySubset : Experiments.variable(v, "subset").flatMap(s -> find(routeEntries, s, found));
      byVariable.ifPresent(i -> found.put(v.name(), i));
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (int position = 0; position < versions.size(); position++) {
      String name = versions.get(position).name();
      Integer i = found.get(name);
      if (i == null && position < routeEntries.size() && !found.containsValue(position)
          && !ordered.containsValue(position)) {
        i = position;
      }
      if (i == null) {
        throw new RoutingException(
            where + ": no destination for version " + name + " in spec.http[" + defaultIndex + "].route ("
                + routeEntries.size() + " destinations); name destination.subset after the version or its"
                + " subset variable, or list one destination per version, baseline first");
      }
      ordered.put(name, i);
    }
    return ordered;
  }

  private static Optional<Integer> find(JsonNode routeEntries, String subset, Map<String, Integer> taken) {
    for (int i = 0; i < routeEntries.size(); i++) {
      if (!taken.containsValue(i) && subset.equals(routeEntries.get(i).at("/destination/subset").asText(null))) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private static int weightAt(JsonNode routeEntries, int i) {
    JsonNode w = routeEntries.get(i).path("weight");
    return w.isNumber() ? w.intValue() : routeEntries.size() == 1 ? 100 : 0;
  }

  private JsonNode candidateDestination(JsonNode routeEntries) {
    return routeEntries.get(destinations(routeEntries).get(versions.get(1).name())).path("destination").deepCopy();
  }

  private List<JsonNode> candidateDestinations(JsonNode routeEntries) {
    List<JsonNode> result = new ArrayList<>();
    Map<String, Integer> indexes = destinations(routeEntries);
    for (VersionDetail v : versions.subList(1, versions.size())) {
      result.add(routeEntries.get(indexes.get(v.name())).path("destination"));
    }
    return result;
  }

  /** The user's one destination, once per version, with {@code subset} set to the version's name. */
  private ArrayNode subsetRoute() {
    JsonNode original = saved != null ? saved.route().path(0) : route.path(0);
    ArrayNode rewritten = ApiMapper.json().createArrayNode();
    for (VersionDetail v : versions) {
      ObjectNode entry = original.deepCopy();
      entry.remove("weight");
      entry.withObjectProperty("destination").put("subset", v.name());
      rewritten.add(entry);
    }
    return rewritten;
  }

  private boolean subsetsInPlace() {
    ArrayNode desired = subsetRoute();
    if (route.size() != desired.size()) {
      return false;
    }
    for (int i = 0; i < desired.size(); i++) {
      ObjectNode current = route.get(i).deepCopy();
      current.remove("weight");
      if (!current.equals(desired.get(i))) {
        return false;
      }
    }
    return true;
  }

  /** Records this experiment as the one whose cleanup restores the saved (else the current) route. */
  private void claimAnnotation(JsonPatch patch) {
    String me = Experiments.name(experiment);
    if (saved != null && saved.experiment().equals(me)) {
      return;
    }
    ObjectNode value = ApiMapper.json().createObjectNode().put("experiment", me);
    value.set("route", saved != null ? saved.route() : route.deepCopy());
    patch.annotations(vs, Map.of(ORIGINAL_ROUTE, ApiMapper.toJson(value)), List.of());
  }

  private String routePointer() {
    return JsonPatch.pointer("spec", "http", defaultIndex, "route");
  }

  private static boolean isMatchRoute(JsonNode httpRoute) {
    String name = httpRoute.path("name").asText("");
    return name.startsWith("iter8-") && name.endsWith("-match");
  }

  private static SavedRoute savedRoute(JsonNode vs, String where) {
    JsonNode text = vs.at("/metadata/annotations").path(ORIGINAL_ROUTE);
    if (!text.isTextual()) {
      return null;
    }
    try {
      JsonNode value = ApiMapper.json().readTree(text.textValue());
      if (value.path("experiment").isTextual() && value.path("route") instanceof ArrayNode saved && !saved.isEmpty()) {
        return new SavedRoute(value.path("experiment").textValue(), saved);
      }
    } catch (IOException e) {
      // Reported below: an unreadable annotation must not make iter8 forget the user's route.
    }
    throw new RoutingException(
        where + ": annotation " + ORIGINAL_ROUTE + " is not {\"experiment\": ..., \"route\": [...]};"
            + " restore spec.http route and remove the annotation by hand");
  }
}
