package tools.iter8.core.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TaskConditionTest {

  @ParameterizedTest(name = "if: {0} with winnerFound={1} candidateWon={2} -> {3}")
  @CsvSource(
      delimiter = ';',
      value = {
        "CandidateWon() ; true ; true ; true",
        "CandidateWon() ; true ; false ; false",
        "not CandidateWon() ; true ; false ; true",
        "!CandidateWon() ; false ; false ; true",
        "WinnerFound() ; false ; false ; false",
        "WinnerFound() and not CandidateWon() ; true ; false ; true",
        "WinnerFound() && CandidateWon() ; true ; false ; false",
        "not (WinnerFound() or CandidateWon()) ; false ; false ; true",
        "WinnerFound() || CandidateWon() ; false ; true ; true",
        "'' ; false ; false ; true",
      })
  void conditionsEvaluateAsTheOriginalsSamplesExpect(
      String text, boolean winnerFound, boolean candidateWon, boolean expected) {
    TaskCondition c = TaskCondition.parse(text);

    assertThat(c.evaluate(new TaskCondition.Facts(winnerFound, candidateWon))).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CandidateWon                | expected '('",
        "WinnerFound() and           | ends too early",
        "Winner()                    | unknown 'Winner'",
        "CandidateWon() = true       | unexpected character '='",
        "(WinnerFound()              | expected ')'",
        "WinnerFound() CandidateWon() | unexpected 'CandidateWon'",
      })
  void malformedConditionsAreRejectedWithWhatWasExpected(String text, String message) {
    assertThatThrownBy(() -> TaskCondition.parse(text))
        .isInstanceOf(TaskCondition.SyntaxException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("expected WinnerFound(), CandidateWon()");
  }
}
