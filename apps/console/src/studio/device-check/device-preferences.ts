import { DOCUMENT, inject, Injectable } from '@angular/core';

/** The devices a speaker chose, by the browser's device id (nothing else: no labels, no names). */
export interface DeviceChoices {
  camera?: string;
  microphone?: string;
  speaker?: string;
}

export type DeviceKind = keyof DeviceChoices;

const KEY = 'pressroom.studio.devices';
const KINDS: readonly DeviceKind[] = ['camera', 'microphone', 'speaker'];

/**
 * Remembers the speaker's devices in this browser for their next visit. Storage may be blocked or
 * full (private windows, strict settings): the studio then simply starts with the default devices.
 */
@Injectable({ providedIn: 'root' })
export class DevicePreferences {
  readonly #window = inject(DOCUMENT).defaultView;

  read(): DeviceChoices {
    let stored: unknown;
    try {
      stored = JSON.parse(this.#storage()?.getItem(KEY) ?? '{}');
    } catch {
      return {};
    }
    if (typeof stored !== 'object' || stored === null) return {};
    const choices: DeviceChoices = {};
    for (const kind of KINDS) {
      const deviceId = (stored as Record<string, unknown>)[kind];
      if (typeof deviceId === 'string' && deviceId) choices[kind] = deviceId;
    }
    return choices;
  }

  remember(kind: DeviceKind, deviceId: string): void {
    try {
      this.#storage()?.setItem(KEY, JSON.stringify({ ...this.read(), [kind]: deviceId }));
    } catch {
      // Not remembered: the next visit starts with the default devices.
    }
  }

  /** Reading `localStorage` itself throws where the browser blocks storage for the page. */
  #storage(): Storage | null {
    try {
      return this.#window?.localStorage ?? null;
    } catch {
      return null;
    }
  }
}
