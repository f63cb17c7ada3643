package tools.iter8.core.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.schema.CrdSchemas;
import tools.iter8.core.validation.Problem;

/**
 * The properties both API fuzz targets check, for one resource type, on any text (JSON or YAML, as
 * {@code iter8ctl validate} and the webhook read it):
 *
 * <ul>
 *   <li>parsing fails only with the documented {@link IllegalArgumentException} ({@link ApiMapper#read},
 *       {@link ApiMapper#fromTree});
 *   <li>the CRD schema check and the validator are total: they return a list of problems, each with a
 *       path and a message, for anything that parsed, and never throw;
 *   <li>the defaults never throw and are idempotent (the webhook's second pass gives no patch);
 *   <li>what was read writes back out and reads back equal (nothing read is lost on a status write).
 * </ul>
 */
final class ApiFuzzing<T> {
  private static final CrdSchemas SCHEMAS = CrdSchemas.builtin();

  private final Class<T> type;
  private final UnaryOperator<T> defaults;
  private final Function<T, List<Problem>> validator;

  ApiFuzzing(Class<T> type, UnaryOperator<T> defaults, Function<T, List<Problem>> validator) {
    this.type = type;
    this.defaults = defaults;
    this.validator = validator;
  }

  void check(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    JsonNode node;
    try {
      node = ApiMapper.read(text, JsonNode.class);
    } catch (IllegalArgumentException documented) {
      return;
    }
    if (node == null) {
      return;
    }
    problemsAreWellFormed(SCHEMAS.validate(node));
    T resource;
    try {
      resource = ApiMapper.fromTree(node, type);
    } catch (IllegalArgumentException documented) {
      return;
    }
    if (resource == null) {
      return;
    }
    problemsAreWellFormed(validator.apply(resource));
    T defaulted = defaults.apply(resource);
    assertThat(wire(defaults.apply(defaulted))).as("defaults are idempotent").isEqualTo(wire(defaulted));
    problemsAreWellFormed(validator.apply(defaulted));

    JsonNode written = wire(resource);
    T back = ApiMapper.fromTree(written, type);
    assertThat(wire(back)).as("what was read writes back and reads back equal").isEqualTo(written);
  }

  /**
   * The resource as JSON on the wire, read back as a tree: equal trees are equal JSON documents (numbers of
   * the same text, keys in any order), which is what the API server stores.
   */
  private static JsonNode wire(Object resource) {
    try {
      return ApiMapper.json().readTree(ApiMapper.toJson(resource));
    } catch (java.io.IOException e) {
      throw new AssertionError("cannot read back what was written", e);
    }
  }

  private static void problemsAreWellFormed(List<Problem> problems) {
    assertThat(problems).isNotNull().doesNotContainNull();
    for (Problem p : problems) {
      assertThat(p.path()).as("problem path").isNotNull();
      assertThat(p.message()).as("problem message").isNotBlank();
    }
  }
}
