import { describe, expect, it } from 'vitest';
import { detectDrift } from './drift.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: gateway
  namespace: ai
  labels: { app.kubernetes.io/managed-by: modelgate }
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: gateway
          image: node:20-alpine
          env:
            - { name: OPENAI_API_KEY, valueFrom: { secretKeyRef: { name: llm, key: openai } } }
`;

/** What `kubectl get deploy,cm -o yaml` prints: a List, with status, defaults and bookkeeping added. */
function dump(replicas: number, extra = ''): string {
  return `apiVersion: v1
kind: List
items:
  - apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: gateway
      namespace: ai
      uid: 4f7c1b2e
      resourceVersion: "1234"
      labels: { app.kubernetes.io/managed-by: modelgate }
      annotations: { deployment.kubernetes.io/revision: "4" }
    spec:
      replicas: ${replicas}
      progressDeadlineSeconds: 600
      template:
        spec:
          dnsPolicy: ClusterFirst
          containers:
            - name: gateway
              image: node:20-alpine
              imagePullPolicy: IfNotPresent
              terminationMessagePath: /dev/termination-log
              env:
                - { name: OPENAI_API_KEY, valueFrom: { secretKeyRef: { name: llm, key: openai } } }
    status: { readyReplicas: ${replicas} }
${extra}`;
}

describe('detectDrift', () => {
  it('ignores what the cluster adds, and finds a field changed by hand', () => {
    expect(detectDrift({ k8s: { 'deployment.yaml': deployment } }, { k8s: { 'live.yaml': dump(3) } })).toEqual([]);
    expect(detectDrift({ k8s: { 'deployment.yaml': deployment } }, { k8s: { 'live.yaml': dump(5) } })).toEqual([
      {
        target: 'k8s',
        id: 'Deployment/ai/gateway',
        status: 'changed',
        fields: [{ op: 'change', path: ['spec', 'replicas'], before: 5, after: 3 }],
      },
    ]);
  });

  it('reports objects missing from the cluster and stale ones the build no longer makes', () => {
    const stale = `  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: old-config, namespace: ai, labels: { app.kubernetes.io/managed-by: modelgate } }
  - apiVersion: v1
    kind: ConfigMap
    metadata: { name: kube-root-ca.crt, namespace: ai }
`;
    const configMap = 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: gateway-config, namespace: ai }\ndata: { a: b }\n';
    const items = detectDrift(
      { k8s: { 'deployment.yaml': deployment, 'configmap.yaml': configMap } },
      { k8s: { 'live.yaml': dump(3, stale) } },
    );
    expect(items.map((i) => [i.status, i.id])).toEqual([
      ['missing', 'ConfigMap/ai/gateway-config'],
      ['unexpected', 'ConfigMap/ai/old-config'],
    ]);
  });

  it('compares files by value for JSON and YAML, and shows a diff of the deployed file', () => {
    const built = { node: { 'config.json': '{"a":1,"b":[1,2]}', 'gateway.mjs': 'export {};\n' } };
    expect(detectDrift(built, { node: { 'config.json': '{\n  "b": [1, 2],\n  "a": 1\n}\n', 'gateway.mjs': 'export {};\n' } })).toEqual([]);
    const drifted = detectDrift(built, { node: { 'config.json': '{"a":2,"b":[1,2]}', 'extra.txt': 'x' } });
    expect(drifted.map((i) => [i.status, i.id])).toEqual([
      ['changed', 'config.json'],
      ['missing', 'gateway.mjs'],
      ['unexpected', 'extra.txt'],
    ]);
    expect(drifted[0].diff).toContain('-  "a": 2,\n+  "a": 1,');
  });
});
