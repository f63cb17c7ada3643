package tools.iter8.agent.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A readiness {@code waitFor}, in the forms of {@code kubectl wait --for} the agent evaluates itself:
 *
 * <ul>
 *   <li>absent or {@code create}: the object exists;
 *   <li>{@code condition=<Type>[=<status>]}: {@code status.conditions[type]} has that status ({@code True}
 *       by default), compared case-insensitively as kubectl does, and, as kubectl does, not from an older
 *       generation: when the condition (or {@code status}) has an {@code observedGeneration} below
 *       {@code metadata.generation}, the controller has not yet seen the latest spec;
 *   <li>{@code jsonpath={.path}[=<value>]}: the field at a simple path ({@code .a.b[0].c}) exists, or its
 *       text equals the value. Filters, wildcards and recursive descent are not supported.
 * </ul>
 *
 * <p>Anything else ({@code delete}, a malformed expression) is rejected when the task starts, not after
 * its retries.
 */
sealed interface WaitCondition {
  Pattern CONDITION = Pattern.compile("(?i)condition=([^=]+)(?:=(.*))?");
  Pattern JSONPATH = Pattern.compile("(?i)jsonpath=(?:'([^']*)'|\"([^\"]*)\"|(\\{[^}]*}))(?:=(.*))?");
  Pattern SEGMENT = Pattern.compile("\\.([A-Za-z0-9_\\-/]+)|\\[([0-9]+)]");

  /** Why the object is not ready yet, or empty when it is. */
  Optional<String> unmet(JsonNode object);

  static WaitCondition parse(String waitFor, String at) {
    if (waitFor == null || waitFor.isBlank() || waitFor.strip().equalsIgnoreCase("create")) {
      return new Exists();
    }
    String text = waitFor.strip();
    Matcher c = CONDITION.matcher(text);
    if (c.matches()) {
      return new HasCondition(c.group(1).strip(), c.group(2) == null ? "True" : c.group(2).strip());
    }
    Matcher j = JSONPATH.matcher(text);
    if (j.matches()) {
      String path = j.group(1) != null ? j.group(1) : j.group(2) != null ? j.group(2) : j.group(3);
      return new HasField(text, parsePath(path, at), Optional.ofNullable(j.group(4)).map(String::strip));
    }
    throw new TaskException(
        at + ": waitFor \"" + waitFor + "\" is not supported; use condition=<Type>[=<status>] or "
            + "jsonpath={.simple.path}[=<value>], or leave it out to wait until the object exists");
  }

  private static List<Object> parsePath(String path, String at) {
    String p = path.strip();
    if (p.startsWith("{") && p.endsWith("}")) {
      p = p.substring(1, p.length() - 1).strip();
    }
    List<Object> segments = new ArrayList<>();
    Matcher m = SEGMENT.matcher(p);
    int pos = 0;
    while (pos < p.length() && m.find(pos) && m.start() == pos) {
      segments.add(m.group(1) != null ? m.group(1) : Integer.valueOf(m.group(2)));
      pos = m.end();
    }
    if (p.isEmpty() || pos != p.length()) {
      throw new TaskException(
          at + ": jsonpath \"" + path + "\" is not a simple path like {.status.readyReplicas} or "
              + "{.status.conditions[0].status}");
    }
    return segments;
  }

  /** The object exists. */
  record Exists() implements WaitCondition {
    @Override
    public Optional<String> unmet(JsonNode object) {
      return Optional.empty();
    }
  }

  /** {@code condition=<Type>[=<status>]}. */
  record HasCondition(String type, String status) implements WaitCondition {
    @Override
    public Optional<String> unmet(JsonNode object) {
      long generation = object.path("metadata").path("generation").asLong(0);
      for (JsonNode c : object.path("status").path("conditions")) {
        if (!type.equalsIgnoreCase(c.path("type").asText())) {
          continue;
        }
        JsonNode observed = c.has("observedGeneration") ? c.get("observedGeneration") : object.path("status").path("observedGeneration");
        if (observed.isNumber() && observed.asLong() < generation) {
          return Optional.of("condition " + type + " is from generation " + observed.asLong()
              + ", the object is at generation " + generation);
        }
        if (status.equalsIgnoreCase(c.path("status").asText())) {
          return Optional.empty();
        }
        String why = c.path("reason").asText("") + (c.hasNonNull("message") ? ": " + c.get("message").asText() : "");
        return Optional.of("condition " + type + " is " + c.path("status").asText("unknown") + ", not " + status
            + (why.isBlank() ? "" : " (" + why + ")"));
      }
      return Optional.of("no condition " + type + " yet");
    }
  }

  /** {@code jsonpath={...}[=<value>]}. */
  record HasField(String text, List<Object> path, Optional<String> value) implements WaitCondition {
    @Override
    public Optional<String> unmet(JsonNode object) {
      JsonNode n = object;
      for (Object segment : path) {
        n = segment instanceof Integer i ? n.path(i) : n.path((String) segment);
      }
      if (n.isMissingNode() || n.isNull()) {
        return Optional.of(text + ": the field is not set");
      }
      String actual = n.isValueNode() ? n.asText() : n.toString();
      if (value.isPresent() && !value.get().equals(actual)) {
        return Optional.of(text + ": the field is " + actual);
      }
      return Optional.empty();
    }
  }
}
