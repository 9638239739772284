/** A soft two-note chime (0.9 s, 44.1 kHz mono WAV) for the speaker test: made here, fetched from nowhere. */
export function chimeWav(): ArrayBuffer {
  const rate = 44_100;
  const notes = [
    { hz: 659.25, start: 0, length: 0.45 },
    { hz: 880, start: 0.3, length: 0.6 },
  ];
  const samples = new Int16Array(Math.round(rate * 0.9));
  for (const note of notes) {
    const from = Math.round(note.start * rate);
    const count = Math.min(Math.round(note.length * rate), samples.length - from);
    for (let i = 0; i < count; i++) {
      const t = i / rate;
      const envelope = Math.min(1, t / 0.01) * Math.exp(-t * 6);
      samples[from + i] += Math.round(0.3 * 32767 * envelope * Math.sin(2 * Math.PI * note.hz * t));
    }
  }
  const buffer = new ArrayBuffer(44 + samples.byteLength);
  const view = new DataView(buffer);
  const text = (offset: number, value: string) =>
    [...value].forEach((c, i) => view.setUint8(offset + i, c.charCodeAt(0)));
  text(0, 'RIFF');
  view.setUint32(4, 36 + samples.byteLength, true);
  text(8, 'WAVEfmt ');
  view.setUint32(16, 16, true); // fmt chunk size
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  text(36, 'data');
  view.setUint32(40, samples.byteLength, true);
  new Int16Array(buffer, 44).set(samples);
  return buffer;
}
