package tools.iter8.agent.tasks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The tasks the agent can run, by name. Built from task instances whose dependencies were injected by
 * their constructors, so tests register fakes the same way the agent registers the real ones.
 */
public final class TaskRegistry {
  private final Map<String, Task> tasks;

  /** @throws IllegalArgumentException when two tasks have the same name */
  public TaskRegistry(Collection<? extends Task> tasks) {
    Map<String, Task> byName = new LinkedHashMap<>();
    for (Task t : tasks) {
      if (byName.putIfAbsent(t.name(), t) != null) {
        throw new IllegalArgumentException("two tasks named " + t.name());
      }
    }
    this.tasks = Map.copyOf(byName);
  }

  public static TaskRegistry of(Task... tasks) {
    return new TaskRegistry(List.of(tasks));
  }

  public Optional<Task> find(String name) {
    return Optional.ofNullable(name == null ? null : tasks.get(name.strip()));
  }

  public Set<String> names() {
    return tasks.keySet();
  }
}
