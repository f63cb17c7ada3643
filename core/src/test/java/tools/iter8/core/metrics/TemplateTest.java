package tools.iter8.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every expected value below was produced by CPython 3's {@code string.Template(t).safe_substitute(m)}
 * with the mapping {@link #VALUES}, so the Metric templates of the original behave the same here.
 */
class TemplateTest {

  static final Map<String, String> VALUES =
      Map.of(
          "name", "v2",
          "elapsedTime", "600",
          "namespace", "ns1",
          "userfilter", "usergroup!~\"wakanda\"",
          "_x1", "X",
          "Name", "UPPER");

  @Test
  void substitutesTheOriginalDocExample() {
    String template =
        "sum(increase(revision_app_request_latencies_count{service_name='${name}',${userfilter}}[${elapsedTime}s]))"
            + " or on() vector(0)";
    assertThat(Template.safeSubstitute(template, VALUES))
        .isEqualTo(
            "sum(increase(revision_app_request_latencies_count{service_name='v2',usergroup!~\"wakanda\"}[600s]))"
                + " or on() vector(0)");
  }

  @ParameterizedTest(name = "[{0}] -> [{1}]")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "$namespace/$name      | ns1/v2",
        "$$name                | $name",
        "$$$name               | $v2",
        "${name                | ${name",
        "$                     | $",
        "cost: 5$              | cost: 5$",
        "$1abc                 | $1abc",
        "${unknown} $unknown   | ${unknown} $unknown",
        "a$name-b              | av2-b",
        "`${ name }`           | `${ name }`",
        "$_x1y $_x1            | $_x1y X",
        "le=\"+Inf\"           | le=\"+Inf\"",
        "$Name $NAME           | UPPER $NAME",
        "${name}${name}        | v2v2",
        "$é                    | $é",
        "x$$                   | x$",
        "$name$                | v2$",
      })
  void behavesLikePythonSafeSubstitute(String template, String expected) {
    assertThat(Template.safeSubstitute(template, VALUES)).isEqualTo(expected);
  }

  @Test
  void replacementsAreLiteral() {
    assertThat(Template.safeSubstitute("$a", Map.of("a", "$1 \\ ${b}"))).isEqualTo("$1 \\ ${b}");
  }

  @Test
  void listsIdentifiersInOrderOfFirstUse() {
    assertThat(Template.of("$b ${a} $$c $b ${ d} $1").identifiers()).containsExactly("b", "a");
  }
}
