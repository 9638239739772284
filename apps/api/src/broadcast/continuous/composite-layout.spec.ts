import { FILTERS, PROGRAM_BESIDE_SIGNER, SCREEN_SLOT, SIGNER_BOX, SIGNER_SLOT } from './composite-command';
import { assignSlots, fitInside, INITIAL_SCENE, sceneCommands, sizesAfter, type Scene } from './composite-layout';

const cam = (id: string) => ({ id, source: 'camera' as const });
const screen = (id: string) => ({ id, source: 'screen' as const });

describe('assignSlots', () => {
  it('gives one camera the whole picture from a camera slot', () => {
    const { assignments, placements } = assignSlots([cam('a')], new Map());
    expect(assignments.map((a) => [a.id, a.slot.index])).toEqual([['a', 0]]);
    expect(placements[0]).toEqual({ x: 0, y: 0, width: 1280, height: 720 });
    expect(placements.filter(Boolean)).toHaveLength(1);
  });

  it('keeps a speaker in its slot when others come and go', () => {
    const first = assignSlots([cam('a'), cam('b'), cam('c')], new Map());
    const slots = new Map(first.assignments.map((a) => [a.id, a.slot.index]));
    const second = assignSlots([cam('c'), cam('d')], slots);
    const slotOf = Object.fromEntries(second.assignments.map((a) => [a.id, a.slot.index]));
    expect(slotOf.c).toBe(slots.get('c'));
    expect(slotOf.d).not.toBe(slotOf.c);
    expect(slotOf.d).toBeLessThan(SCREEN_SLOT);
  });

  it('puts the main screen share in the screen slot, letterboxed 16:9 beside the cameras', () => {
    const { assignments, placements } = assignSlots([cam('a'), screen('s')], new Map());
    expect(assignments.find((a) => a.id === 's')!.slot.index).toBe(SCREEN_SLOT);
    expect(placements[SCREEN_SLOT]).toEqual({ x: 0, y: 90, width: 960, height: 540 });
    expect(placements[assignments.find((a) => a.id === 'a')!.slot.index]).toEqual({
      x: 960,
      y: 270,
      width: 320,
      height: 180,
    });
  });

  it('shows a second screen in a camera slot of the side column', () => {
    const { assignments } = assignSlots([screen('s1'), screen('s2')], new Map());
    expect(assignments.map((a) => [a.id, a.slot.index])).toEqual([
      ['s1', SCREEN_SLOT],
      ['s2', 0],
    ]);
  });
});

describe('assignSlots with a signer', () => {
  const signer = { id: 's', source: 'camera' as const, signer: true };
  const overlaps = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const inside = (a: { x: number; y: number; width: number; height: number }, b: typeof a) =>
    a.x >= b.x && a.y >= b.y && a.x + a.width <= b.x + b.width && a.y + a.height <= b.y + b.height;

  it.each([
    [0, []],
    [1, [cam('a')]],
    [2, [cam('a'), cam('b')]],
    [3, [cam('a'), cam('b'), cam('c')]],
    [4, [cam('a'), cam('b'), cam('c'), cam('d')]],
    [3, [screen('x'), cam('a'), cam('b')]],
  ])('%i videos: the signer in its box, every tile left of it, none over it', (_, videos) => {
    const { assignments, placements } = assignSlots([...videos, signer], new Map());
    expect(assignments.find((a) => a.id === 's')?.slot.index).toBe(SIGNER_SLOT);
    expect(placements[SIGNER_SLOT]).toEqual({ ...SIGNER_BOX });
    const tiles = placements.filter((p, index) => p && index !== SIGNER_SLOT);
    expect(tiles).toHaveLength(videos.length);
    for (const tile of tiles) {
      expect(overlaps(tile!, SIGNER_BOX)).toBe(false);
      expect(inside(tile!, PROGRAM_BESIDE_SIGNER)).toBe(true);
      expect((tile!.x % 2) + (tile!.y % 2) + (tile!.width % 2) + (tile!.height % 2)).toBe(0);
    }
  });

  it('without a signer, the layout is the whole picture as before', () => {
    expect(assignSlots([cam('a')], new Map()).placements[SIGNER_SLOT]).toBeUndefined();
  });
});

