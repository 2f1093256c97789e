/**
 * The external address of a client Service, from its live status: what a LoadBalancer's
 * controller publishes (`status.loadBalancer.ingress[0]`, an IP or a hostname). Pure.
 */
import type * as k8s from "@pulumi/kubernetes";

/**
 * `status.loadBalancer.ingress[0].ip`, else its `hostname` (cloud load balancers behind DNS), else
 * `""`: a ClusterIP or NodePort Service, or a LoadBalancer no controller has served yet.
 */
export function loadBalancerAddress(status: k8s.types.output.core.v1.ServiceStatus | undefined): string {
    const ingress = status?.loadBalancer?.ingress?.[0];
    return ingress?.ip ?? ingress?.hostname ?? "";
}
