package tools.iter8.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.HeaderMatch;
import tools.iter8.core.api.RouteMatch;
import tools.iter8.core.api.VersionDetail;

/**
 * What the Gateway API router reads from and changes in one HTTPRoute, computed from the object as read
 * (no I/O).
 *
 * <p><b>The default rule</b> is the first {@code spec.rules[]} entry that is not iter8's match rule.
 * <b>A version's backend</b> in its {@code backendRefs[]} is the one whose {@code name} equals the
 * version's {@code service} variable, else the version's name, else the one at the version's position
 * (baseline first). Gateway API weights are proportions (an absent weight is 1); iter8 writes percents,
 * and reads any split back as percents of the rule's total.
 *
 * <p><b>DarkLaunch</b>: the default rule sends 100% to the baseline and carries a {@code RequestMirror}
 * filter to the candidate's backend with {@code percent} = {@code spec.routing.mirrorPercent}.
 * <b>Request routing</b>: a rule named {@code iter8-<experiment>-match} is inserted at index 0 with the
 * default rule's settings, its {@code matches} being each of ours combined with each of the default rule's
 * own (header {@code exact} → {@code Exact}; {@code regex} → {@code RegularExpression}; {@code prefix p} →
 * {@code RegularExpression ^p.*}), and the candidate as its only backend. Gateway API ranks rules by match
 * specificity, and ours is at least as specific as the default rule plus headers, so matching requests
 * reach the candidate and all others the baseline. A cluster whose HTTPRoute schema prunes rule names
 * (before Gateway API v1.2) still works: a rule at index 0 equal to the one iter8 would write is iter8's.
 */
final class HttpRoutePlan {
  private static final Pattern REGEX_SPECIALS = Pattern.compile("[\\\\^$.|?*+()\\[\\]{}]");

  private final JsonNode httpRoute;
  private final Experiment experiment;
  private final String where;
  private final List<VersionDetail> versions;
  private final JsonNode rules;
  private final int defaultIndex;
  private final int matchIndex;
  private final JsonNode backends;

  HttpRoutePlan(JsonNode httpRoute, Experiment experiment) {
    this.httpRoute = httpRoute;
    this.experiment = experiment;
    this.where =
        "HTTPRoute " + httpRoute.at("/metadata/namespace").asText() + "/" + httpRoute.at("/metadata/name").asText();
    this.versions = Experiments.versions(experiment);
    this.rules = httpRoute.at("/spec/rules");
    int named = -1;
    for (int i = 0; i < rules.size(); i++) {
      if (matchRuleName(experiment).equals(rules.get(i).path("name").asText(null))) {
        named = i;
      }
    }
    int unnamed = named < 0 && rules.size() > 1 && isUnnamedMatchRule() ? 0 : -1;
    this.matchIndex = Math.max(named, unnamed);
    int index = -1;
    for (int i = 0; i < rules.size(); i++) {
      if (i != matchIndex && !isAnyMatchRule(rules.get(i))) {
        index = i;
        break;
      }
    }
    if (index < 0) {
      throw new RoutingException(where + " has no spec.rules entry to split");
    }
    this.defaultIndex = index;
    this.backends = rules.get(index).path("backendRefs");
    if (!backends.isArray() || backends.isEmpty()) {
      throw new RoutingException(where + " has no backendRefs in spec.rules[" + index + "]");
    }
  }

  static String matchRuleName(Experiment e) {
    return "iter8-" + Experiments.name(e) + "-match";
  }

  /** The split of the default rule by version, in percent of all its backends' weight. */
  Map<String, Integer> weights() {
    Map<String, Integer> raw = new LinkedHashMap<>();
    backendIndexes().forEach((v, i) -> raw.put(v, weightAt(i)));
    int total = 0;
    for (JsonNode b : backends) {
      total += b.path("weight").asInt(1);
    }
    return percentages(raw, total);
  }

  /** The patch for the split {@code live}, a mirror to the candidate if {@code mirror}, and {@code match}. */
  JsonPatch apply(Map<String, Integer> live, boolean mirror, List<RouteMatch> match) {
    JsonPatch patch = new JsonPatch();
    setWeights(patch, live);
    mirrorFilter(patch, mirror);
    matchRule(patch, !match.isEmpty());
    return patch;
  }

