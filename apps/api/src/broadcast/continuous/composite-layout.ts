import { CANVAS, layoutTiles, type Rect, type VideoSource } from '../layout';
import {
  CAMERA_SLOTS,
  FILTERS,
  LABEL,
  PROGRAM_BESIDE_SIGNER,
  SCREEN_SLOT,
  SIGNER_BOX,
  SIGNER_SLOT,
  SLOTS,
  type SlotSpec,
} from './composite-command';

/** A video the program shows, in the order the layout ranks them (layout.ts). */
export interface ProgramVideo {
  /** Stable across layouts (e.g. the producer's id): a video keeps its slot while it stays on. */
  id: string;
  source: VideoSource;
  /** The sign-language interpreter's camera: the signer's slot, outside the layout (composite-command.ts). */
  signer?: boolean;
}

/** Where a slot's picture is drawn; `undefined`: hidden. */
export type Placement = Rect;

/** What the composite shows: a state of its filter graph. */
export interface Scene {
  slate: boolean;
  lowerThird: boolean;
  /** One entry per slot (SLOTS), in canvas pixels. */
  slots: ReadonlyArray<Placement | undefined>;
}

export interface SlotAssignment {
  id: string;
  slot: SlotSpec;
}

/** The composite as it starts: the slate, nothing else. */
export const INITIAL_SCENE: Scene = { slate: true, lowerThird: false, slots: SLOTS.map(() => undefined) };

/**
 * Which slot shows which video, and where. The main screen share (layout.ts's first screen, when there is
 * one) takes the screen slot; the other tiles the camera slots. A video keeps the slot it had when it can,
 * so its tile feed keeps writing the same file.
 */
export function assignSlots(
  all: readonly ProgramVideo[],
  previous: ReadonlyMap<string, number>,
): { assignments: SlotAssignment[]; placements: Array<Placement | undefined> } {
  // The first signer's camera has its own slot; the speakers' layout makes room for it.
  const signer = all.find((video) => video.signer);
  const videos = all.filter((video) => !video.signer);
  const region = signer ? PROGRAM_BESIDE_SIGNER : undefined;
  const tiles = layoutTiles(videos.map((video) => video.source)).map((tile) =>
    region ? { ...tile, rect: scaledInto(tile.rect, region) } : tile,
  );
  // With a screen share, layout.ts puts the first screen first, as the main tile.
  const mainScreen = tiles[0] && videos[tiles[0].input]!.source === 'screen' ? tiles[0] : undefined;
  const wanted = tiles.map((tile) => ({
    tile,
    id: videos[tile.input]!.id,
    screenSlot: tile === mainScreen,
  }));
  const used = new Set<number>();
  const slotOf = new Map<string, number>();
  for (const entry of wanted) {
    const before = previous.get(entry.id);
    if (entry.screenSlot) {
      slotOf.set(entry.id, SCREEN_SLOT);
      used.add(SCREEN_SLOT);
    } else if (before !== undefined && before < CAMERA_SLOTS && !used.has(before)) {
      slotOf.set(entry.id, before);
      used.add(before);
    }
  }
  for (const entry of wanted) {
    if (slotOf.has(entry.id)) continue;
    const free = SLOTS.findIndex((slot) => slot.index < CAMERA_SLOTS && !used.has(slot.index));
    if (free < 0) throw new Error('more tiles than camera slots');
    slotOf.set(entry.id, free);
    used.add(free);
  }
  const placements: Array<Placement | undefined> = SLOTS.map(() => undefined);
  const assignments = wanted.map((entry) => {
    const slot = SLOTS[slotOf.get(entry.id)!]!;
    placements[slot.index] = fitInside(slot, entry.tile.rect);
    return { id: entry.id, slot };
  });
  if (signer) {
    placements[SIGNER_SLOT] = { ...SIGNER_BOX };
    assignments.push({ id: signer.id, slot: SLOTS[SIGNER_SLOT]! });
  }
  return { assignments, placements };
}

