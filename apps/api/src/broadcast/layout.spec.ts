import { CANVAS, layoutTiles, layoutVideos, type Rect, type VideoSource } from './layout';

const inside = (r: Rect) => r.x >= 0 && r.y >= 0 && r.x + r.width <= CANVAS.width && r.y + r.height <= CANVAS.height;
const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('layoutTiles', () => {
  it('gives one camera the whole picture', () => {
    expect(layoutTiles(['camera'])).toEqual([
      { input: 0, rect: { x: 0, y: 0, width: 1280, height: 720 }, fit: 'cover' },
    ]);
  });

  it('puts two cameras side by side, centred vertically', () => {
    expect(layoutTiles(['camera', 'camera']).map((t) => t.rect)).toEqual([
      { x: 0, y: 180, width: 640, height: 360 },
      { x: 640, y: 180, width: 640, height: 360 },
    ]);
  });

  it('centres the third camera under the first two, and fills a 2x2 grid with four', () => {
    expect(layoutTiles(['camera', 'camera', 'camera'])[2]!.rect).toEqual({ x: 320, y: 360, width: 640, height: 360 });
    const four = layoutTiles(['camera', 'camera', 'camera', 'camera']);
    expect(four.map((t) => [t.rect.x, t.rect.y])).toEqual([
      [0, 0],
      [640, 0],
      [0, 360],
      [640, 360],
    ]);
  });

  it('shows at most four cameras (the others are only heard)', () => {
    expect(layoutTiles(Array<VideoSource>(6).fill('camera')).map((t) => t.input)).toEqual([0, 1, 2, 3]);
  });

  it('makes a screen share the main tile, whole, with the cameras in a column beside it', () => {
    const tiles = layoutTiles(['camera', 'screen', 'camera']);
    expect(tiles[0]).toEqual({ input: 1, rect: { x: 0, y: 0, width: 960, height: 720 }, fit: 'contain' });
    expect(tiles.slice(1)).toEqual([
      { input: 0, rect: { x: 960, y: 180, width: 320, height: 180 }, fit: 'cover' },
      { input: 2, rect: { x: 960, y: 360, width: 320, height: 180 }, fit: 'cover' },
    ]);
  });

  it('gives a screen share alone the whole picture', () => {
    expect(layoutTiles(['screen'])).toEqual([
      { input: 0, rect: { x: 0, y: 0, width: 1280, height: 720 }, fit: 'contain' },
    ]);
  });

  it('keeps every tile inside the picture, apart, on even coordinates (4:2:0 chroma)', () => {
    const cases: VideoSource[][] = [
      ['camera'],
      ['camera', 'camera'],
      ['camera', 'camera', 'camera'],
      ['camera', 'camera', 'camera', 'camera', 'camera'],
      ['screen', 'camera', 'camera', 'camera', 'camera', 'camera'],
      ['screen', 'screen', 'camera'],
    ];
    for (const sources of cases) {
      const tiles = layoutTiles(sources);
      expect(new Set(tiles.map((t) => t.input)).size).toBe(tiles.length);
      for (const [i, tile] of tiles.entries()) {
        expect(inside(tile.rect)).toBe(true);
        expect(Object.values(tile.rect).every((v) => v % 2 === 0)).toBe(true);
        for (const other of tiles.slice(i + 1)) expect(overlap(tile.rect, other.rect)).toBe(false);
      }
    }
  });

  it('has nothing to lay out without video', () => {
    expect(layoutTiles([])).toEqual([]);
  });
});

describe('layoutVideos', () => {
  it('keeps the videos with a tile, in their order, with the tiles a layout of them alone would give', () => {
    const cases: VideoSource[][] = [
      [],
      ['camera'],
      Array<VideoSource>(6).fill('camera'),
      ['camera', 'screen', 'camera', 'camera', 'camera', 'camera'],
      ['screen', 'screen', 'camera', 'screen', 'camera', 'camera', 'camera'],
    ];
    for (const sources of cases) {
      const videos = sources.map((source, index) => ({ source, index }));
      const { shown, tiles } = layoutVideos(videos, (video) => video.source);
      expect(shown.map((video) => video.index)).toEqual(
        layoutTiles(sources)
          .map((tile) => tile.input)
          .sort((a, b) => a - b),
      );
      expect(tiles).toEqual(layoutTiles(shown.map((video) => video.source)));
    }
  });
});
