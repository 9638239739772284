import { DEFAULT_HLS_LADDER, parseLadder } from '@pressroom/protocol';
import { BACKGROUND, DEFAULT_SEGMENT_SECONDS, FONTS, keyframeArgs, PROGRAM_FPS } from '../ffmpeg-command';
import { CANVAS, type TileFit } from '../layout';
import { SLATE_TITLE_LINES } from '../slate-title';
import { renditionGraph, renditionOutputArgs, type Ladder } from './renditions';

/**
 * The continuous composite: ONE FFmpeg per event, from the first slate to the ended slate. Everything that
 * changes during the event is a state of this one filter graph, switched by filter commands (see
 * composite-layout.ts), never by a new process:
 *
 * - five picture slots, each an image2 input that re-reads a "latest picture" file 30 times a second
 *   (written by a tile feed, slot-feed.ts), scaled (`scale` w/h commands) and laid over the background
 *   (`overlay` x/y commands, shown and hidden by its timeline `enable`). A slot's picture has a FIXED size:
 *   FFmpeg rebuilds the whole graph when an input's frame size changes (losing every command sent so
 *   far), and `-reinit_filter 0` made the first changes show seconds late on FFmpeg 5.1 — so sizes change
 *   only inside the graph, by `scale`;
 * - the slate (title + status) and the lower third: drawtext filters that re-read their text files every
 *   frame, shown and hidden by `enable`;
 * - the sound: one PCM pipe that Node writes at the wall clock's pace, already mixed (audio-mixer.ts), so
 *   speakers come and go without FFmpeg knowing;
 * - one encoder configuration throughout (H.264 High 30 fps, AAC) per rendition of the ladder
 *   (renditions.ts: the finished picture `split` and scaled per rendition): one init segment per
 *   rendition, no discontinuity. The background and the slots are read at the wall clock's pace (`-re`).
 */

/** Four camera slots (the most cameras a layout shows), one for the main screen share, one for the signer. */
export type SlotKind = 'camera' | 'screen' | 'signer';

export interface SlotSpec {
  index: number;
  kind: SlotKind;
  /** The size of the picture file the slot reads: fixed for the whole event. */
  width: number;
  height: number;
  /** How the tile feed fits its speaker's video into that picture. */
  fit: TileFit;
}

/**
 * Cameras arrive at 640x360 (a grid cell's size: no scaling at 2–4 speakers; one speaker alone is scaled
 * up 2x). The screen share arrives at full size: its text must stay legible.
 */
export const CAMERA_PICTURE = { width: 640, height: 360 } as const;
export const SCREEN_PICTURE = { width: CANVAS.width, height: CANVAS.height } as const;
export const CAMERA_SLOTS = 4;
export const SCREEN_SLOT = CAMERA_SLOTS;
export const SIGNER_SLOT = SCREEN_SLOT + 1;

/**
 * The sign-language interpreter (issue 14): always at the bottom right, drawn last, so nothing covers it
 * (not the lower third, not a tile); while a signer is on, the speakers' layout is drawn smaller in
 * `PROGRAM_BESIDE_SIGNER`, left of it, and the lower third wraps short of it (overlay-text.ts). A camera's
 * 16:9 picture is cropped to the box's middle (a signer frames themselves in the centre).
 */
export const SIGNER_PICTURE = { width: 320, height: 360 } as const;
const SIGNER_MARGIN = 16;
export const SIGNER_BOX = {
  x: CANVAS.width - SIGNER_MARGIN - SIGNER_PICTURE.width,
  y: CANVAS.height - SIGNER_MARGIN - SIGNER_PICTURE.height,
  ...SIGNER_PICTURE,
} as const;
/** The speakers' whole layout, scaled into this 16:9 box left of the signer (vertically centred). */
export const PROGRAM_BESIDE_SIGNER = { x: 0, y: 98, width: 928, height: 522 } as const;