  /** The patch that keeps {@code weights} and removes the mirror filter and the match rule. */
  JsonPatch cleanup(Map<String, Integer> weights) {
    return apply(weights, false, List.of());
  }

  /** Percent shares of {@code total}, rounded by largest remainder so they add up as the exact shares do. */
  static Map<String, Integer> percentages(Map<String, Integer> raw, int total) {
    Map<String, Integer> result = new LinkedHashMap<>();
    if (total <= 0) {
      raw.keySet().forEach(k -> result.put(k, 0));
      return result;
    }
    int sum = raw.values().stream().mapToInt(Integer::intValue).sum();
    int target = (int) Math.round(100.0 * sum / total);
    List<Map.Entry<String, Double>> remainders = new ArrayList<>();
    int assigned = 0;
    for (Map.Entry<String, Integer> e : raw.entrySet()) {
      double exact = 100.0 * e.getValue() / total;
      int floor = (int) Math.floor(exact);
      result.put(e.getKey(), floor);
      assigned += floor;
      remainders.add(Map.entry(e.getKey(), exact - floor));
    }
    remainders.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
    for (int i = 0; i < target - assigned && i < remainders.size(); i++) {
      result.merge(remainders.get(i).getKey(), 1, Integer::sum);
    }
    return result;
  }

  private void setWeights(JsonPatch patch, Map<String, Integer> weights) {
    backendIndexes()
        .forEach(
            (version, i) -> {
              JsonNode current = backends.get(i).path("weight");
              int w = weights.get(version);
              if (!current.isInt() || current.intValue() != w) {
                patch.add(JsonPatch.pointer("spec", "rules", defaultIndex, "backendRefs", i, "weight"), w);
              }
            });
  }

  private void mirrorFilter(JsonPatch patch, boolean mirror) {
    String base = JsonPatch.pointer("spec", "rules", defaultIndex, "filters");
    JsonNode filters = rules.get(defaultIndex).path("filters");
    int existing = ourMirror(filters);
    if (mirror) {
      ObjectNode desired = ApiMapper.json().createObjectNode().put("type", "RequestMirror");
      desired.putObject("requestMirror")
          .<ObjectNode>set("backendRef", backendRef(candidateBackend()))
          .put("percent", Experiments.mirrorPercent(experiment));
      if (existing >= 0) {
        if (!desired.equals(filters.get(existing))) {
          patch.replace(base + "/" + existing, desired);
        }
      } else if (filters.isArray()) {
        patch.add(base + "/-", desired);
      } else {
        patch.add(base, ApiMapper.json().createArrayNode().add(desired));
      }
    } else if (existing >= 0) {
      patch.remove(filters.size() == 1 ? base : base + "/" + existing);
    }
  }

  /** The match rule; added last, as its insertion at index 0 shifts the indexes used before. */
  private void matchRule(JsonPatch patch, boolean wanted) {
    if (!wanted) {
      if (matchIndex >= 0) {
        patch.remove(JsonPatch.pointer("spec", "rules", matchIndex));
      }
      return;
    }
    ObjectNode desired = desiredMatchRule(rules.get(defaultIndex), candidateBackend());
    if (matchIndex < 0) {
      patch.add("/spec/rules/0", desired);
    } else if (!desired.equals(rules.get(matchIndex))) {
      patch.replace(JsonPatch.pointer("spec", "rules", matchIndex), desired);
    }
  }

  private ObjectNode desiredMatchRule(JsonNode defaultRule, JsonNode candidate) {
    ObjectNode rule = defaultRule.deepCopy();
    rule.remove(List.of("name", "matches", "backendRefs"));
    if (rule.path("filters") instanceof ArrayNode filters) {
      int mirror = ourMirror(filters);
      if (mirror >= 0) {
        filters.remove(mirror);
      }
      if (filters.isEmpty()) {
        rule.remove("filters");
      }
    }
    rule.put("name", matchRuleName(experiment));
    rule.set("matches", matches(Experiments.match(experiment), defaultRule.path("matches")));
    ObjectNode backend = candidate.deepCopy();
    backend.put("weight", 1);
    rule.putArray("backendRefs").add(backend);
    return rule;
  }

