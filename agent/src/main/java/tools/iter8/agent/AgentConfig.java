package tools.iter8.agent;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.iter8.core.config.EnvSettings;

/**
 * The agent's configuration, read once from the environment at start-up and validated there; a bad
 * value stops the Pod with a message naming every bad variable instead of misbehaving later.
 *
 * @param systemNamespace where the agent runs and keeps its Lease ({@code ITER8_NAMESPACE}, else the
 *     Pod's namespace from {@code POD_NAMESPACE}, else {@code iter8-system})
 * @param identity this replica's name in leader election ({@code POD_NAME}, else {@code HOSTNAME})
 * @param watchNamespaces namespaces whose experiments and workloads the agent acts on; empty = all
 * @param leaderElection whether to elect a leader (off only for single-replica development)
 * @param leaseName the Lease object replicas compete for
 * @param leaseDuration how long a lease is valid without renewal (15 s, as Strimzi and controller-runtime)
 * @param renewDeadline how long the leader keeps trying to renew before it stops acting (10 s)
 * @param retryPeriod how often candidates retry (2 s)
 * @param healthPort port of /healthz, /readyz and /metrics (0: any free port, for tests and the sandbox)
 * @param workers reconciles running at once (each experiment is still reconciled by one at a time)
 * @param kubernetesPoolSize threads of the one worker pool for blocking client-java calls
 * @param metricsTimeout timeout of one metrics query
 * @param resyncPeriod full re-list of the informers, a safety net for missed watch events
 * @param kubernetesRequestTimeout longest one Kubernetes API call may take before it is retried
 * @param metricsCaFile a PEM file of CA certificates trusted for HTTPS metrics backends in addition to the
 *     JVM's default CAs ({@code ITER8_METRICS_CA_FILE}, e.g. a mounted ConfigMap with the cluster's private
 *     CA); {@code null}: the JVM's defaults only
 * @param metricsInsecureSkipTlsVerify whether HTTPS metrics backends are trusted without verifying their
 *     certificate or host name ({@code ITER8_METRICS_INSECURE_SKIP_TLS_VERIFY}, default false). The original
 *     Iter8 always skipped verification; we verify by default because the agent sends credentials from
 *     Secrets to these backends, and an unverified peer may be anyone.
 */
public record AgentConfig(
    String systemNamespace,
    String identity,
    List<String> watchNamespaces,
    boolean leaderElection,
    String leaseName,
    Duration leaseDuration,
    Duration renewDeadline,
    Duration retryPeriod,
    int healthPort,
    int workers,
    int kubernetesPoolSize,
    Duration metricsTimeout,
    Duration resyncPeriod,
    Duration kubernetesRequestTimeout,
    String metricsCaFile,
    boolean metricsInsecureSkipTlsVerify) {

  public static AgentConfig fromEnv(Map<String, String> env) {
    EnvSettings s = new EnvSettings(env);
    AgentConfig c =
        new AgentConfig(
            s.string("ITER8_NAMESPACE", s.string("POD_NAMESPACE", "iter8-system")),
            s.string("POD_NAME", s.string("HOSTNAME", "iter8-agent")),
            s.list("ITER8_WATCH_NAMESPACES"),
            s.bool("ITER8_LEADER_ELECTION", true),
            s.string("ITER8_LEASE_NAME", "iter8-agent"),
            s.duration("ITER8_LEASE_DURATION", Duration.ofSeconds(15)),
            s.duration("ITER8_RENEW_DEADLINE", Duration.ofSeconds(10)),
            s.duration("ITER8_RETRY_PERIOD", Duration.ofSeconds(2)),
            s.integer("ITER8_HEALTH_PORT", 8080, 0, 65535),
            s.integer("ITER8_WORKERS", 4, 1, 256),
            s.integer("ITER8_KUBERNETES_POOL_SIZE", 16, 1, 512),
            s.duration("ITER8_METRICS_TIMEOUT", Duration.ofSeconds(5)),
            s.duration("ITER8_RESYNC_PERIOD", Duration.ofMinutes(10)),
            s.duration("ITER8_KUBERNETES_REQUEST_TIMEOUT", Duration.ofSeconds(15)),
            s.string("ITER8_METRICS_CA_FILE", null),
            s.bool("ITER8_METRICS_INSECURE_SKIP_TLS_VERIFY", false));
    if (c.metricsCaFile != null && !Files.isReadable(Path.of(c.metricsCaFile))) {
      s.problem("ITER8_METRICS_CA_FILE=" + c.metricsCaFile + ": not a readable file");
    }
    if (c.leaderElection) {
      // client-go's rule: the leader must give up before another replica may take the lease.
      if (c.renewDeadline.compareTo(c.leaseDuration) >= 0) {
        s.problem("ITER8_RENEW_DEADLINE must be shorter than ITER8_LEASE_DURATION");
      }
      if (c.retryPeriod.compareTo(c.renewDeadline) >= 0) {
        s.problem("ITER8_RETRY_PERIOD must be shorter than ITER8_RENEW_DEADLINE");
      }
    }
    s.check("agent");
    return c;
  }
}
