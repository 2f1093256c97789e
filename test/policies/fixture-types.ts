/**
 * The shapes of the policy tests' fixtures: objects as the program renders them, typed so a test
 * that breaks one field says which field it breaks. Built by `fixtures.ts`.
 */

/** An env var of a fixture container, as written (`value` or `valueFrom`). */
export interface EnvFixture {
    name: string;
    value?: string;
    valueFrom?: { fieldRef?: { fieldPath: string; apiVersion?: string } };
}

/** A container of a fixture StatefulSet; the API-server defaults are set by `withApiDefaults`. */
export interface ContainerFixture {
    name: string;
    image?: string;
    command?: string[];
    args?: string[];
    env?: EnvFixture[];
    resources?: { requests?: { cpu?: string; memory?: string } };
    terminationMessagePath?: string;
    imagePullPolicy?: string;
}

/** A volumeClaimTemplate of a fixture StatefulSet. */
export interface ClaimTemplateFixture {
    metadata: { name: string };
    spec: {
        accessModes: string[];
        storageClassName?: string;
        volumeMode?: string;
        resources: { requests: { storage: string } };
    };
    status?: { phase: string };
}

/** StatefulSet inputs as the program renders them (and as tests break them, one field per case). */
export interface StatefulSetFixture {
    apiVersion: string;
    kind: string;
    metadata: {
        name?: string;
        namespace?: string;
        labels: Record<string, string>;
        annotations?: Record<string, string>;
    };
    spec: {
        /** A count, or the engine's unknown sentinel (a string) at preview. */
        replicas?: number | string;
        selector: { matchLabels: Record<string, string> };
        serviceName?: string;
        podManagementPolicy?: string;
        template: {
            metadata: { labels: Record<string, string>; annotations: Record<string, string> };
            spec: { containers: ContainerFixture[]; initContainers?: ContainerFixture[]; restartPolicy?: string };
        };
        volumeClaimTemplates?: ClaimTemplateFixture[];
        persistentVolumeClaimRetentionPolicy?: { whenDeleted?: string; whenScaled?: string };
        updateStrategy?: { type: string; rollingUpdate?: { partition: number } };
    };
}

/** A PodDisruptionBudget as the program renders it. */
export interface PdbFixture {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace: string };
    spec: { maxUnavailable: number; selector: { matchLabels: Record<string, string> } };
}
