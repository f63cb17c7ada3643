package tools.iter8.agent.scenario;

/** The resources scenarios create: a VirtualService with one route per version, and experiments over it. */
final class Scenarios {
  private Scenarios() {}

  static String namespace(String name) {
    return "{apiVersion: v1, kind: Namespace, metadata: {name: " + name + "}}";
  }

  /** A VirtualService {@code vs} routing all traffic to the first of {@code versions}. */
  static String virtualService(String ns, String... versions) {
    StringBuilder routes = new StringBuilder();
    for (int i = 0; i < versions.length; i++) {
      routes.append("      - destination: {host: app.").append(ns).append(".svc.cluster.local, subset: ")
          .append(versions[i]).append("}\n        weight: ").append(i == 0 ? 100 : 0).append('\n');
    }
    return """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata: {name: vs, namespace: %s}
        spec:
          hosts: [app.%s.svc.cluster.local]
          http:
          - route:
        %s""".formatted(ns, ns, routes);
  }

  /**
   * An experiment over {@link #virtualService}: versions by name, each with a weightObjRef to its route
   * (the original's FieldPath routing); {@code extra} is inserted under {@code spec}.
   */
  static String experiment(String ns, String name, String testing, String deployment, String criteria, int iterations,
      String... versions) {
    StringBuilder candidates = new StringBuilder();
    for (int i = 1; i < versions.length; i++) {
      candidates.append(version(ns, versions[i], i, "    - "));
    }
    return """
        apiVersion: iter8.tools/v2alpha2
        kind: Experiment
        metadata: {name: %s, namespace: %s}
        spec:
          target: %s/app
          strategy: {testingPattern: %s, deploymentPattern: %s}
          criteria:
        %s
          duration: {intervalSeconds: 1, iterationsPerLoop: %d}
          versionInfo:
            baseline:
        %s
            candidates:
        %s""".formatted(name, ns, ns, testing, deployment, criteria.indent(4).stripTrailing(), iterations,
        version(ns, versions[0], 0, "      ").stripTrailing(), candidates.toString().stripTrailing());
  }

  private static String version(String ns, String name, int route, String first) {
    String pad = " ".repeat(first.length());
    return first + "name: " + name + "\n"
        + pad + "weightObjRef: {apiVersion: networking.istio.io/v1beta1, kind: VirtualService, name: vs, namespace: "
        + ns + ", fieldPath: '.spec.http[0].route[" + route + "].weight'}\n";
  }

  /** SLOs on the built-in http metric set, rolling back on a violated error rate. */
  static final String CANARY_CRITERIA = """
      requestCount: iter8-http/request-count
      objectives:
      - {metric: iter8-http/error-rate, upperLimit: "0.02", rollback_on_failure: true}
      - {metric: iter8-http/latency-p95, upperLimit: 400}""";

  /** A business reward (e.g. conversion), a gauge per request with a known spread. */
  static final String REWARD_METRIC = """
      apiVersion: iter8.tools/v2alpha2
      kind: Metric
      metadata: {name: reward, namespace: %s}
      spec:
        description: Mean reward per request
        type: Gauge
        sampleSize: iter8-http/request-count
        posterior: {model: Normal, stddev: "0.03"}
        urlTemplate: http://simulated.invalid/api/v1/query
        jqExpression: .value
      """;
}
