// undici's HTTP/1.1 client is imported by path (upstream.ts): the package's index would bundle all of undici
// (fetch, WebSocket, caches, mocks) into gateway.mjs, which must fit a Kubernetes ConfigMap. The package
// declares types for its index only.
declare module 'undici/lib/dispatcher/client.js' {
  import { Client } from 'undici';
  export default Client;
}
