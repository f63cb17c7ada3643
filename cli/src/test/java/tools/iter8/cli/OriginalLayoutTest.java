package tools.iter8.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Given only the original's status fields, describe starts with exactly what the original iter8ctl (Jul 2021)
 * printed for the same experiment, character for character: sections, explanation lines, ceiling-rounded numbers
 * and tablewriter tables (wrapping, alignment, centred headers). Our sections follow after it.
 */
class OriginalLayoutTest {
  private final ExperimentDescriber describer =
      new ExperimentDescriber(Clock.fixed(Instant.parse("2021-07-01T00:00:00Z"), ZoneOffset.UTC));

  @Test
  void canaryDescriptionBeginsWithTheOriginalsOutput() {
    String original = """

        ****** Overview ******
        Experiment name: sklearn-iris-experiment-1
        Experiment namespace: kfserving-test
        Target: kfserving-test/sklearn-iris
        Testing pattern: Canary
        Deployment pattern: Progressive

        ****** Progress Summary ******
        Number of completed iterations: 9

        ****** Winner Assessment ******
        > If the candidate version satisfies the experiment objectives, then it is the winner.
        > Otherwise, if the baseline version satisfies the experiment objectives, it is the winner.
        > Otherwise, there is no winner.
        App versions in this experiment: [default canary]
        Winning version: canary
        Version recommended for promotion: canary

        ****** Objective Assessment ******
        > Identifies whether or not the experiment objectives are satisfied by the most recently observed metrics values for each version.
        +--------------------------+---------+--------+
        |        OBJECTIVE         | DEFAULT | CANARY |
        +--------------------------+---------+--------+
        | mean-latency <= 1000.000 | true    | true   |
        +--------------------------+---------+--------+
        | error-rate <= 0.010      | true    | true   |
        +--------------------------+---------+--------+

        ****** Metrics Assessment ******
        > Most recently read values of experiment metrics for each version.
        +--------------------------------+---------+---------+
        |             METRIC             | DEFAULT | CANARY  |
        +--------------------------------+---------+---------+
        | 95th-percentile-tail-latency   | 331.591 | 299.567 |
        | (milliseconds)                 |         |         |
        +--------------------------------+---------+---------+
        | mean-latency (milliseconds)    | 229.347 | 230.022 |
        +--------------------------------+---------+---------+
        | error-rate                     |   0.000 |   0.000 |
        +--------------------------------+---------+---------+
        | request-count                  | 112.784 |  42.709 |
        +--------------------------------+---------+---------+

        """;

    String described = describer.describe(Fixtures.experimentOf("original/kfserving-canary.yaml"));

    assertThat(described).startsWith(original);
    assertThat(described.substring(original.length())).startsWith("****** Progress Details ******\n");
  }

  @Test
  void abDescriptionWithARewardBeginsWithTheOriginalsOutput() {
    String original = """

        ****** Overview ******
        Experiment name: istio-quickstart
        Experiment namespace: default
        Target: bookinfo-iter8/productpage
        Testing pattern: A/B
        Deployment pattern: Progressive

        ****** Progress Summary ******
        Experiment stage: Completed
        Number of completed iterations: 10

        ****** Winner Assessment ******
        App versions in this experiment: [A B]
        Winning version: B
        Version recommended for promotion: B

        ****** Reward Assessment ******
        > Identifies values of reward metrics for each version. The best version is marked with a '*'.
        +--------------------------------+-------+----------+
        |             REWARD             |   A   |    B     |
        +--------------------------------+-------+----------+
        | books-purchased (higher        | 5.030 | 24.454 * |
        | better)                        |       |          |
        +--------------------------------+-------+----------+

        ****** Objective Assessment ******
        > Identifies whether or not the experiment objectives are satisfied by the most recently observed metrics values for each version.
        +--------------------------------+------+------+
        |           OBJECTIVE            |  A   |  B   |
        +--------------------------------+------+------+
        | iter8-istio/mean-latency <=    | true | true |
        |                        100.000 |      |      |
        +--------------------------------+------+------+
        | iter8-istio/error-rate <=      | true | true |
        |                          0.010 |      |      |
        +--------------------------------+------+------+

        ****** Metrics Assessment ******
        > Most recently read values of experiment metrics for each version.
        +--------------------------------+----------+---------+
        |             METRIC             |    A     |    B    |
        +--------------------------------+----------+---------+
        | books-purchased                |    5.030 |  24.454 |
        +--------------------------------+----------+---------+
        | iter8-istio/mean-latency       |   90.847 |  43.257 |
        | (milliseconds)                 |          |         |
        +--------------------------------+----------+---------+
        | request-count                  | 1506.619 | 414.576 |
        +--------------------------------+----------+---------+
        | iter8-istio/error-rate         |    0.000 |   0.000 |
        +--------------------------------+----------+---------+

        """;

    assertThat(describer.describe(Fixtures.experimentOf("original/istio-ab.yaml"))).startsWith(original);
  }

  @Test
  void experimentWithoutStatusShowsOverviewAndZeroIterationsOnly() {
    String described = describer.describe(Fixtures.experimentOf("original/istio-ab.yaml").withStatus(null));

    assertThat(described).isEqualTo("""

        ****** Overview ******
        Experiment name: istio-quickstart
        Experiment namespace: default
        Target: bookinfo-iter8/productpage
        Testing pattern: A/B
        Deployment pattern: Progressive

        ****** Progress Summary ******
        Number of completed iterations: 0

        ****** Progress Details ******
        Loop: 1 of 1
        Iterations: 0 of 10 (10 per loop, one every 10s)

        """);
  }
}
