import { AppError } from './app-error';

const MAX_DEPTH = 8;

/**
 * A request body or realtime payload must be a plain JSON object, a few levels deep at most, with no
 * key that names a prototype member (those are dropped silently further down instead of refused).
 * Checked before class-transformer, which would overflow the stack on deep nesting.
 */
export function assertPlainPayload(value: unknown): asserts value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AppError('bad_request', 'The payload must be an object');
  }
  assertShallow(value, 0);
}

function assertShallow(value: object, depth: number): void {
  if (depth > MAX_DEPTH) throw new AppError('bad_request', `The payload is nested more than ${MAX_DEPTH} levels deep`);
  const children = Array.isArray(value) ? value : Object.values(value);
  if (!Array.isArray(value)) {
    for (const key of Object.keys(value)) {
      if (key === '__proto__' || key === 'prototype' || key in Object.prototype) {
        throw new AppError('bad_request', `property ${key} should not exist`);
      }
    }
  }
  for (const child of children) if (child !== null && typeof child === 'object') assertShallow(child, depth + 1);
}
