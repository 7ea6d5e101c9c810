/**
 * Checks of the Kubernetes deployment in {@code k8s/}, offline: no cluster, no registry.
 *
 * <p>The manifests are rendered with the {@code kubectl kustomize} on the PATH (absent: skipped locally,
 * a failure on CI), and then
 * <ul>
 *   <li>every object is validated against a strict JSON schema of the Kubernetes 1.32 API
 *       ({@link dev.kvstore.k8s.KubernetesSchema}: unknown fields, wrong types and missing required
 *       fields fail, and {@code KubernetesSchemaTest} proves that they do);</li>
 *   <li>the manifests are matched against the apps as built: ports, probe paths, every Spring
 *       environment variable against the properties in the app jar's configuration metadata, the data
 *       directory, the advertised URL and the coordinator URLs ({@code ManifestsMatchAppsTest});</li>
 *   <li>the container images' configuration, as Jib writes it on an empty base during the apps'
 *       {@code package} ({@code target/jib-check.tar}), is matched against the manifests
 *       ({@code ContainerImagesTest}).</li>
 * </ul>
 */
package dev.kvstore.k8s;
