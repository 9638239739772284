import { Counter, Gauge } from 'prom-client';

export const liveConnections = new Gauge({
  name: 'pressroom_live_connections',
  help: 'Realtime connections open on this API node',
});

export const liveMessages = new Counter({
  name: 'pressroom_live_messages_total',
  help: 'Realtime messages received, by action (unknown ones as "unknown")',
  labelNames: ['action'] as const,
});

export const liveRefusals = new Counter({
  name: 'pressroom_live_refusals_total',
  help: 'Realtime messages refused before reaching a handler, by reason',
  labelNames: ['reason'] as const,
});

export const liveConnectionsRefused = new Counter({
  name: 'pressroom_live_connections_refused_total',
  help: 'Realtime connections refused because their client address holds LIVE_CONNECTIONS_PER_ADDRESS already',
});
