import type { SwitchFailure } from './device-check.store';
import type { DeviceProblem, LocalSource } from './media-devices';

export type DeviceProblems = Partial<Record<LocalSource, DeviceProblem>>;

/** What went wrong with the camera and microphone, and what the speaker can do about it. */
export function describeProblems(problems: DeviceProblems): string[] {
  const { camera, microphone } = problems;
  if (camera === 'denied' && microphone === 'denied') {
    return [
      $localize`:@@problems.bothDenied:Your browser blocks the camera and microphone for this page. Allow both in the site settings (the icon next to the address), then select “Try again”.`,
    ];
  }
  if (camera === 'missing' && microphone === 'missing') {
    return [
      $localize`:@@problems.bothMissing:No camera or microphone was found. Connect one, then select “Try again”.`,
    ];
  }
  return [...(microphone ? [MICROPHONE()[microphone]] : []), ...(camera ? [CAMERA()[camera]] : [])];
}

// Functions rather than constants: `$localize` must run after the language's messages are loaded.
const MICROPHONE = (): Record<DeviceProblem, string> => ({
  denied: $localize`:@@problems.microphone.denied:Your browser blocks the microphone for this page, so nobody would hear you. Allow it in the site settings (the icon next to the address), then select “Try again”.`,
  missing: $localize`:@@problems.microphone.missing:No microphone was found, so nobody would hear you. Connect one, then select “Try again”.`,
  busy: $localize`:@@problems.microphone.busy:Your microphone is in use by another app. Close that app, then select “Try again”.`,
  failed: $localize`:@@problems.microphone.failed:Your microphone could not be started. Select “Try again”, or choose another one.`,
});

const CAMERA = (): Record<DeviceProblem, string> => ({
  denied: $localize`:@@problems.camera.denied:Your browser blocks the camera for this page. Allow it in the site settings (the icon next to the address) and select “Try again”, or join with your microphone only.`,
  missing: $localize`:@@problems.camera.missing:No camera was found. You can join with your microphone only.`,
  busy: $localize`:@@problems.camera.busy:Your camera is in use by another app. Close that app and select “Try again”, or join without camera.`,
  failed: $localize`:@@problems.camera.failed:Your camera could not be started. Select “Try again”, or join without camera.`,
});

const SHORT = (): Record<LocalSource, Record<DeviceProblem | 'none', string>> => ({
  camera: {
    denied: $localize`:@@problems.camera.short.denied:Camera blocked`,
    missing: $localize`:@@problems.camera.short.missing:No camera found`,
    busy: $localize`:@@problems.camera.short.busy:Camera in use by another app`,
    failed: $localize`:@@problems.camera.short.failed:Camera not working`,
    none: $localize`:@@problems.camera.short.none:No camera`,
  },
  microphone: {
    denied: $localize`:@@problems.microphone.short.denied:Microphone blocked`,
    missing: $localize`:@@problems.microphone.short.missing:No microphone found`,
    busy: $localize`:@@problems.microphone.short.busy:Microphone in use by another app`,
    failed: $localize`:@@problems.microphone.short.failed:Microphone not working`,
    none: $localize`:@@problems.microphone.short.none:No microphone`,
  },
});

/** A few words for where the device would be (the preview, the list). */
export function shortProblem(source: LocalSource, problem: DeviceProblem | undefined): string {
  return SHORT()[source][problem ?? 'none'];
}

const SWITCH = (): Record<LocalSource, Record<DeviceProblem, string>> => ({
  camera: {
    denied: $localize`:@@problems.switch.camera.denied:Your browser blocks this camera.`,
    missing: $localize`:@@problems.switch.camera.missing:This camera was not found: check that it is plugged in.`,
    busy: $localize`:@@problems.switch.camera.busy:This camera is in use by another app.`,
    failed: $localize`:@@problems.switch.camera.failed:This camera could not be started.`,
  },
  microphone: {
    denied: $localize`:@@problems.switch.microphone.denied:Your browser blocks this microphone.`,
    missing: $localize`:@@problems.switch.microphone.missing:This microphone was not found: check that it is plugged in.`,
    busy: $localize`:@@problems.switch.microphone.busy:This microphone is in use by another app.`,
    failed: $localize`:@@problems.switch.microphone.failed:This microphone could not be started.`,
  },
});

/** Why the device just chosen is not used, and that the previous one still is. */
export function switchProblem({ source, problem }: SwitchFailure): string {
  return $localize`:@@problems.switch.previous:${SWITCH()[source][problem]}:problem: You are still using the previous one.`;
}
