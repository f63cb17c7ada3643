package tools.iter8.cli;

/**
 * A failure a command reports as one line on stderr, with the exit code it ends with ({@link ExitCodes}); no stack
 * trace, since it is the user's situation (no kubeconfig, no such experiment), not a bug.
 */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
