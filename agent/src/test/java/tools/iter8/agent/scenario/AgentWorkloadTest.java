package tools.iter8.agent.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.iter8.agent.Agent;
import tools.iter8.agent.kube.ResourceKind;
import tools.iter8.core.api.ApiMapper;
import tools.iter8.core.api.Experiment;
import tools.iter8.core.lifecycle.ExperimentFacts;
import tools.iter8.core.workload.TemplateHash;
import tools.iter8.core.workload.WorkloadKeys;
import tools.iter8.core.workload.WorkloadKind;
import tools.iter8.testkit.traffic.SimulatedApp;
import tools.iter8.testkit.traffic.VersionProfile;

/**
 * Zero-touch experiments on a plain Deployment (docs/workloads.md): the workload carries what the
 * webhook writes on an UPDATE of a new version (paused, hashes, the generated Experiment); the agent
 * materialises the Experiment once, runs the candidate Deployment by replica ratio behind the same
 * Service, and promotes (unpause, candidate removed, annotations cleaned) or rolls back (the baseline
 * template restored from its ReplicaSet, the rejected template recorded).
 */
class AgentWorkloadTest {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static AgentHarness harness;

  @BeforeAll
  static void start() throws Exception {
    harness = new AgentHarness();
  }

  @AfterAll
  static void stop() {
    harness.close();
  }

