package tools.iter8.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.api.Metric;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.ExperimentValidator;
import tools.iter8.core.validation.MetricValidator;
import tools.iter8.core.validation.Problem;

/**
 * Checks the Experiments and Metrics of a YAML stream offline, as admission would: the CRD schema in strict mode
 * (unknown fields are problems) and core's validators, which judge the resource with its defaults applied. Every
 * problem is reported with its field path; other kinds and YAML syntax errors are reported too. A {@code v1 List}
 * is checked item by item. Pure: text in, findings out.
 */
public final class ManifestValidator {
  /**
   * One problem: where ({@code source}, then the resource or a position in the text) and what ({@code path}, the
   * field, null for a YAML syntax error; {@code message}).
   */
  public record Finding(String source, String resource, String path, String message) {
    @Override
    public String toString() {
      return source + ": " + resource + ": " + (path == null ? "" : path + ": ") + message;
    }
  }

  /** What a stream held: the resources checked and the problems found. */
  public record Result(int resources, List<Finding> findings) {}

  private final CrdSchemas schemas;
  private final boolean ignoreOtherKinds;

  public ManifestValidator(CrdSchemas schemas, boolean ignoreOtherKinds) {
    this.schemas = schemas;
    this.ignoreOtherKinds = ignoreOtherKinds;
  }

  public Result validate(String source, String text) {
    List<Finding> findings = new ArrayList<>();
    int resources = 0;
    int index = 0;
    try (JsonParser parser = ApiMapper.yaml().getFactory().createParser(text);
         MappingIterator<JsonNode> docs = ApiMapper.yaml().readValues(parser, JsonNode.class)) {
      while (docs.hasNextValue()) {
        JsonNode doc = docs.nextValue();
        index++;
        // An empty document (two separators in a row, a trailing one) reads as null or as an empty string.
        if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isTextual() && doc.asText().isBlank())) {
          continue;
        }
        resources += resource(source, doc, "document " + index, findings);
      }
    } catch (JsonProcessingException e) {
      findings.add(syntaxError(source, e, index));
    } catch (IOException e) {
      findings.add(new Finding(source, "document " + (index + 1), null, "cannot be read: " + e.getMessage()));
    } catch (RuntimeException e) {
      // MappingIterator wraps parse errors in a RuntimeException.
      if (e.getCause() instanceof JsonProcessingException jpe) {
        findings.add(syntaxError(source, jpe, index));
      } else {
        throw e;
      }
    }
    return new Result(resources, findings);
  }

  private static final Pattern MARK = Pattern.compile("line (\\d+), column (\\d+)");

  /**
   * A YAML syntax error on one line: where the construct that failed begins (the first position the YAML parser
   * names, e.g. the opening quote of an unterminated string), and its explanation without the excerpt.
   */
  static Finding syntaxError(String source, JsonProcessingException e, int documentsRead) {
    String text = e.getOriginalMessage() == null ? e.getMessage() : e.getOriginalMessage();
    List<String> words = new ArrayList<>();
    String where = null;
    for (String line : text.split("\n")) {
      Matcher m = MARK.matcher(line);
      if (line.startsWith(" in ") && m.find()) {
        where = where != null ? where : "line " + m.group(1) + ", column " + m.group(2);
      } else if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
        words.add(line.trim());
      }
    }
    JsonLocation at = e.getLocation();
    if (where == null) {
      where = at != null && at.getLineNr() > 0
          ? "line " + at.getLineNr() + ", column " + at.getColumnNr()
          : "document " + (documentsRead + 1);
    }
    return new Finding(source, where, null, "not valid YAML: " + String.join("; ", words));
  }

  /** Checks one document; returns the number of resources it held. */
  private int resource(String source, JsonNode doc, String position, List<Finding> findings) {
    if (!doc.isObject()) {
      findings.add(new Finding(source, position, "(root)", "expected a resource (a YAML mapping), got "
          + doc.getNodeType().name().toLowerCase(Locale.ROOT)));
      return 0;
    }
    String apiVersion = doc.path("apiVersion").asText("");
    String kind = doc.path("kind").asText("");
    if ("v1".equals(apiVersion) && "List".equals(kind)) {
      int n = 0;
      int i = 0;
      for (JsonNode item : doc.path("items")) {
        n += resource(source, item, position + " item " + i++, findings);
      }
      return n;
    }
    String subject = subject(doc, kind, position);
    boolean known = schemas.find(apiVersion, kind).isPresent();
    if (!known && ignoreOtherKinds && !apiVersion.startsWith(ExperimentClient.GROUP + "/")) {
      return 0;
    }
    List<Problem> schemaProblems = schemas.validate(doc);
    List<Problem> iter8Problems = List.of();
    if (known) {
      try {
        if (Experiment.KIND.equals(kind)) {
          iter8Problems = ExperimentValidator.validate(ApiMapper.fromTree(doc, Experiment.class));
        } else if (Metric.KIND.equals(kind)) {
          iter8Problems = MetricValidator.validate(ApiMapper.fromTree(doc, Metric.class));
        }
      } catch (IllegalArgumentException e) {
        // The schema names the field that could not be read; say it only if it did not.
        if (schemaProblems.isEmpty()) {
          iter8Problems = List.of(new Problem("(root)", "cannot be read as " + kind + ": " + e.getMessage()));
        }
      }
    }
    // Where both judge the same field (an enum, a minimum), they say the same thing in other words: keep iter8's,
    // which names iter8's rule; the schema's stand alone for everything else (unknown fields, types).
    Set<String> judged = new HashSet<>();
    iter8Problems.forEach(p -> judged.add(p.path()));
    Set<Problem> problems = new LinkedHashSet<>(iter8Problems);
    schemaProblems.stream().filter(p -> !judged.contains(p.path())).forEach(problems::add);
    problems.stream().sorted().forEach(p -> findings.add(new Finding(source, subject, p.path(), p.message())));
    return 1;
  }

  /** {@code Experiment ns/name}, or the position when the resource has no name. */
  private static String subject(JsonNode doc, String kind, String position) {
    String name = doc.path("metadata").path("name").asText("");
    String ns = doc.path("metadata").path("namespace").asText("");
    String k = kind.isEmpty() ? "(no kind)" : kind;
    if (name.isEmpty()) {
      return k + " (" + position + ")";
    }
    return k + " " + (ns.isEmpty() ? "" : ns + "/") + name;
  }
}
