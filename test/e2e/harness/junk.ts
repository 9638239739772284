/**
 * The seeded fuzz generator of the bad-input suites: no dependency, the same messages for the same seed,
 * and only payloads that are invalid for their action.
 */
import { CLIENT_ACTIONS, LIMITS, type ClientActionName } from '@pressroom/protocol';
import { SOCKET_LIMIT_BYTES } from './bad-input';

/** mulberry32: small, fast, and the same sequence for the same seed on every run. */
export class Rng {
  constructor(private state: number) {}
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  between(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  uuid(): string {
    const hex = () => this.int(16).toString(16);
    const part = (n: number) => Array.from({ length: n }, hex).join('');
    return `${part(8)}-${part(4)}-4${part(3)}-${this.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
  }
}

const POLLUTION_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'isAdmin',
  'role',
  'then',
];
const UNICODE = [
  'é',
  '漢字',
  '😀',
  '👩‍👩‍👧',
  '\u202e',
  '\u200b',
  '\u0000',
  '\ud800',
  '\uffff',
  'ﷺ',
  '𝔘𝔫𝔦',
  '\n',
  '"',
  '\\',
  '<script>alert(1)</script>',
  "'; DROP TABLE question; --",
  '%s%n',
  '${x}',
];
const NUMBERS = [0, -1, 1, 42, 2 ** 31, 2 ** 53 + 1, -1e308, 1e308, Math.PI, 5e-324, -0.5];
const RESERVED_ON_CLIENT = new Set([
  'connect',
  'connect_error',
  'disconnect',
  'disconnecting',
  'newListener',
  'removeListener',
]);

export type FieldKind =
  'id' | 'nullableId' | 'text' | 'topic' | 'ids' | 'bool' | 'direction' | 'mediaKind' | 'source' | 'params';
export const FIELDS: { [A in ClientActionName]: Record<string, FieldKind> } = {
  'chat:send': { text: 'text' },
  'caption:send': { text: 'text', interim: 'bool' },
  'question:ask': { text: 'text' },
  'question:vote': { questionId: 'id' },
  'hand:raise': { topic: 'topic' },
  'hand:lower': {},
  'chat:approve': { messageId: 'id' },
  'chat:hide': { messageId: 'id' },
  'question:approve': { questionId: 'id' },
  'question:reject': { questionId: 'id' },
  'question:edit': { questionId: 'id', text: 'text' },
  'question:order': { questionIds: 'ids' },
  'question:answered': { questionId: 'id' },
  'question:onAir': { questionId: 'nullableId' },
  'hand:ack': { handId: 'id' },
  'hand:dismiss': { handId: 'id' },
  'user:mute': { participantId: 'id', muted: 'bool' },
  'user:ban': { participantId: 'id' },
  'stage:invite': { handId: 'id' },
  'stage:remove': { participantId: 'id' },
  'stage:mute': { participantId: 'id', muted: 'bool' },
  'stage:accept': {},
  'stage:decline': {},
  'stage:leave': {},
  'studio:join': {},
  'studio:leave': {},
  'studio:createTransport': { direction: 'direction' },
  'studio:connectTransport': { transportId: 'id', dtlsParameters: 'params' },
  'studio:produce': { transportId: 'id', kind: 'mediaKind', rtpParameters: 'params', source: 'source' },
  'studio:consume': { transportId: 'id', producerId: 'id', rtpCapabilities: 'params' },
  'studio:resumeConsumer': { consumerId: 'id' },
  'studio:pauseProducer': { producerId: 'id' },
  'studio:resumeProducer': { producerId: 'id' },
  'studio:closeProducer': { producerId: 'id' },
};

function junkString(rng: Rng, maxLength: number): string {
  let out = '';
  const length = rng.int(maxLength + 1);
  while (out.length < length) out += rng.chance(0.3) ? rng.pick(UNICODE) : String.fromCharCode(rng.between(32, 126));
  return out;
}

function junkKey(rng: Rng): string {
  return rng.pick([
    () => rng.pick(POLLUTION_KEYS),
    () => junkString(rng, 12),
    () => '',
    () => 'k'.repeat(rng.between(100, 2000)),
  ])();
}

function nested(rng: Rng, depth: number): unknown {
  const useArray = rng.chance(0.5);
  let value: unknown = rng.pick([null, 1, 'bottom', true]);
  for (let i = 0; i < depth; i++)
    value = useArray ? [value] : { [rng.pick(['a', '__proto__', 'constructor', 'x'])]: value };
  return value;
}

function junkValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(depth > 3 ? 6 : 9)) {
    case 0:
      return null;
    case 1:
      return rng.chance(0.5);
    case 2:
      return rng.pick(NUMBERS);
    case 3:
      return junkString(rng, 40);
    case 4:
      return rng.pick(['', ' ', 'null', 'undefined', 'true', '[object Object]']);
    case 5:
      return rng.uuid();
    case 6:
      return Array.from({ length: rng.int(6) }, () => junkValue(rng, depth + 1));
    case 7:
      return junkObject(rng, depth + 1);
    default:
      return nested(rng, rng.between(10, 200));
  }
}

/** An object with at least one key that no action knows, plus maybe prototype-pollution keys. */
function junkObject(rng: Rng, depth = 0, minKeys = 1): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  const count = rng.between(minKeys, 5);
  for (let i = 0; i < count; i++)
    Object.defineProperty(object, junkKey(rng), {
      value: junkValue(rng, depth),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  // Always at least one plainly unknown key, so the object is never valid for any action.
  object[`zz_${rng.int(1e6)}`] = junkValue(rng, depth);
  return object;
}

function wellFormed(kind: FieldKind, rng: Rng): unknown {
  switch (kind) {
    case 'id':
    case 'nullableId':
      return rng.uuid();
    case 'text':
      return 'A perfectly fine text';
    case 'topic':
      return 'A topic';
    case 'ids':
      return [rng.uuid()];
    case 'bool':
      return true;
    case 'direction':
      return 'send';
    case 'mediaKind':
      return 'audio';
    case 'source':
      return 'microphone';
    case 'params':
      return {};
  }
}

const notAString = (rng: Rng): unknown =>
  rng.pick([() => rng.pick(NUMBERS), () => rng.chance(0.5), () => junkObject(rng, 2), () => [junkValue(rng, 2)]])();

/** A value of the wrong type, malformed or oversized for this kind of field: never valid. */
function invalidFor(kind: FieldKind, rng: Rng): unknown {
  const notUuid = () =>
    rng.pick([
      `x${junkString(rng, 30)}`,
      `${rng.uuid()}x`,
      rng.uuid().toUpperCase().replace(/-/g, ''),
      '',
      ' ',
      'g'.repeat(36),
    ]);
  switch (kind) {
    case 'id':
      return rng.pick([notAString, () => null, notUuid, () => 'i'.repeat(rng.between(1000, 50_000))])(rng);
    case 'nullableId':
      return rng.pick([notAString, notUuid, () => 'i'.repeat(rng.between(1000, 50_000))])(rng);
    case 'text':
      return rng.pick([
        notAString,
        () => null,
        () => rng.pick(['', '   ', '\n\t \r']),
        () => 'x'.repeat(rng.between(LIMITS.questionText + 1, LIMITS.questionText + 3000)),
        () => 'w'.repeat(rng.between(10_000, 58_000)),
        () => '😀'.repeat(rng.between(LIMITS.chatText + 1, 5000)),
      ])(rng);
    case 'topic':
      return rng.pick([notAString, () => 't'.repeat(rng.between(LIMITS.handTopic + 1, 30_000))])(rng);
    case 'ids':
      return rng.pick([
        notAString,
        () => null,
        () => rng.uuid(),
        () => [rng.uuid(), junkValue(rng, 2)].concat(rng.chance(0.5) ? [notUuid()] : [null]),
        () => Array.from({ length: 1001 + rng.int(200) }, () => rng.uuid()),
      ])(rng);
    case 'bool':
      return rng.pick([
        () => rng.pick(NUMBERS),
        () => rng.pick(['true', 'false', '']),
        () => null,
        () => [true],
        () => ({}),
      ])();
    case 'direction':
    case 'mediaKind':
    case 'source':
      return rng.pick([notAString, () => null, () => junkString(rng, 20).toUpperCase() + '!'])(rng);
    case 'params':
      return rng.pick([() => rng.pick(NUMBERS), () => null, () => junkString(rng, 40), () => rng.chance(0.5)])();
  }
}

function junkActionName(rng: Rng): string {
  const name = rng.pick([
    () => junkString(rng, 30),
    () => rng.pick(CLIENT_ACTIONS).toUpperCase(),
    () => `${rng.pick(CLIENT_ACTIONS)}${rng.pick([' ', ':', 'x', '\u0000', '/'])}`,
    () =>
      rng.pick(['state', 'action:error', 'counters', 'question:pending', 'user:banned', 'error', 'ping', 'message']),
    () => rng.pick(POLLUTION_KEYS),
    () => 'n'.repeat(rng.between(100, 3000)),
    () => '',
  ])();
  return RESERVED_ON_CLIENT.has(name) ? `${name}!` : name;
}

export interface JunkMessage {
  action: string;
  kind: string;
  /** What goes after the event name (empty: no payload at all). */
  args: unknown[];
}

export function junkMessage(rng: Rng): JunkMessage {
  for (;;) {
    const known = rng.chance(0.7);
    const action = known ? rng.pick(CLIENT_ACTIONS) : junkActionName(rng);
    const fields = known ? FIELDS[action as ClientActionName] : { text: 'text' as FieldKind };
    const base = () => Object.fromEntries(Object.entries(fields).map(([name, kind]) => [name, wellFormed(kind, rng)]));
    const kinds = [
      'missing',
      'not-object',
      'extra-keys',
      'wrong-field',
      'deep',
      'huge',
      'pollution',
      'many-args',
    ] as const;
    const kind = rng.pick(kinds);
    let args: unknown[];
    switch (kind) {
      case 'missing':
        args = [];
        break;
      case 'not-object':
        args = [
          rng.pick([
            null,
            rng.pick(NUMBERS),
            junkString(rng, 50),
            rng.chance(0.5),
            Array.from({ length: rng.int(4) }, () => junkValue(rng, 1)),
            [base()],
          ]),
        ];
        break;
      case 'extra-keys':
        args = [{ ...base(), ...junkObject(rng) }];
        break;
      case 'wrong-field': {
        const names = Object.keys(fields);
        if (names.length === 0) {
          args = [junkObject(rng)];
          break;
        }
        const name = rng.pick(names);
        args = [{ ...base(), [name]: invalidFor(fields[name]!, rng) }];
        break;
      }
      case 'deep': {
        const depth = rng.between(50, 1000); // deeper ones overflow the client's own encoder: see the raw-frame test
        const names = Object.keys(fields);
        args = [
          rng.pick([
            () => nested(rng, depth),
            () => ({ ...base(), [`deep_${rng.int(100)}`]: nested(rng, depth) }),
            () =>
              names.length ? { ...base(), [rng.pick(names)]: [nested(rng, depth)] } : { deep: nested(rng, depth) },
          ])(),
        ];
        break;
      }
      case 'huge':
        args = [
          rng.pick([
            () => 'h'.repeat(rng.between(10_000, 60_000)),
            () => ({ ...base(), [`huge_${rng.int(100)}`]: 'h'.repeat(rng.between(10_000, 58_000)) }),
            () => Array.from({ length: rng.between(1000, 5000) }, () => rng.int(1000)),
            () => Object.fromEntries(Array.from({ length: rng.between(500, 2000) }, (_, i) => [`k${i}`, i])),
          ])(),
        ];
        break;
      case 'pollution': {
        const payload = JSON.parse(JSON.stringify(base())) as Record<string, unknown>;
        for (const key of ['__proto__', 'constructor', 'prototype']) {
          if (rng.chance(0.7))
            Object.defineProperty(payload, key, {
              value: { role: 'moderator', isAdmin: true, polluted: junkValue(rng, 2) },
              enumerable: true,
              writable: true,
              configurable: true,
            });
        }
        payload[`zz_${rng.int(1e6)}`] = true; // never valid, whatever the server does with the keys above
        args = [payload];
        break;
      }
      case 'many-args':
        args = [base(), ...Array.from({ length: rng.between(1, 4) }, () => junkValue(rng, 1))];
        break;
    }
    const bytes = args.length === 0 ? 0 : Buffer.byteLength(JSON.stringify([action, ...args]) ?? '');
    if (bytes < SOCKET_LIMIT_BYTES - 2048) return { action, kind, args };
  }
}

export function describeArgs(args: unknown[]): string {
  if (args.length === 0) return '(no payload)';
  const text = JSON.stringify(args) ?? String(args);
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
}

/** Every C0 control character (NUL included), DEL, and every C1 control character. */
export const CONTROL_CHARACTERS: readonly string[] = [
  ...Array.from({ length: 0x20 }, (_, code) => code),
  0x7f,
  ...Array.from({ length: 0x20 }, (_, i) => 0x80 + i),
].map((code) => String.fromCharCode(code));

/**
 * A string holding control characters: only them, in the middle or at the ends of ordinary text, or in a
 * UUID (ids are the first thing a server looks up). Never longer than `maxLength`.
 */
export function controlString(rng: Rng, maxLength = 60): string {
  const controls = (count: number) => Array.from({ length: count }, () => rng.pick(CONTROL_CHARACTERS)).join('');
  const text = rng.pick(['Hello world', 'When is the vote?', 'Ana García', 'Daily Planet', 'Budget']);
  const shaped = rng.pick([
    () => controls(rng.between(1, maxLength)),
    () => `${text.slice(0, 4)}${controls(rng.between(1, 5))}${text.slice(4)}`,
    () => `${controls(rng.between(1, 3))}${text}${controls(rng.between(1, 3))}`,
    () => [...text].map((char) => (rng.chance(0.3) ? `${char}${controls(1)}` : char)).join(''),
    () => {
      const uuid = rng.uuid();
      const at = rng.int(uuid.length + 1);
      return `${uuid.slice(0, at)}${controls(rng.between(1, 2))}${uuid.slice(at)}`;
    },
  ])();
  return shaped.slice(0, maxLength);
}
