import type { SwitchFailure } from './device-check.store';
import type { DeviceProblem, LocalSource } from './media-devices';

export type DeviceProblems = Partial<Record<LocalSource, DeviceProblem>>;

/** What went wrong with the camera and microphone, and what the speaker can do about it. */
export function describeProblems(problems: DeviceProblems): string[] {
  const { camera, microphone } = problems;
  if (camera === 'denied' && microphone === 'denied') {
    return [
      'Your browser blocks the camera and microphone for this page. Allow both in the site settings (the icon next to the address), then select “Try again”.',
    ];
  }
  if (camera === 'missing' && microphone === 'missing') {
    return ['No camera or microphone was found. Connect one, then select “Try again”.'];
  }
  return [...(microphone ? [MICROPHONE[microphone]] : []), ...(camera ? [CAMERA[camera]] : [])];
}

const MICROPHONE: Record<DeviceProblem, string> = {
  denied:
    'Your browser blocks the microphone for this page, so nobody would hear you. Allow it in the site settings (the icon next to the address), then select “Try again”.',
  missing: 'No microphone was found, so nobody would hear you. Connect one, then select “Try again”.',
  busy: 'Your microphone is in use by another app. Close that app, then select “Try again”.',
  failed: 'Your microphone could not be started. Select “Try again”, or choose another one.',
};

const CAMERA: Record<DeviceProblem, string> = {
  denied:
    'Your browser blocks the camera for this page. Allow it in the site settings (the icon next to the address) and select “Try again”, or join with your microphone only.',
  missing: 'No camera was found. You can join with your microphone only.',
  busy: 'Your camera is in use by another app. Close that app and select “Try again”, or join without camera.',
  failed: 'Your camera could not be started. Select “Try again”, or join without camera.',
};

const SHORT: Record<LocalSource, Record<DeviceProblem | 'none', string>> = {
  camera: {
    denied: 'Camera blocked',
    missing: 'No camera found',
    busy: 'Camera in use by another app',
    failed: 'Camera not working',
    none: 'No camera',
  },
  microphone: {
    denied: 'Microphone blocked',
    missing: 'No microphone found',
    busy: 'Microphone in use by another app',
    failed: 'Microphone not working',
    none: 'No microphone',
  },
};

/** A few words for where the device would be (the preview, the list). */
export function shortProblem(source: LocalSource, problem: DeviceProblem | undefined): string {
  return SHORT[source][problem ?? 'none'];
}

const SWITCH: Record<DeviceProblem, (device: string) => string> = {
  denied: (device) => `Your browser blocks this ${device}.`,
  missing: (device) => `This ${device} was not found: check that it is plugged in.`,
  busy: (device) => `This ${device} is in use by another app.`,
  failed: (device) => `This ${device} could not be started.`,
};

/** Why the device just chosen is not used, and that the previous one still is. */
export function switchProblem({ source, problem }: SwitchFailure): string {
  return `${SWITCH[problem](source)} You are still using the previous one.`;
}