export const SLOTS: readonly SlotSpec[] = [
  ...Array.from({ length: CAMERA_SLOTS }, (_, index) => ({
    index,
    kind: 'camera' as const,
    ...CAMERA_PICTURE,
    fit: 'cover' as const,
  })),
  { index: SCREEN_SLOT, kind: 'screen', ...SCREEN_PICTURE, fit: 'contain' },
  { index: SIGNER_SLOT, kind: 'signer', ...SIGNER_PICTURE, fit: 'cover' },
];

/**
 * A speaker's name: drawn on a transparent layer of its own, laid over the tile's bottom left by an
 * `overlay` that moves with the tile. (A drawtext after the slot's `scale` would keep the size the scale
 * had at start: on FFmpeg 5.1 a `scale` command does not reconfigure the filters after it.)
 */
export const LABEL = { width: 480, height: 40, margin: 6 } as const;

/** The PCM Node writes into FFmpeg's fd 3: signed 16-bit little-endian, interleaved stereo. */
export const PCM = { rate: 48_000, channels: 2, bytesPerFrame: 4 } as const;
export const AUDIO_FD = 3;
/** Each interpretation language's voice (its interpreters, mixed in Node): fd 4, 5, … in its order. */
export const voiceFd = (index: number) => AUDIO_FD + 1 + index;

/**
 * The floor's sound under an interpreter's voice: lowered by about 18 dB while they speak (FFmpeg's
 * `sidechaincompress`, the voice as its side chain), back within half a second after.
 */
export const DUCKING = 'threshold=0.01:ratio=20:attack=15:release=400';

/**
 * Files of the composite, relative to the broadcast's directory (FFmpeg's cwd), named by run so that a
 * replacement composite (after a crash) can start beside the one it replaces.
 */
export function compositeFiles(run: number) {
  const prefix = `work/c${run}`;
  return {
    picture: (slot: number) => `${prefix}-slot-${slot}.pgmyuv`,
    label: (slot: number) => `${prefix}-slot-${slot}-label.txt`,
    /** One file for each of `SLATE_TITLE_LINES` (slate-title.ts). */
    slateTitle: (line: number) => `${prefix}-slate-title-${line}.txt`,
    slateStatus: `${prefix}-slate-status.txt`,
    lowerHeading: `${prefix}-lower-heading.txt`,
    lowerBody: `${prefix}-lower-body.txt`,
    /** The control socket (ZeroMQ over a Unix socket in the broadcast's own directory, not a TCP port). */
    control: `${prefix}-control.ipc`,
  };
}

export type CompositeFiles = ReturnType<typeof compositeFiles>;

/** The filter instances commands go to (`<filter>@<name>`). */
export const FILTERS = {
  scale: (slot: number) => `scale@slot${slot}`,
  overlay: (slot: number) => `overlay@slot${slot}`,
  label: (slot: number) => `drawtext@label${slot}`,
  labelOverlay: (slot: number) => `overlay@label${slot}`,
  /** One drawtext for each of `SLATE_TITLE_LINES`. */
  slateTitle: SLATE_TITLE_LINES.map((_, line) => `drawtext@slate_title${line}`),
  slateStatus: 'drawtext@slate_status',
  lowerHeading: 'drawtext@lower_heading',
  lowerBody: 'drawtext@lower_body',
} as const;

export interface CompositePlan {
  run: number;
  /** Segment length, seconds: fps × this must be a whole number (a keyframe starts each segment). */
  segmentSeconds?: number;
  /** The video renditions (HLS_LADDER); the top one alone by default (the broadcast gives the setting's). */
  ladder?: Ladder;
  /** Interpretation languages: an audio-only rendition each, the voice over the ducked floor. */
  interpretations?: readonly string[];
  /**
   * How many segments FFmpeg's own playlists list (its `-hls_list_size`): the broadcast reads them many
   * times a second, so over a long event it wants a short one; 0 (the default) lists the whole run.
   */
  runListSize?: number;
}

