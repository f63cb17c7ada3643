package tools.iter8.agent.tasks;

/**
 * Why a task failed, in words a user can act on. The message is shown in status, Events and logs, so it
 * never carries credentials; there is no stack trace because the reason, not the call path, is the news.
 */
public final class TaskException extends RuntimeException {

  public TaskException(String message) {
    super(message, null, false, false);
  }
}
