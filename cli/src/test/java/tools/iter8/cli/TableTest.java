package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {

  @Test
  void centresUpperCasedHeadersAndRightAlignsOnlyNumbers() {
    String table = new Table(List.of("Metric", "a_b", "v1.2"))
        .addRow(List.of("request-count", "1,022.565", "unavailable"))
        .addRow(List.of("x", "-3", "12.5 *"))
        .render();

    assertThat(table).isEqualTo("""
        +---------------+-----------+-------------+
        |    METRIC     |    A B    |    V1.2     |
        +---------------+-----------+-------------+
        | request-count | 1,022.565 | unavailable |
        +---------------+-----------+-------------+
        | x             |        -3 | 12.5 *      |
        +---------------+-----------+-------------+
        """);
  }

  @Test
  void wrapsLongCellsAtThirtyCharactersDecidingAlignmentLineByLine() {
    String table = new Table(List.of("Objective", "v"))
        .addRow(List.of("iter8-istio/mean-latency <= 100.000", "true"))
        .render();

    assertThat(table).isEqualTo("""
        +--------------------------------+------+
        |           OBJECTIVE            |  V   |
        +--------------------------------+------+
        | iter8-istio/mean-latency <=    | true |
        |                        100.000 |      |
        +--------------------------------+------+
        """);
  }

  @Test
  void aWordLongerThanTheWrapWidthWidensItsColumn() {
    assertThat(Table.wrap("iter8-system/latency-95th-percentile <= 100.000", 30))
        .containsExactly("iter8-system/latency-95th-percentile", "<= 100.000");
  }

  @Test
  void wrapsToMinimiseRaggednessNotGreedily() {
    // Greedy filling gives "aaa bb", "cc", "ddddd"; tablewriter balances the lines instead.
    assertThat(Table.wrap("aaa bb cc ddddd", 6)).containsExactly("aaa", "bb cc", "ddddd");
    assertThat(Table.wrap("aaaa bb cc dddddd", 10)).containsExactly("aaaa bb cc", "dddddd");
  }
}
