import { isForgottenName } from '@pressroom/protocol';
import { randomBytes } from 'node:crypto';
import { rename, writeFile } from 'node:fs/promises';
import { broadcastText } from '../i18n/broadcast-text';
import type { SlateKind } from './broadcast-types';

/** What the lower third shows; empty strings hide it (drawtext draws nothing, box included). */
export interface LowerThirdText {
  heading: string;
  body: string;
}

export interface OnAirQuestion {
  name: string;
  outlet: string;
  text: string;
}

/** The line under the event's title on each slate, in the event's language. */
export function slateStatus(kind: SlateKind, language: string | null | undefined): string {
  return broadcastText(language, `slate.${kind}`);
}

const HEADING_CHARS = 60;
const BODY_CHARS_PER_LINE = 72;
const BODY_LINES = 2;
/** With a signer on (composite-command.ts's SIGNER_BOX from x 944): the lines end before it. */
const BESIDE_SIGNER = { heading: 44, body: 54 } as const;

/**
 * `besideSigner`: a signer is in the picture; the lower third keeps left of them. `language`: the event's
 * (for the heading of a question asked without a name).
 */
export function lowerThirdText(
  question: OnAirQuestion | null,
  besideSigner = false,
  language?: string | null,
): LowerThirdText {
  if (!question) return { heading: '', body: '' };
  // A forgotten asker's question is the audience's, in the event's language.
  const name = isForgottenName(question.name) ? '' : oneLine(question.name);
  const outlet = oneLine(question.outlet);
  const heading = [name, outlet].filter(Boolean).join(' · ') || broadcastText(language, 'lowerThird.audience');
  return {
    heading: truncate(heading, besideSigner ? BESIDE_SIGNER.heading : HEADING_CHARS),
    body: wrap(oneLine(question.text), besideSigner ? BESIDE_SIGNER.body : BODY_CHARS_PER_LINE, BODY_LINES),
  };
}

/** Word-wraps to at most `lines` lines; what does not fit ends in an ellipsis. */
export function wrap(text: string, width: number, lines: number): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ').filter(Boolean)) {
    for (const piece of chunks(word, width)) {
      if (!line) line = piece;
      else if (line.length + 1 + piece.length <= width) line += ` ${piece}`;
      else {
        out.push(line);
        line = piece;
      }
    }
  }
  if (line) out.push(line);
  if (out.length <= lines) return out.join('\n');
  const kept = out.slice(0, lines);
  const last = [...kept[lines - 1]!];
  kept[lines - 1] = `${last
    .slice(0, width - 1)
    .join('')
    .trimEnd()}…`;
  return kept.join('\n');
}

/** Control characters and line breaks become spaces: drawtext prints what it is given. */
export function oneLine(text: string): string {
  return text.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim();
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]+/g;

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function chunks(word: string, width: number): string[] {
  const chars = [...word];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(''));
  return out;
}

/**
 * Replaces a file in one step (write beside it, then rename), so FFmpeg's drawtext, which re-reads
 * its textfile every frame, never sees a half-written one.
 */
export async function writeFileAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}
