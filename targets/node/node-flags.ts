// How the gateway's Node process is started where modelgate deploys it (the k8s target) and where the bench
// measures it, so that both run the same thing.

/**
 * V8 flags of the gateway process. Under load its RSS is mostly V8's young generation: 8 MiB semi-spaces
 * instead of Node 20's 16 keep peak RSS 10–15 MB lower at the same throughput (bench/gateway.ts); 4 MiB
 * promotes more objects and costs both memory and CPU. `--expose-gc` lets the gateway collect a config load's
 * garbage right after it (gateway/main.ts), which lowers RSS after start and after a reload (bench/gateway-start.ts).
 */
export const GATEWAY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8', '--expose-gc'];
