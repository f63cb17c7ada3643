package tools.iter8.cli;

/**
 * iter8ctl's exit codes, the same for every command: 0 the answer is yes, 1 the answer is no, 2 no answer could be
 * had.
 */
public final class ExitCodes {
  /** Done: described; the experiment completed without failure; every condition holds; every file valid. */
  public static final int OK = 0;

  /**
   * The answer is no: the watched experiment failed; an asserted condition does not hold; a file has problems.
   */
  public static final int NO = 1;

  /**
   * No answer: wrong usage, no kubeconfig or context, the experiment not found, the API server refused or could
   * not be reached, or the timeout passed first.
   */
  public static final int UNKNOWN = 2;

  private ExitCodes() {}
}
