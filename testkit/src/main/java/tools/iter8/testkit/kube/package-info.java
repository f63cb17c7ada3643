/**
 * An emulated Kubernetes API server for the agent's, CLI's and sandbox's tests: {@link
 * tools.iter8.testkit.kube.KubernetesApiEmulation} is the entry point, {@link tools.iter8.testkit.kube.FaultInjector}
 * and {@link tools.iter8.testkit.kube.RequestLog} make it misbehave and observable, and {@link
 * tools.iter8.testkit.kube.ResourceType} teaches it more resources.
 */
package tools.iter8.testkit.kube;