/** A rect of the full canvas, in the same place of `region` (the canvas scaled into it), on even pixels. */
function scaledInto(rect: Rect, region: Rect): Rect {
  const scale = region.width / CANVAS.width;
  return {
    x: region.x + even(rect.x * scale),
    y: region.y + even(rect.y * scale),
    width: even(rect.width * scale),
    height: even(rect.height * scale),
  };
}

/**
 * The largest box of the slot picture's shape (16:9) inside the tile, centred, on even pixels. A camera's
 * tile is 16:9 already (the picture fills it); a screen share's main tile beside the cameras is 4:3, so the
 * (already letterboxed) screen picture is drawn 960x540 in the middle of it.
 */
export function fitInside(slot: Pick<SlotSpec, 'width' | 'height'>, rect: Rect): Placement {
  const scale = Math.min(rect.width / slot.width, rect.height / slot.height);
  const width = even(slot.width * scale);
  const height = even(slot.height * scale);
  return {
    x: rect.x + even((rect.width - width) / 2),
    y: rect.y + even((rect.height - height) / 2),
    width,
    height,
  };
}

/**
 * The filter commands that take the graph from one scene to the next, only for what changed (everything
 * when `from` is unknown, e.g. after a batch that timed out). A hidden slot keeps its last size (no
 * `scale` work for nothing). They are sent in one batch and FFmpeg applies them between two frames
 * (composite-control.ts): hides first, then sizes and positions, then shows.
 */
export function sceneCommands(from: Scene | undefined, to: Scene, sizes: ReadonlyArray<Size> | undefined): string[] {
  const hide: string[] = [];
  const move: string[] = [];
  const show: string[] = [];
  const toggle = (filters: string[], on: boolean) => {
    for (const filter of filters) (on ? show : hide).push(`${filter} enable ${on ? 1 : 0}`);
  };
  SLOTS.forEach((slot, index) => {
    const before = from?.slots[index];
    const after = to.slots[index];
    const filters = [FILTERS.overlay(index), FILTERS.label(index), FILTERS.labelOverlay(index)];
    if (!after) {
      if (before || !from) toggle(filters, false);
      return;
    }
    const size = sizes?.[index];
    if (after.width !== size?.width) move.push(`${FILTERS.scale(index)} w ${after.width}`);
    if (after.height !== size?.height) move.push(`${FILTERS.scale(index)} h ${after.height}`);
    if (after.x !== before?.x) move.push(`${FILTERS.overlay(index)} x ${after.x}`);
    if (after.y !== before?.y) move.push(`${FILTERS.overlay(index)} y ${after.y}`);
    const label = labelAt(after);
    const labelBefore = before && labelAt(before);
    if (label.x !== labelBefore?.x) move.push(`${FILTERS.labelOverlay(index)} x ${label.x}`);
    if (label.y !== labelBefore?.y) move.push(`${FILTERS.labelOverlay(index)} y ${label.y}`);
    if (!before) toggle(filters, true);
  });
  if (!from || from.slate !== to.slate) toggle([...FILTERS.slateTitle, FILTERS.slateStatus], to.slate);
  if (!from || from.lowerThird !== to.lowerThird) toggle([FILTERS.lowerHeading, FILTERS.lowerBody], to.lowerThird);
  return [...hide, ...move, ...show];
}

/** Where a tile's label layer goes: its bottom left corner, inside the margin. */
export function labelAt(tile: Placement): { x: number; y: number } {
  return { x: tile.x + LABEL.margin, y: tile.y + tile.height - LABEL.height - LABEL.margin };
}

export interface Size {
  width: number;
  height: number;
}

/**
 * The size each slot's `scale` produces after a scene: a shown slot's placement, else what it was (0x0
 * when unknown, so that the next time it is shown its size is sent).
 */
export function sizesAfter(scene: Scene, sizes: ReadonlyArray<Size>): Size[] {
  return SLOTS.map((_, index) => {
    const placement = scene.slots[index];
    return placement ? { width: placement.width, height: placement.height } : (sizes[index] ?? { width: 0, height: 0 });
  });
}

const even = (value: number) => 2 * Math.floor(value / 2);
