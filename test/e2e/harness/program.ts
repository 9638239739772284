import { HEIGHT, WIDTH, type Region } from './media';

/**
 * Reading the broadcast's picture like a viewer would: which layout it shows (layout.ts), and the
 * speakers' captions. Works on a decoded RGB frame (WIDTH x HEIGHT) and, through `Shares`, on what a
 * page measures of its own video.
 */
export const PICTURE = { width: WIDTH, height: HEIGHT } as const;
/** The composite's background (ffmpeg-command.ts's BACKGROUND); an empty tile shows about the same. */
export const BACKGROUND = [0x14, 0x18, 0x1f] as const;

/**
 * Regions that tell the layouts apart: one camera fills the frame; two sit side by side in the middle
 * band; three are two on top and one centred below (the bottom corners empty); a screen share is the main
 * tile on the left with the cameras in a column on the right, centred vertically (rows 180–360 and 360–540
 * for two cameras).
 */
export const REGIONS = {
  topLeft: { x: 100, y: 20, width: 440, height: 140 },
  topRight: { x: 740, y: 20, width: 440, height: 140 },
  bottomLeftCorner: { x: 20, y: 400, width: 260, height: 100 },
  bottomCentre: { x: 420, y: 400, width: 440, height: 100 },
  leftCell: { x: 100, y: 220, width: 440, height: 200 },
  rightCell: { x: 740, y: 220, width: 440, height: 200 },
  mainTile: { x: 100, y: 150, width: 700, height: 300 },
  /** Above the two cameras' band (from y 180), inside a screen share's picture (960x540 from y 90). */
  screenTop: { x: 100, y: 100, width: 700, height: 60 },
  sideAbove: { x: 1000, y: 20, width: 240, height: 140 },
  sideFirst: { x: 1000, y: 200, width: 240, height: 140 },
  sideSecond: { x: 1000, y: 380, width: 240, height: 140 },
} satisfies Record<string, Region>;

export type Shares = Record<keyof typeof REGIONS, number>;

/** For each region, the share of its pixels that differ clearly from the background. */
export function shares(frame: Buffer): Shares {
  return Object.fromEntries(
    Object.entries(REGIONS).map(([name, region]) => [name, videoShare(frame, region)]),
  ) as Shares;
}

/** What a picture shows: 'none' (a slate, no tile), '1', '2', '3' cameras, 'screen+2', or 'other'. */
export function layoutOf(s: Shares): string {
  const shows = (region: keyof Shares) => s[region] > 0.5;
  const empty = (region: keyof Shares) => s[region] < 0.1;
  if (shows('screenTop') && shows('mainTile') && shows('sideFirst') && shows('sideSecond') && empty('sideAbove'))
    return 'screen+2';
  if (shows('topLeft') && shows('topRight') && shows('bottomLeftCorner')) return '1';
  if (shows('topLeft') && shows('topRight') && shows('bottomCentre') && empty('bottomLeftCorner')) return '3';
  if (empty('topLeft') && empty('topRight') && shows('leftCell') && shows('rightCell')) return '2';
  if (!(Object.keys(s) as Array<keyof Shares>).some(shows)) return 'none';
  return 'other';
}

/** The share of a region's pixels that differ clearly from the background. */
export function videoShare(frame: Buffer, rect: Region): number {
  let differing = 0;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    for (let x = rect.x; x < rect.x + rect.width; x++) {
      const i = (y * WIDTH + x) * 3;
      const distance = Math.hypot(
        frame[i]! - BACKGROUND[0],
        frame[i + 1]! - BACKGROUND[1],
        frame[i + 2]! - BACKGROUND[2],
      );
      if (distance > 40) differing++;
    }
  }
  return differing / (rect.width * rect.height);
}

/**
 * How wide the white text of a tile's caption is, px (0: no caption). The caption (composite-layout.ts's
 * labelAt, composite-command.ts's LABEL) sits at the tile's bottom left, 6 px in, 40 px high, white text
 * on a dark box; for pictures without white of their own (Chromium's fake camera is green).
 */
export function captionWidth(frame: Buffer, tile: Region): number {
  const layer = { x: tile.x + 6, y: tile.y + tile.height - 46, width: Math.min(480, tile.width - 12), height: 40 };
  let right = -1;
  for (let x = layer.x; x < layer.x + layer.width; x++) {
    for (let y = layer.y + 4; y < layer.y + layer.height - 4; y++) {
      const i = (y * WIDTH + x) * 3;
      if (Math.min(frame[i]!, frame[i + 1]!, frame[i + 2]!) > 170) {
        right = x;
        break;
      }
    }
  }
  return right < 0 ? 0 : right - layer.x + 1;
}

/** The tiles of the layouts with one and two cameras (layout.ts). */
export const TILES = {
  full: { x: 0, y: 0, width: WIDTH, height: HEIGHT },
  left: { x: 0, y: 180, width: 640, height: 360 },
  right: { x: 640, y: 180, width: 640, height: 360 },
} satisfies Record<string, Region>;
