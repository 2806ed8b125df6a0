/** Two worker nodes, so endpoints spread and cross-node paths (and Local policies) show. */
export const TWO_NODES = `apiVersion: v1
kind: Node
metadata:
  name: node-1
---
apiVersion: v1
kind: Node
metadata:
  name: node-2
`;

/** A client pod to send from: not behind any Service of the scenario. */
export const CLIENT_POD = `apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  nodeName: node-1
  containers:
    - name: curl
      image: curlimages/curl:8.10.1
      command: ["sleep", "infinity"]
`;
