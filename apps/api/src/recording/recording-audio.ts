import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRecordingPlaylist } from '../broadcast/broadcast-playlist';
import { interpretationPlaylistsIn } from '../broadcast/continuous/renditions';
import { HLS_PLAYLIST } from '../broadcast/hls-files';
import { parseMediaPlaylist } from '../broadcast/hls-playlist';
import { mp4LanguageOf } from './recording-captions';
import type { RecordingInterpretation } from './recording-export';

/** An interpretation track's name in players, in English (as "Floor"): "Interpretation: French". */
export function interpretationTrackTitle(language: string): string {
  let name = language;
  try {
    name = new Intl.DisplayNames(['en'], { type: 'language' }).of(language) ?? language;
  } catch {
    // not a tag Intl knows: the tag itself
  }
  return `Interpretation: ${name}`;
}

/**
 * The interpretation languages an event's `index.m3u8` lists (alternate audio renditions, kept whole), in
 * its order, each with every run of its rendition: the recording's audio tracks after the floor's.
 */
export async function recordingInterpretations(dir: string): Promise<RecordingInterpretation[]> {
  const multivariant = await readFile(join(dir, HLS_PLAYLIST), 'utf8').catch(() => '');
  const interpretations: RecordingInterpretation[] = [];
  for (const { language, playlist } of interpretationPlaylistsIn(multivariant)) {
    const text = await readRecordingPlaylist(dir, playlist);
    if (!text) continue;
    interpretations.push({
      mp4Language: mp4LanguageOf(language),
      title: interpretationTrackTitle(language),
      runs: parseMediaPlaylist(text).runs,
    });
  }
  return interpretations;
}
