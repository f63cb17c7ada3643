package tools.iter8.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.validation.Problem;

/**
 * The schemas of a set of CRDs, chosen by a resource's {@code apiVersion} and {@code kind}, as the API
 * server routes a request. {@link #builtin()} holds iter8's own Experiment and Metric CRDs, the very files
 * users install ({@code manifests/crds}, shipped in the core jar).
 *
 * <p>Immutable and safe to share between threads.
 */
public final class CrdSchemas {
  /** Where the core jar carries {@code manifests/crds}. */
  public static final String CLASSPATH_DIR = "tools/iter8/crds/";

  /** The CRD files iter8 ships. */
  public static final List<String> BUILTIN_FILES =
      List.of("experiments.iter8.tools.yaml", "metrics.iter8.tools.yaml");

  private final Map<String, CrdSchema> byApiVersionAndKind;

  private CrdSchemas(Collection<CrdSchema> schemas) {
    Map<String, CrdSchema> map = new LinkedHashMap<>();
    for (CrdSchema s : schemas) {
      map.put(key(s.apiVersion(), s.kind()), s);
    }
    this.byApiVersionAndKind = Map.copyOf(map);
  }

  /** iter8's Experiment and Metric schemas, loaded and compiled on first use. */
  public static CrdSchemas builtin() {
    return Builtin.INSTANCE;
  }

  /** Every served version of every CRD given. */
  public static CrdSchemas of(List<JsonNode> crds) {
    List<CrdSchema> schemas = new ArrayList<>();
    for (JsonNode crd : crds) {
      for (JsonNode v : crd.path("spec").path("versions")) {
        if (v.path("served").asBoolean(false)) {
          schemas.add(CrdSchema.of(crd, v.path("name").asText()));
        }
      }
    }
    return new CrdSchemas(schemas);
  }

  /** The CRDs in YAML files on the classpath, e.g. {@code tools/iter8/crds/metrics.iter8.tools.yaml}. */
  public static CrdSchemas fromClasspath(ClassLoader loader, List<String> resources) {
    List<JsonNode> crds = new ArrayList<>();
    for (String resource : resources) {
      try (InputStream in = loader.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("CRD not on the classpath: " + resource);
        }
        crds.addAll(ApiMapper.readAll(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + resource, e);
      }
    }
    return of(crds);
  }

  public Optional<CrdSchema> find(String apiVersion, String kind) {
    return Optional.ofNullable(byApiVersionAndKind.get(key(apiVersion, kind)));
  }

  public Collection<CrdSchema> all() {
    return byApiVersionAndKind.values();
  }

  /**
   * Validates a resource against the schema of its apiVersion and kind; a resource of a kind not known
   * here gives one problem naming the kinds that are.
   */
  public List<Problem> validate(JsonNode resource) {
    if (resource == null || !resource.isObject()) {
      return List.of(Messages.notAnObject());
    }
    String apiVersion = resource.path("apiVersion").asText("");
    String kind = resource.path("kind").asText("");
    Optional<CrdSchema> schema = find(apiVersion, kind);
    if (schema.isPresent()) {
      return schema.get().validate(resource);
    }
    String known =
        all().stream().map(s -> s.apiVersion() + " " + s.kind()).sorted().collect(Collectors.joining(", "));
    boolean knownGroupVersion = all().stream().anyMatch(s -> s.apiVersion().equals(apiVersion));
    return List.of(
        new Problem(
            knownGroupVersion ? "kind" : "apiVersion",
            "expected apiVersion and kind of " + known + "; got "
                + (apiVersion.isEmpty() ? "no apiVersion" : "\"" + apiVersion + "\"") + " and "
                + (kind.isEmpty() ? "no kind" : "\"" + kind + "\"")));
  }

  private static String key(String apiVersion, String kind) {
    return apiVersion + " " + kind;
  }

  private static final class Builtin {
    static final CrdSchemas INSTANCE =
        fromClasspath(
            CrdSchemas.class.getClassLoader(),
            BUILTIN_FILES.stream().map(f -> CLASSPATH_DIR + f).toList());
  }
}
