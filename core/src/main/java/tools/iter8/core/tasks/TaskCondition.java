package tools.iter8.core.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A task's {@code if:} condition. The original evaluated it with antonmedv/expr over the Experiment;
 * its samples and docs only use {@code WinnerFound()}, {@code CandidateWon()} and {@code not}. We accept
 * those plus {@code and}/{@code or} ({@code &&}, {@code ||}, {@code !}) and parentheses, so that a
 * condition either parses here, at admission, or is rejected with the position of the problem; it never
 * fails later inside a running experiment.
 */
public sealed interface TaskCondition {

  /** What a condition can see: the experiment's outcome so far. */
  record Facts(boolean winnerFound, boolean candidateWon) {}

  boolean evaluate(Facts facts);

  /** A condition with no text is always true. */
  static TaskCondition parse(String text) {
    if (text == null || text.isBlank()) {
      return Always.INSTANCE;
    }
    return new Parser(text).parse();
  }

  /** The empty condition. */
  enum Always implements TaskCondition {
    INSTANCE;

    @Override
    public boolean evaluate(Facts facts) {
      return true;
    }
  }

  /** {@code WinnerFound()} or {@code CandidateWon()}. */
  enum Builtin implements TaskCondition {
    WINNER_FOUND("WinnerFound"),
    CANDIDATE_WON("CandidateWon");

    private final String function;

    Builtin(String function) {
      this.function = function;
    }

    @Override
    public boolean evaluate(Facts facts) {
      return this == WINNER_FOUND ? facts.winnerFound() : facts.candidateWon();
    }
  }

  /** Negation. */
  record Not(TaskCondition operand) implements TaskCondition {
    @Override
    public boolean evaluate(Facts facts) {
      return !operand.evaluate(facts);
    }
  }

  /** Conjunction. */
  record And(TaskCondition left, TaskCondition right) implements TaskCondition {
    @Override
    public boolean evaluate(Facts facts) {
      return left.evaluate(facts) && right.evaluate(facts);
    }
  }

  /** Disjunction. */
  record Or(TaskCondition left, TaskCondition right) implements TaskCondition {
    @Override
    public boolean evaluate(Facts facts) {
      return left.evaluate(facts) || right.evaluate(facts);
    }
  }

  /** Thrown for a condition that does not parse; the message names the position and what was expected. */
  final class SyntaxException extends IllegalArgumentException {
    public SyntaxException(String message) {
      super(message);
    }
  }

  /**
   * Recursive descent over: {@code or := and (("or"|"||") and)*; and := unary (("and"|"&&") unary)*;
   * unary := ("not"|"!") unary | "(" or ")" | Function "()"}.
   */
  final class Parser {
    private static final Pattern TOKEN =
        Pattern.compile("\\s*(\\|\\||&&|!|\\(|\\)|[A-Za-z_][A-Za-z0-9_]*)");

    private final String text;
    private final List<String> tokens = new ArrayList<>();
    private final List<Integer> positions = new ArrayList<>();
    private int next;

    Parser(String text) {
      this.text = text;
      Matcher m = TOKEN.matcher(text);
      int at = 0;
      while (at < text.length()) {
        if (text.substring(at).isBlank()) {
          break;
        }
        if (!m.find(at) || m.start() != at) {
          throw new SyntaxException(
              "unexpected character '" + text.charAt(skipSpaces(at)) + "' at " + skipSpaces(at)
                  + " in \"" + text + "\"; " + expected());
        }
        tokens.add(m.group(1));
        positions.add(m.start(1));
        at = m.end();
      }
    }

    private int skipSpaces(int at) {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
      return at;
    }

    TaskCondition parse() {
      TaskCondition c = or();
      if (next < tokens.size()) {
        throw error("unexpected '" + tokens.get(next) + "'");
      }
      return c;
    }

    private TaskCondition or() {
      TaskCondition left = and();
      while (peek("or") || peek("||")) {
        next++;
        left = new Or(left, and());
      }
      return left;
    }

    private TaskCondition and() {
      TaskCondition left = unary();
      while (peek("and") || peek("&&")) {
        next++;
        left = new And(left, unary());
      }
      return left;
    }

    private TaskCondition unary() {
      if (next >= tokens.size()) {
        throw error("the condition ends too early");
      }
      String t = tokens.get(next++);
      switch (t) {
        case "not", "!":
          return new Not(unary());
        case "(":
          TaskCondition inner = or();
          expect(")");
          return inner;
        case "WinnerFound":
          expect("(");
          expect(")");
          return Builtin.WINNER_FOUND;
        case "CandidateWon":
          expect("(");
          expect(")");
          return Builtin.CANDIDATE_WON;
        default:
          next--;
          throw error("unknown '" + t + "'");
      }
    }

    private boolean peek(String token) {
      return next < tokens.size() && tokens.get(next).equals(token);
    }

    private void expect(String token) {
      if (!peek(token)) {
        throw error("expected '" + token + "'");
      }
      next++;
    }

    private SyntaxException error(String what) {
      int at = next < positions.size() ? positions.get(next) : text.length();
      return new SyntaxException(what + " at " + at + " in \"" + text + "\"; " + expected());
    }

    private static String expected() {
      return "expected WinnerFound(), CandidateWon(), not, and, or and parentheses";
    }
  }
}