  /** Each of ours combined with each of the default rule's matches (Gateway API ORs the list). */
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
        ArrayNode headers = combined.withArrayProperty("headers");
        for (HeaderMatch h : m.headers()) {
          ObjectNode header = headers.addObject();
          if (h.exact() != null) {
            header.put("type", "Exact").put("name", h.name()).put("value", h.exact());
          } else if (h.prefix() != null) {
            header.put("type", "RegularExpression").put("name", h.name()).put("value", "^" + quote(h.prefix()) + ".*");
          } else {
            header.put("type", "RegularExpression").put("name", h.name()).put("value", h.regex());
          }
        }
        all.add(combined);
      }
    }
    return all;
  }

  /** Escapes regular-expression syntax with backslashes, which RE2 (Envoy) and Java read alike. */
  static String quote(String literal) {
    return REGEX_SPECIALS.matcher(literal).replaceAll("\\\\$0");
  }

  /** The index in {@code backendRefs} of each version's backend, baseline first. */
  Map<String, Integer> backendIndexes() {
    Map<String, Integer> found = new LinkedHashMap<>();
    for (VersionDetail v : versions) {
      Experiments.variable(v, "service")
          .flatMap(s -> find(s, found))
          .or(() -> find(v.name(), found))
          .ifPresent(i -> found.put(v.name(), i));
    }
    Map<String, Integer> ordered = new LinkedHashMap<>();
    for (int position = 0; position < versions.size(); position++) {
      String name = versions.get(position).name();
      Integer i = found.get(name);
      if (i == null && position < backends.size() && !found.containsValue(position)
          && !ordered.containsValue(position)) {
        i = position;
      }
      if (i == null) {
        throw new RoutingException(
            where + ": no backendRef for version " + name + " in spec.rules[" + defaultIndex + "] ("
                + backends.size() + " backendRefs); name backendRefs after the versions' service variable or the"
                + " version names, or list one backendRef per version, baseline first");
      }
      ordered.put(name, i);
    }
    return ordered;
  }

  private Optional<Integer> find(String name, Map<String, Integer> taken) {
    for (int i = 0; i < backends.size(); i++) {
      if (!taken.containsValue(i) && name.equals(backends.get(i).path("name").asText(null))) {
        return Optional.of(i);
      }
    }
    return Optional.empty();
  }

  private int weightAt(int i) {
    return backends.get(i).path("weight").asInt(1);
  }

  private JsonNode candidateBackend() {
    return backends.get(backendIndexes().get(versions.get(1).name()));
  }

  /** A backendRef as a mirror target: without weight and per-backend filters. */
  private static ObjectNode backendRef(JsonNode backend) {
    ObjectNode ref = backend.deepCopy();
    ref.remove(List.of("weight", "filters"));
    return ref;
  }

  /** The index of the RequestMirror filter to the candidate's backend, or -1. */
  private int ourMirror(JsonNode filters) {
    String candidate = candidateBackend().path("name").asText();
    for (int i = 0; i < filters.size(); i++) {
      JsonNode f = filters.get(i);
      if ("RequestMirror".equals(f.path("type").asText())
          && candidate.equals(f.at("/requestMirror/backendRef/name").asText(null))) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isAnyMatchRule(JsonNode rule) {
    String name = rule.path("name").asText("");
    return name.startsWith("iter8-") && name.endsWith("-match");
  }

  /** Whether rule 0 is the match rule iter8 would write for rule 1, its name pruned by an older schema. */
  private boolean isUnnamedMatchRule() {
    JsonNode first = rules.get(0);
    if (first.has("name") || Experiments.match(experiment).isEmpty()) {
      return false;
    }
    try {
      JsonNode defaultRule = rules.get(1);
      HttpRoutePlan probe = new HttpRoutePlan(httpRoute, experiment, 1);
      ObjectNode expected = probe.desiredMatchRule(defaultRule, probe.candidateBackend());
      expected.remove("name");
      return expected.equals(first);
    } catch (RoutingException e) {
      return false;
    }
  }

  /** A plan whose default rule is {@code defaultIndex}, only to compute the match rule it implies. */
  private HttpRoutePlan(JsonNode httpRoute, Experiment experiment, int defaultIndex) {
    this.httpRoute = httpRoute;
    this.experiment = experiment;
    this.where = "HTTPRoute";
    this.versions = Experiments.versions(experiment);
    this.rules = httpRoute.at("/spec/rules");
    this.defaultIndex = defaultIndex;
    this.matchIndex = -1;
    this.backends = rules.get(defaultIndex).path("backendRefs");
  }
}
