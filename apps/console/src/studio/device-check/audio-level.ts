import { Injectable } from '@angular/core';

/** Levels below this are silence on the meter; 0 dBFS fills it. */
const FLOOR_DB = -60;
const INTERVAL_MS = 50;

/** How loud a microphone is, measured in the browser (Web Audio), a few times a second. */
@Injectable({ providedIn: 'root' })
export class AudioLevel {
  #context: AudioContext | undefined;

  /**
   * Calls `onLevel` with 0…1 (−60…0 dBFS) until the returned function is called. It listens to a
   * copy of the track, so the meter still moves while the speaker is muted in the studio (which
   * disables the track itself): they can check a microphone before anyone hears it.
   */
  watch(track: MediaStreamTrack, onLevel: (level: number) => void): () => void {
    const context = this.#audioContext();
    const copy = track.clone();
    copy.enabled = true;
    const source = context.createMediaStreamSource(new MediaStream([copy]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 1024;
    source.connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const timer = setInterval(() => {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const sample of samples) sum += sample * sample;
      const db = 20 * Math.log10(Math.sqrt(sum / samples.length) || 1e-9);
      onLevel(Math.min(1, Math.max(0, (db - FLOOR_DB) / -FLOOR_DB)));
    }, INTERVAL_MS);
    return () => {
      clearInterval(timer);
      source.disconnect();
      copy.stop();
    };
  }

  /** One context for the page; browsers start it suspended until the first click or key press. */
  #audioContext(): AudioContext {
    if (!this.#context) {
      const context = (this.#context = new AudioContext());
      if (context.state === 'suspended') {
        const resume = () => void context.resume();
        for (const type of ['pointerdown', 'keydown']) document.addEventListener(type, resume, { once: true });
      }
    }
    return this.#context;
  }
}
