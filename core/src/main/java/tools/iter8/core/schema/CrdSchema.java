package tools.iter8.core.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.util.List;
import java.util.Objects;
import tools.iter8.core.validation.Problem;

/**
 * The schema of one version of a CustomResourceDefinition, compiled once: {@link #validate} checks a
 * resource the way kube-apiserver does with {@code fieldValidation=Strict}, so schema violations and
 * unknown fields are reported before the API server (or the agent) sees them.
 *
 * <p>Immutable and safe to share between threads.
 */
public final class CrdSchema {
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).failFast(false).build();

  private final String group;
  private final String version;
  private final String kind;
  private final JsonNode openApiV3Schema;
  private final JsonSchema compiled;

  private CrdSchema(String group, String version, String kind, JsonNode openApiV3Schema) {
    this.group = group;
    this.version = version;
    this.kind = kind;
    this.openApiV3Schema = openApiV3Schema;
    this.compiled = FACTORY.getSchema(OpenApiConversion.toJsonSchema(openApiV3Schema), CONFIG);
    this.compiled.initializeValidators();
  }

  /**
   * The schema of {@code version} in a CustomResourceDefinition (apiextensions.k8s.io/v1).
   *
   * @throws IllegalArgumentException when the document is not a CRD or has no schema for that version
   */
  public static CrdSchema of(JsonNode crd, String version) {
    Objects.requireNonNull(crd, "crd");
    if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
      throw new IllegalArgumentException(
          "expected a CustomResourceDefinition, got kind \"" + crd.path("kind").asText() + "\"");
    }
    JsonNode spec = crd.path("spec");
    for (JsonNode v : spec.path("versions")) {
      if (version.equals(v.path("name").asText())) {
        JsonNode schema = v.path("schema").path("openAPIV3Schema");
        if (!schema.isObject()) {
          throw new IllegalArgumentException(
              crd.path("metadata").path("name").asText() + " " + version + " has no openAPIV3Schema");
        }
        String kind = spec.path("names").path("kind").asText();
        return new CrdSchema(spec.path("group").asText(), version, kind, schema.deepCopy());
      }
    }
    throw new IllegalArgumentException(
        crd.path("metadata").path("name").asText() + " has no version " + version);
  }

  /** {@code group/version}, e.g. {@code iter8.tools/v2alpha2}. */
  public String apiVersion() {
    return group + "/" + version;
  }

  public String kind() {
    return kind;
  }

  /** The CRD's {@code openAPIV3Schema} for this version, as written (a copy). */
  public JsonNode openApiV3Schema() {
    return openApiV3Schema.deepCopy();
  }

  /**
   * Every schema violation and unknown field of a resource, sorted by path; empty when it is valid.
   * Paths look like {@code spec.versionInfo.candidates[0].weightObjRef.fieldPath}. {@code apiVersion} and
   * {@code kind} are not compared with this schema's: {@link CrdSchemas} picks the schema by them.
   */
  public List<Problem> validate(JsonNode resource) {
    if (resource == null || !resource.isObject()) {
      return List.of(Messages.notAnObject());
    }
    JsonNode pruned = OpenApiConversion.pruneNulls(resource, openApiV3Schema);
    return compiled.validate(pruned).stream()
        .map(m -> Messages.problem(m, openApiV3Schema))
        .distinct()
        .sorted()
        .toList();
  }

  @Override
  public String toString() {
    return "CrdSchema[" + apiVersion() + " " + kind + "]";
  }
}