/** The whole default ladder (HLS_LADDER's default), and its top rendition alone. */
export const DEFAULT_LADDER: Ladder = parseLadder(DEFAULT_HLS_LADDER)!;
export const TOP_RENDITION_ONLY: Ladder = DEFAULT_LADDER.slice(0, 1);

/**
 * The composite's FFmpeg arguments. It starts on the slate: every slot hidden, the slate's texts shown.
 * Progress (`out_time_us`) goes to stdout every 250 ms; the sound is read from fd 3.
 */
export function compositeArgs(plan: CompositePlan): string[] {
  const segmentSeconds = plan.segmentSeconds ?? DEFAULT_SEGMENT_SECONDS;
  const gop = PROGRAM_FPS * segmentSeconds;
  if (!Number.isInteger(gop) || gop < 1)
    throw new Error(`${segmentSeconds} s segments at ${PROGRAM_FPS} fps: no whole GOP`);

  const files = compositeFiles(plan.run);
  const inputs: string[][] = [
    ['-re', '-f', 'lavfi', '-i', `color=c=${BACKGROUND}:s=${CANVAS.width}x${CANVAS.height}:r=${PROGRAM_FPS}`],
  ];
  const control = `zmq=bind_address=ipc\\\\\\://${safePath(files.control)}`;
  const slate = [
    // As the slate loop draws it (slate/slate-render.ts): a drawtext a line, at the line's baseline.
    ...SLATE_TITLE_LINES.map(({ size, baseline }, line) =>
      drawtext(FILTERS.slateTitle[line]!, files.slateTitle(line), {
        size,
        bold: true,
        x: '(w-text_w)/2',
        y: `${baseline}-ascent`,
        enabled: true,
      }),
    ),
    drawtext(FILTERS.slateStatus, files.slateStatus, {
      size: 30,
      color: '0xaab4c0',
      x: '(w-text_w)/2',
      y: 'h/2+30',
      enabled: true,
    }),
  ];
  const graph = [`[0:v]${[control, ...slate].join(',')}[base]`];
  let video = '[base]';
  const addSlot = (slot: SlotSpec) => {
    const input = inputs.length;
    // prettier-ignore
    inputs.push([
      // Read the file again for every frame; a queue of one keeps the picture at most two frames old.
      '-re', '-thread_queue_size', '1', '-f', 'image2', '-pattern_type', 'none', '-loop', '1',
      '-framerate', String(PROGRAM_FPS), '-i', safePath(files.picture(slot.index)),
    ]);
    const label = drawtext(FILTERS.label(slot.index), files.label(slot.index), {
      size: 20,
      x: '6',
      y: '(h-text_h)/2',
      box: 'black@0.55',
      border: 6,
      enabled: false,
    });
    const layer = `color=c=black@0:s=${LABEL.width}x${LABEL.height}:r=${PROGRAM_FPS},format=yuva420p`;
    graph.push(
      `[${input}:v]${FILTERS.scale(slot.index)}=w=${slot.width}:h=${slot.height}:flags=bilinear[slot${slot.index}]`,
      `${video}[slot${slot.index}]${FILTERS.overlay(slot.index)}=x=0:y=0:eof_action=repeat:enable=0[over${slot.index}]`,
      `${layer},${label}[label${slot.index}]`,
      `[over${slot.index}][label${slot.index}]${FILTERS.labelOverlay(slot.index)}=x=0:y=0:enable=0[labelled${slot.index}]`,
    );
    video = `[labelled${slot.index}]`;
  };
  for (const slot of SLOTS) if (slot.kind !== 'signer') addSlot(slot);
  const lowerThird = [
    drawtext(FILTERS.lowerHeading, files.lowerHeading, {
      size: 30,
      bold: true,
      x: '60',
      y: 'h-178',
      box: '0x1d4ed8@0.92',
      border: 12,
      enabled: false,
    }),
    drawtext(FILTERS.lowerBody, files.lowerBody, {
      size: 26,
      x: '60',
      y: 'h-124',
      box: 'black@0.75',
      border: 12,
      enabled: false,
    }),
  ];
  const ladder = plan.ladder ?? TOP_RENDITION_ONLY;
  graph.push(`${video}${lowerThird.join(',')}[lower]`);
  video = '[lower]';
  // The signer on top of everything, the lower third included.
  for (const slot of SLOTS) if (slot.kind === 'signer') addSlot(slot);
  graph.push(`${video}format=yuv420p[vout]`, ...renditionGraph(ladder, '[vout]', CANVAS));
  const audioInput = inputs.length;
  const pcmInput = (fd: number) => [
    // prettier-ignore
    '-f',
    's16le',
    '-ar',
    String(PCM.rate),
    '-ac',
    String(PCM.channels),
    '-probesize',
    '32',
    '-analyzeduration',
    '0',
    '-thread_queue_size',
    '64',
    '-i',
    `pipe:${fd}`,
  ];
  inputs.push(pcmInput(AUDIO_FD));
  const interpretations = plan.interpretations ?? [];
  let floorAudio: ((index: number) => string) | undefined;
  const voices: Array<{ language: string; map: string }> = [];
  if (interpretations.length > 0) {
    // The floor once per rendition and once under each voice; each voice twice (the mix, the side chain).
    const floors = ladder.length + 1;
    const splits = Array.from({ length: floors + interpretations.length }, (_, i) => `[floor${i}]`).join('');
    graph.push(`[${audioInput}:a]asplit=${floors + interpretations.length}${splits}`);
    floorAudio = (index) => `[floor${index}]`;
    interpretations.forEach((language, i) => {
      const input = inputs.length;
      inputs.push(pcmInput(voiceFd(i)));
      graph.push(
        `[${input}:a]asplit=2[voice${i}][side${i}]`,
        `[floor${floors + i}][side${i}]sidechaincompress=${DUCKING}[ducked${i}]`,
        `[ducked${i}][voice${i}]amix=inputs=2:normalize=0:duration=first[interpretation${i}]`,
      );
      voices.push({ language, map: `[interpretation${i}]` });
    });
  }

  // prettier-ignore
  return [
    // `info`: FFmpeg says "Stream mapping:" when its clock starts (the sound is paced from then on).
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'info', '-y',
    '-progress', 'pipe:1', '-stats_period', '0.25',
    ...inputs.flat(),
    '-filter_complex', graph.join(';'),
    ...renditionOutputArgs({
      run: plan.run,
      ladder,
      segmentSeconds,
      listSize: plan.runListSize ?? 0,
      audioInput,
      gopArgs: keyframeArgs(gop, segmentSeconds),
      videoLabel: (index) => `[v${index}]`,
      floorAudio,
      interpretations: voices,
    }),
  ];
}

