/** The broadcast picture: every pipeline renders 1280x720. */
export const CANVAS = { width: 1280, height: 720 } as const;

export type VideoSource = 'camera' | 'screen';

/** Cameras fill their tile (cropped); a screen share is shown whole (letterboxed). */
export type TileFit = 'cover' | 'contain';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Tile {
  /** Index of the video in the list given to `layoutTiles`. */
  input: number;
  rect: Rect;
  fit: TileFit;
}

/** Cameras shown at most; further cameras are heard but not seen. */
export const MAX_CAMERA_TILES = 4;

const SIDE_COLUMN = { x: 960, width: 320, tileHeight: 180 } as const;

/**
 * Where each video goes. Without a screen share: a grid of up to four cameras. With one: the first
 * screen is the main tile and up to four cameras (then further screens) sit in a column beside it.
 */
export function layoutTiles(sources: readonly VideoSource[]): Tile[] {
  const screens = indicesOf(sources, 'screen');
  const cameras = indicesOf(sources, 'camera');
  if (screens.length === 0) return grid(cameras.slice(0, MAX_CAMERA_TILES));

  const [main, ...otherScreens] = screens as [number, ...number[]];
  const side = [...cameras, ...otherScreens].slice(0, MAX_CAMERA_TILES);
  if (side.length === 0) return [{ input: main, rect: full(), fit: 'contain' }];
  const top = (CANVAS.height - side.length * SIDE_COLUMN.tileHeight) / 2;
  return [
    { input: main, rect: { x: 0, y: 0, width: SIDE_COLUMN.x, height: CANVAS.height }, fit: 'contain' },
    ...side.map((input, row) => ({
      input,
      rect: {
        x: SIDE_COLUMN.x,
        y: top + row * SIDE_COLUMN.tileHeight,
        width: SIDE_COLUMN.width,
        height: SIDE_COLUMN.tileHeight,
      },
      fit: fitOf(sources[input]!),
    })),
  ];
}

/**
 * The layout of a list of videos, computed once for everything that draws it: the videos that get a
 * tile (in their order in `videos`), and the tiles, each `input` an index into `shown`.
 */
export function layoutVideos<T>(
  videos: readonly T[],
  sourceOf: (video: T) => VideoSource,
): { shown: T[]; tiles: Tile[] } {
  const tiles = layoutTiles(videos.map(sourceOf));
  const kept = tiles.map((tile) => tile.input).sort((a, b) => a - b);
  const position = new Map(kept.map((input, index) => [input, index]));
  return {
    shown: kept.map((input) => videos[input]!),
    tiles: tiles.map((tile) => ({ ...tile, input: position.get(tile.input)! })),
  };
}

function grid(cameras: number[]): Tile[] {
  const half = { width: CANVAS.width / 2, height: CANVAS.height / 2 };
  const cell = (input: number, x: number, y: number): Tile => ({ input, rect: { x, y, ...half }, fit: 'cover' });
  const [a, b, c, d] = cameras;
  switch (cameras.length) {
    case 0:
      return [];
    case 1:
      return [{ input: a!, rect: full(), fit: 'cover' }];
    case 2:
      return [cell(a!, 0, half.height / 2), cell(b!, half.width, half.height / 2)];
    case 3:
      return [cell(a!, 0, 0), cell(b!, half.width, 0), cell(c!, half.width / 2, half.height)];
    default:
      return [cell(a!, 0, 0), cell(b!, half.width, 0), cell(c!, 0, half.height), cell(d!, half.width, half.height)];
  }
}

const full = (): Rect => ({ x: 0, y: 0, width: CANVAS.width, height: CANVAS.height });
const fitOf = (source: VideoSource): TileFit => (source === 'screen' ? 'contain' : 'cover');
const indicesOf = (sources: readonly VideoSource[], wanted: VideoSource) =>
  sources.flatMap((source, index) => (source === wanted ? [index] : []));