  private static ObjectNode deployment(String ns, String image) {
    return (ObjectNode) ApiMapper.read("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: myapp
          namespace: %s
          labels: {app: myapp, iter8.tools/watch: "true"}
        spec:
          replicas: 4
          selector: {matchLabels: {app: myapp}}
          template:
            metadata: {labels: {app: myapp}}
            spec: {containers: [{name: myapp, image: "%s"}]}
        """.formatted(ns, image), JsonNode.class);
  }

  /** What the webhook makes of the UPDATE to {@code image}: the new template staged, the experiment generated. */
  private static ObjectNode staged(JsonNode stored, String image, String name) {
    ObjectNode next = stored.deepCopy();
    String baseline = TemplateHash.of(WorkloadKind.DEPLOYMENT, stored);
    ((ObjectNode) next.at("/spec/template/spec/containers/0")).put("image", image);
    String candidate = TemplateHash.of(WorkloadKind.DEPLOYMENT, next);
    String ns = stored.at("/metadata/namespace").asText();
    String experiment = """
        {"apiVersion":"iter8.tools/v2alpha2","kind":"Experiment",
         "metadata":{"name":"%4$s","namespace":"%1$s","labels":{"iter8.tools/generated":"true","iter8.tools/workload":"myapp"},
                     "annotations":{"iter8.tools/baseline-hash":"%2$s","iter8.tools/candidate-hash":"%3$s"}},
         "spec":{"target":"%1$s/myapp",
           "targetRef":{"apiVersion":"apps/v1","kind":"Deployment","namespace":"%1$s","name":"myapp"},
           "routing":{"router":"Replicas"},
           "strategy":{"testingPattern":"Canary","deploymentPattern":"Progressive",
             "weights":{"maxCandidateWeight":50,"maxCandidateWeightIncrement":10},
             "actions":{"finish":[{"if":"CandidateWon()","task":"common/promote"},{"if":"not CandidateWon()","task":"common/rollback"}],
                        "rollback":[{"task":"common/rollback"}],"failure":[{"task":"common/rollback"}]}},
           "criteria":{"requestCount":"iter8-http/request-count","strength":0.95,
             "objectives":[{"metric":"iter8-http/error-rate","upperLimit":"0.02","rollback_on_failure":true}]},
           "duration":{"intervalSeconds":1,"iterationsPerLoop":30,"maxLoops":1},
           "versionInfo":{
             "baseline":{"name":"baseline","variables":[{"name":"namespace","value":"%1$s"},{"name":"workload","value":"myapp"},{"name":"hash","value":"%2$s"}]},
             "candidates":[{"name":"candidate","variables":[{"name":"namespace","value":"%1$s"},{"name":"workload","value":"%4$s"},{"name":"hash","value":"%3$s"}]}]}}}
        """.formatted(ns, baseline, candidate, name);
    ((ObjectNode) next.get("spec")).put("paused", true);
    ObjectNode annotations = ((ObjectNode) next.get("metadata")).with("annotations");
    annotations.put(WorkloadKeys.EXPERIMENT, name);
    annotations.put(WorkloadKeys.EXPERIMENT_SPEC, ApiMapper.toJson(ApiMapper.read(experiment, JsonNode.class)));
    annotations.put(WorkloadKeys.BASELINE_HASH, baseline);
    annotations.put(WorkloadKeys.CANDIDATE_HASH, candidate);
    annotations.put(WorkloadKeys.STATUS, "experiment " + name + " started for template " + candidate);
    return next;
  }

  private static JsonNode release(String ns, String image, String name) {
    harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
    JsonNode v1 = harness.apply(deployment(ns, "ghcr.io/example/myapp:v1"));
    // The Deployment controller stand-in rolls v1 out; the webhook stages v2 on top of it.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        !AgentHarness.join(harness.ops.list(ResourceKind.REPLICA_SET, ns, null)).isEmpty());
    JsonNode stored = harness.object(ResourceKind.DEPLOYMENT, ns, "myapp");
    return AgentHarness.join(harness.ops.replace(ResourceKind.DEPLOYMENT, ns, "myapp", staged(stored, image, name)));
  }

  private static SimulatedApp app(long seed, VersionProfile candidate) {
    return new SimulatedApp(400, seed).version("baseline", VersionProfile.healthy()).version("candidate", candidate);
  }

  @Test
  void aHealthyNewVersionIsPromotedAndTheDeploymentEndsAsTheUserAppliedIt() {
    String ns = "gen-promote";
    SimulatedApp app = app(31, VersionProfile.healthy());
    Agent agent = harness.startAgent(ns, false, new SimulatedMetrics(app));
    try {
      harness.drive(ns, "myapp-1c2d3e4f", app, 0);
      release(ns, "ghcr.io/example/myapp:v2", "myapp-1c2d3e4f");

      harness.awaitExperiment(ns, "myapp-1c2d3e4f", e -> ExperimentFacts.completedIterations(e) >= 1, LIMIT);
      JsonNode candidate = harness.object(ResourceKind.DEPLOYMENT, ns, "myapp-1c2d3e4f");
      // A second event on the workload while the experiment runs must not create a second experiment.
      AgentHarness.join(harness.ops.mergePatch(ResourceKind.DEPLOYMENT, ns, "myapp",
          (ObjectNode) ApiMapper.read("{metadata: {labels: {team: shop}}}", JsonNode.class)));
      Experiment done = harness.awaitExperiment(ns, "myapp-1c2d3e4f", ExperimentFacts::completed, LIMIT);

      assertThat(candidate.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("ghcr.io/example/myapp:v2");
      assertThat(done.status().decision().action()).isEqualTo("Promote");
      assertThat(AgentHarness.join(harness.ops.list(ResourceKind.EXPERIMENT, ns, null))).hasSize(1);
      JsonNode d = harness.object(ResourceKind.DEPLOYMENT, ns, "myapp");
      assertThat(d.at("/spec/paused").asBoolean(false)).isFalse();
      assertThat(d.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("ghcr.io/example/myapp:v2");
      JsonNode annotations = d.at("/metadata/annotations");
      for (String gone : new String[] {WorkloadKeys.EXPERIMENT, WorkloadKeys.EXPERIMENT_SPEC,
          WorkloadKeys.CANDIDATE_HASH, WorkloadKeys.BASELINE_HASH}) {
        assertThat(annotations.has(gone)).as(gone + " removed").isFalse();
      }
      assertThat(AgentHarness.join(harness.ops.get(ResourceKind.DEPLOYMENT, ns, "myapp-1c2d3e4f"))).as("candidate removed").isEmpty();
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void aFailingNewVersionIsRolledBackToTheBaselineTemplateAndRecordedAsRejected() {
    String ns = "gen-rollback";
    SimulatedApp app = app(32, VersionProfile.healthy().withErrorRate(0.15));
    Agent agent = harness.startAgent(ns, false, new SimulatedMetrics(app));
    try {
      harness.drive(ns, "myapp-9a8b7c6d", app, 0);
      JsonNode staged = release(ns, "ghcr.io/example/myapp:v2-broken", "myapp-9a8b7c6d");
      String baselineHash = staged.at("/metadata/annotations/" + WorkloadKeys.BASELINE_HASH.replace("/", "~1")).asText();
      String candidateHash = staged.at("/metadata/annotations/" + WorkloadKeys.CANDIDATE_HASH.replace("/", "~1")).asText();

      Experiment done = harness.awaitExperiment(ns, "myapp-9a8b7c6d", ExperimentFacts::completed, LIMIT);

      assertThat(done.status().decision().action()).isEqualTo("Rollback");
      JsonNode d = harness.object(ResourceKind.DEPLOYMENT, ns, "myapp");
      assertThat(d.at("/spec/paused").asBoolean(false)).isFalse();
      assertThat(d.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("ghcr.io/example/myapp:v1");
      assertThat(TemplateHash.of(WorkloadKind.DEPLOYMENT, d)).isEqualTo(baselineHash);
      JsonNode annotations = d.at("/metadata/annotations");
      assertThat(annotations.path(WorkloadKeys.REJECTED_HASH).asText()).isEqualTo(candidateHash);
      assertThat(annotations.path(WorkloadKeys.REJECTED_EXPERIMENT).asText()).isEqualTo("myapp-9a8b7c6d");
      assertThat(annotations.has(WorkloadKeys.EXPERIMENT)).isFalse();
      assertThat(annotations.path(WorkloadKeys.STATUS).asText()).startsWith("rejected");
      assertThat(AgentHarness.join(harness.ops.get(ResourceKind.DEPLOYMENT, ns, "myapp-9a8b7c6d"))).isEmpty();
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void aKnativeExperimentIsMaterialisedOnceTheCandidateRevisionExistsWithThatRevision() {
    String ns = "gen-knative";
    Agent agent = harness.startAgent(ns, false, new SimulatedMetrics(new SimulatedApp(1, 1)));
    try {
      harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
      String experiment = """
          {"apiVersion":"iter8.tools/v2alpha2","kind":"Experiment","metadata":{"name":"svc-5e6f7a8b","namespace":"%1$s",
            "labels":{"iter8.tools/generated":"true","iter8.tools/workload":"svc"}},
           "spec":{"target":"%1$s/svc","targetRef":{"apiVersion":"serving.knative.dev/v1","kind":"Service","namespace":"%1$s","name":"svc"},
             "routing":{"router":"Knative"},"strategy":{"testingPattern":"Canary"},
             "criteria":{"requestCount":"iter8-http/request-count","objectives":[{"metric":"iter8-http/error-rate","upperLimit":"0.02"}]},
             "duration":{"intervalSeconds":1,"iterationsPerLoop":100},
             "versionInfo":{"baseline":{"name":"baseline","variables":[{"name":"revision","value":"svc-00001"}]},
               "candidates":[{"name":"candidate","variables":[{"name":"workload","value":"svc"}]}]}}}""".formatted(ns);
      ObjectNode svc = (ObjectNode) ApiMapper.read("""
          apiVersion: serving.knative.dev/v1
          kind: Service
          metadata:
            name: svc
            namespace: %s
            labels: {iter8.tools/watch: "true"}
          spec:
            template: {spec: {containers: [{image: "ghcr.io/example/svc:v2"}]}}
            traffic: [{revisionName: svc-00001, percent: 100}, {latestRevision: true, percent: 0, tag: candidate}]
          """.formatted(ns), JsonNode.class);
      ObjectNode annotations = svc.with("metadata").with("annotations");
      annotations.put(WorkloadKeys.EXPERIMENT, "svc-5e6f7a8b");
      annotations.put(WorkloadKeys.EXPERIMENT_SPEC, ApiMapper.toJson(ApiMapper.read(experiment, JsonNode.class)));
      annotations.put(WorkloadKeys.BASELINE_HASH, "0000000000000001");
      annotations.put(WorkloadKeys.CANDIDATE_HASH, "0000000000000002");
      JsonNode created = harness.apply(svc);

      // Knative has not created the new revision yet: no experiment.
      Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() ->
          AgentHarness.join(harness.ops.get(ResourceKind.EXPERIMENT, ns, "svc-5e6f7a8b")).isEmpty());
      ObjectNode withStatus = created.deepCopy();
      withStatus.putObject("status").put("latestReadyRevisionName", "svc-00001").put("latestCreatedRevisionName", "svc-00002");
      AgentHarness.join(harness.ops.replaceStatus(ResourceKind.KNATIVE_SERVICE, ns, "svc", withStatus));

      Experiment e = harness.awaitExperiment(ns, "svc-5e6f7a8b", x -> true, Duration.ofSeconds(10));
      assertThat(e.spec().versionInfo().candidates().get(0).variables())
          .anySatisfy(v -> {
            assertThat(v.name()).isEqualTo("revision");
            assertThat(v.value()).isEqualTo("svc-00002");
          });
      assertThat(e.metadata().extra().get("ownerReferences").get(0).path("name").asText()).isEqualTo("svc");
    } finally {
      harness.stopAgent(agent);
    }
  }

  @Test
  void aNewTemplateThatBypassedTheWebhookIsReportedNotExperimentedOn() {
    String ns = "gen-bypass";
    Agent agent = harness.startAgent(ns, false, new SimulatedMetrics(new SimulatedApp(1, 1)));
    try {
      harness.apply(ApiMapper.read(Scenarios.namespace(ns), JsonNode.class));
      harness.apply(deployment(ns, "ghcr.io/example/myapp:v1"));
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          !AgentHarness.join(harness.ops.list(ResourceKind.REPLICA_SET, ns, null)).isEmpty());
      // The webhook was down (failurePolicy Ignore): v2 is written as the user sent it, unstaged.
      ObjectNode v2 = harness.object(ResourceKind.DEPLOYMENT, ns, "myapp").deepCopy();
      ((ObjectNode) v2.at("/spec/template/spec/containers/0")).put("image", "ghcr.io/example/myapp:v2");
      AgentHarness.join(harness.ops.replace(ResourceKind.DEPLOYMENT, ns, "myapp", v2));

      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
          harness.object(ResourceKind.DEPLOYMENT, ns, "myapp").at("/metadata/annotations")
              .path(WorkloadKeys.STATUS).asText().contains("without an experiment"));
      String status = harness.object(ResourceKind.DEPLOYMENT, ns, "myapp").at("/metadata/annotations").path(WorkloadKeys.STATUS).asText();
      assertThat(status).contains(TemplateHash.of(WorkloadKind.DEPLOYMENT, v2)).contains("webhook");
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
          AgentHarness.join(harness.ops.list(ResourceKind.EVENT, ns, null)).stream()
              .anyMatch(ev -> "BypassedWebhook".equals(ev.path("reason").asText()) && "Warning".equals(ev.path("type").asText())));
      assertThat(AgentHarness.join(harness.ops.list(ResourceKind.EXPERIMENT, ns, null))).isEmpty();
    } finally {
      harness.stopAgent(agent);
    }
  }
}