interface TextStyle {
  size: number;
  x: string;
  y: string;
  enabled: boolean;
  bold?: boolean;
  color?: string;
  box?: string;
  border?: number;
}

/**
 * Text always comes from a file re-read every frame (rewritten atomically to change it): no user text in
 * the graph or in a command, and `expansion=none` prints `%` as is. (drawtext's `reinit` command cannot
 * be used with a textfile on FFmpeg 5.1: "Both text and text file provided".)
 */
function drawtext(name: string, file: string, style: TextStyle): string {
  const options = [
    `fontfile=${style.bold ? FONTS.bold : FONTS.regular}`,
    `textfile=${safePath(file)}`,
    'reload=1',
    'expansion=none',
    `fontsize=${style.size}`,
    `fontcolor=${style.color ?? 'white'}`,
    'line_spacing=8',
    `x=${style.x}`,
    `y=${style.y}`,
  ];
  if (style.box) options.push('box=1', `boxcolor=${style.box}`, `boxborderw=${style.border ?? 10}`);
  options.push(`enable=${style.enabled ? 1 : 0}`);
  return `${name}=${options.join(':')}`;
}

/** Paths go into the filter graph unescaped: only plain relative ones are accepted. */
function safePath(path: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9_./-]*$/.test(path) || path.includes('..')) throw new Error(`unsafe path: ${path}`);
  return path;
}
