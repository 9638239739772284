/**
 * Where an fMP4 segment starts on its track's media timeline (its `tfdt`), in seconds: what a player maps
 * a WebVTT segment's `X-TIMESTAMP-MAP=MPEGTS:` against. Reads only the boxes it needs.
 */

interface Box {
  type: string;
  start: number;
  end: number;
}

function* boxes(data: Buffer, start = 0, end = data.length): Generator<Box> {
  let offset = start;
  while (offset + 8 <= end) {
    let size = data.readUInt32BE(offset);
    const type = data.toString('latin1', offset + 4, offset + 8);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > end) return;
      size = Number(data.readBigUInt64BE(offset + 8));
      header = 16;
    } else if (size === 0) size = end - offset;
    if (size < header || offset + size > end) return;
    yield { type, start: offset + header, end: offset + size };
    offset += size;
  }
}

const child = (data: Buffer, parent: Box | undefined, type: string) =>
  parent ? [...boxes(data, parent.start, parent.end)].find((box) => box.type === type) : undefined;

/** The video track of an init segment: its id and timescale (the first track when none is video). */
export function videoTrackOf(init: Buffer): { trackId: number; timescale: number } | undefined {
  const moov = [...boxes(init)].find((box) => box.type === 'moov');
  if (!moov) return undefined;
  let found: { trackId: number; timescale: number } | undefined;
  for (const trak of boxes(init, moov.start, moov.end)) {
    if (trak.type !== 'trak') continue;
    const tkhd = child(init, trak, 'tkhd');
    const mdia = child(init, trak, 'mdia');
    const mdhd = child(init, mdia, 'mdhd');
    const hdlr = child(init, mdia, 'hdlr');
    if (!tkhd || !mdhd) continue;
    const trackId = init.readUInt32BE(tkhd.start + (init[tkhd.start] === 1 ? 20 : 12));
    const timescale = init.readUInt32BE(mdhd.start + (init[mdhd.start] === 1 ? 20 : 12));
    const handler = hdlr ? init.toString('latin1', hdlr.start + 8, hdlr.start + 12) : '';
    if (handler === 'vide') return { trackId, timescale };
    found ??= { trackId, timescale };
  }
  return found;
}

/** The segment's start (`tfdt` of `trackId`), in seconds of `timescale`; undefined if it has none. */
export function segmentStartSeconds(
  segment: Buffer,
  track: { trackId: number; timescale: number },
): number | undefined {
  for (const moof of boxes(segment)) {
    if (moof.type !== 'moof') continue;
    for (const traf of boxes(segment, moof.start, moof.end)) {
      if (traf.type !== 'traf') continue;
      const tfhd = child(segment, traf, 'tfhd');
      const tfdt = child(segment, traf, 'tfdt');
      if (!tfhd || !tfdt || segment.readUInt32BE(tfhd.start + 4) !== track.trackId) continue;
      const time =
        segment[tfdt.start] === 1
          ? Number(segment.readBigUInt64BE(tfdt.start + 4))
          : segment.readUInt32BE(tfdt.start + 4);
      return time / track.timescale;
    }
    return undefined;
  }
  return undefined;
}
