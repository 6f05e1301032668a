// @medplum/core 5 reads `WebSocket` at import time; Node 20 only has it behind a flag.
// The demo's FHIR server never opens a socket, so an inert stand-in is enough.
const g = globalThis as { WebSocket?: unknown };
g.WebSocket ??= class WebSocketUnavailable {
  constructor() {
    throw new Error('WebSocket is not available in the demo FHIR server');
  }
};
export {};
