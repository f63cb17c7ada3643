package tools.iter8.install.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import tools.iter8.core.api.ApiMapper;

/** The objects one render produced (kustomize or Helm), with the text it came from. */
public record Rendering(String name, String yaml, List<K8sObject> objects) {

  public static Rendering of(String name, String yaml) {
    List<K8sObject> objects = new java.util.ArrayList<>();
    for (JsonNode doc : ApiMapper.readAll(yaml)) {
      if (doc.isObject()) {
        objects.add(new K8sObject(doc));
      } else if (!(doc.isTextual() && doc.asText().isBlank())) {
        // A document of comments only reads as an empty text; anything else is not an object.
        throw new AssertionError(name + " renders a document that is not an object: " + doc);
      }
    }
    return new Rendering(name, yaml, List.copyOf(objects));
  }

  public List<K8sObject> all(String kind) {
    return objects.stream().filter(o -> o.kind().equals(kind)).toList();
  }

  public K8sObject one(String kind, String name) {
    return objects.stream().filter(o -> o.kind().equals(kind) && o.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError(this.name + " renders no " + kind + " " + name + "; it has " + ids()));
  }

  public boolean has(String kind, String name) {
    return objects.stream().anyMatch(o -> o.kind().equals(kind) && o.name().equals(name));
  }

  public Set<String> ids() {
    return objects.stream().map(K8sObject::id).collect(Collectors.toCollection(TreeSet::new));
  }

  public Map<String, K8sObject> byId() {
    return objects.stream().collect(Collectors.toMap(K8sObject::id, Function.identity()));
  }

  /** The same objects with every ${CA_BUNDLE} placeholder replaced, as scripts/install.sh does. */
  public Rendering withCaBundle(String base64) {
    return of(name + " (caBundle filled)", yaml.replace("${CA_BUNDLE}", base64));
  }

  public List<JsonNode> nodes() {
    return objects.stream().map(K8sObject::node).toList();
  }

  @Override
  public String toString() {
    return name;
  }
}
