package tools.iter8.core.validation;

import java.util.ArrayList;
import java.util.List;

/** Collects problems while a validator walks a resource; the result is sorted by path. */
final class Problems {
  private final List<Problem> found = new ArrayList<>();

  void add(String path, String message) {
    found.add(new Problem(path, message));
  }

  /** Records a problem when {@code value} is null or blank; returns whether it was present. */
  boolean required(String path, Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      add(path, "is required");
      return false;
    }
    return true;
  }

  void range(String path, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      add(path, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  void atLeast(String path, Number value, long min) {
    if (value != null && value.longValue() < min) {
      add(path, "must be at least " + min + ", got " + value);
    }
  }

  List<Problem> sorted() {
    return found.stream().sorted().toList();
  }
}
