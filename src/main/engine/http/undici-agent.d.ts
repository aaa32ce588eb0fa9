// undici's Agent class from its own file (undici 7 has no "exports" map, so Node resolves the path as it is). The
// package index also loads fetch, WebSocket, EventSource, the caches and the mocks: ~13 MiB of a thread's memory and
// ~90 ms of its start on Node 24, none of it used to send with an Agent. test/engine/footprint.test.ts checks that
// this is the class the package exports and that neither of the engine's threads loads the index.
declare module 'undici/lib/dispatcher/agent.js' {
  import { Agent } from 'undici';
  export default Agent;
}