describe('fitInside', () => {
  it('fits a 16:9 picture into any tile on even pixels, centred', () => {
    expect(fitInside({ width: 640, height: 360 }, { x: 0, y: 0, width: 1280, height: 720 })).toEqual({
      x: 0,
      y: 0,
      width: 1280,
      height: 720,
    });
    expect(fitInside({ width: 1280, height: 720 }, { x: 10, y: 0, width: 333, height: 333 })).toEqual({
      x: 10,
      y: 72,
      width: 332,
      height: 186,
    });
  });
});

describe('sceneCommands', () => {
  const program = (placements: Scene['slots']): Scene => ({ slate: false, lowerThird: false, slots: placements });
  const sizes = sizesAfter(INITIAL_SCENE, [
    { width: 640, height: 360 },
    { width: 640, height: 360 },
    { width: 640, height: 360 },
    { width: 640, height: 360 },
    { width: 1280, height: 720 },
  ]);

  it('hides the slate and shows one full tile: its size and position, then enable', () => {
    const one = program(assignSlots([cam('a')], new Map()).placements);
    expect(sceneCommands(INITIAL_SCENE, one, sizes)).toEqual([
      ...FILTERS.slateTitle.map((title) => `${title} enable 0`),
      `${FILTERS.slateStatus} enable 0`,
      `${FILTERS.scale(0)} w 1280`,
      `${FILTERS.scale(0)} h 720`,
      `${FILTERS.overlay(0)} x 0`,
      `${FILTERS.overlay(0)} y 0`,
      `${FILTERS.labelOverlay(0)} x 6`,
      `${FILTERS.labelOverlay(0)} y 674`,
      `${FILTERS.overlay(0)} enable 1`,
      `${FILTERS.label(0)} enable 1`,
      `${FILTERS.labelOverlay(0)} enable 1`,
    ]);
  });

  it('sends only what changed, and nothing for the same scene', () => {
    const two = program(assignSlots([cam('a'), cam('b')], new Map()).placements);
    const after = sizesAfter(two, sizes);
    expect(sceneCommands(two, two, after)).toEqual([]);
    const one = program(assignSlots([cam('a')], new Map([['a', 0]])).placements);
    expect(sceneCommands(two, one, after)).toEqual([
      `${FILTERS.overlay(1)} enable 0`,
      `${FILTERS.label(1)} enable 0`,
      `${FILTERS.labelOverlay(1)} enable 0`,
      `${FILTERS.scale(0)} w 1280`,
      `${FILTERS.scale(0)} h 720`,
      `${FILTERS.overlay(0)} y 0`,
      `${FILTERS.labelOverlay(0)} y 674`,
    ]);
  });

  it('toggles the lower third alone', () => {
    const one = program(assignSlots([cam('a')], new Map()).placements);
    expect(sceneCommands(one, { ...one, lowerThird: true }, sizesAfter(one, sizes))).toEqual([
      `${FILTERS.lowerHeading} enable 1`,
      `${FILTERS.lowerBody} enable 1`,
    ]);
  });

  it('states everything when the scene FFmpeg shows is unknown', () => {
    const commands = sceneCommands(undefined, INITIAL_SCENE, undefined);
    expect(commands).toContain(`${FILTERS.overlay(4)} enable 0`);
    for (const title of FILTERS.slateTitle) expect(commands).toContain(`${title} enable 1`);
    expect(commands).toContain(`${FILTERS.lowerBody} enable 0`);
    const one = program(assignSlots([cam('a')], new Map()).placements);
    expect(sceneCommands(undefined, one, undefined)).toEqual(
      expect.arrayContaining([
        `${FILTERS.scale(0)} w 1280`,
        `${FILTERS.overlay(0)} x 0`,
        `${FILTERS.overlay(0)} enable 1`,
      ]),
    );
  });

  it('remembers a hidden slot size as it was, and an unknown one as 0x0', () => {
    const one = program(assignSlots([cam('a')], new Map()).placements);
    expect(sizesAfter(INITIAL_SCENE, sizesAfter(one, sizes))[0]).toEqual({ width: 1280, height: 720 });
    expect(sizesAfter(INITIAL_SCENE, [])[0]).toEqual({ width: 0, height: 0 });
  });
});
