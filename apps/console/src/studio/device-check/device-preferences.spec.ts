import { TestBed } from '@angular/core/testing';
import { DevicePreferences } from './device-preferences';

describe('DevicePreferences', () => {
  const KEY = 'pressroom.studio.devices';
  let preferences: DevicePreferences;

  beforeEach(() => (preferences = TestBed.inject(DevicePreferences)));

  afterEach(() => {
    localStorage.clear();
    vi.restoreAllMocks();
  });

  it('remembers one device per kind, keeping the others', () => {
    expect(preferences.read()).toEqual({});
    preferences.remember('microphone', 'mic-2');
    preferences.remember('speaker', 'out-2');
    preferences.remember('microphone', 'mic-3');
    expect(preferences.read()).toEqual({ microphone: 'mic-3', speaker: 'out-2' });
  });

  it('ignores what it did not write: broken JSON, other values, other keys', () => {
    localStorage.setItem(KEY, '{not json');
    expect(preferences.read()).toEqual({});
    localStorage.setItem(KEY, JSON.stringify(['mic-1']));
    expect(preferences.read()).toEqual({});
    localStorage.setItem(KEY, JSON.stringify({ camera: 42, microphone: '', speaker: 'out-1', label: 'Headset' }));
    expect(preferences.read()).toEqual({ speaker: 'out-1' });
  });

  it('without storage (blocked or full), remembers nothing and never throws', () => {
    vi.spyOn(Storage.prototype, 'setItem').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded', 'QuotaExceededError');
    });
    expect(() => preferences.remember('camera', 'cam-2')).not.toThrow();
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('Access is denied for this document', 'SecurityError');
    });
    expect(preferences.read()).toEqual({});
  });
});
