import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PacketIndex, planDecode, type DecoderCursor, type PacketMeta } from './packetIndex';

/** An H.264-like stream in decode order: I P B B P B B ..., GOPs of `gop` frames, 30 fps. */
function ibbpStream(frames: number, gop: number): PacketMeta[] {
  const presentation: { t: number; key: boolean }[] = [];
  for (let i = 0; i < frames; i++) presentation.push({ t: i / 30, key: i % gop === 0 });
  const out: PacketMeta[] = [];
  for (let start = 0; start < frames; start += gop) {
    const end = Math.min(frames, start + gop);
    out.push({ timestamp: presentation[start]!.t, duration: 1 / 30, isKey: true });
    // Within a GOP: each P (every 3rd) comes before the two B frames shown before it.
    for (let p = start + 3; p < end + 2; p += 3) {
      const anchor = Math.min(p, end - 1);
      if (anchor > start) out.push({ timestamp: presentation[anchor]!.t, duration: 1 / 30, isKey: false });
      for (let b = p - 2; b < anchor; b++) if (b > start) out.push({ timestamp: presentation[b]!.t, duration: 1 / 30, isKey: false });
    }
  }
  return out;
}

/** Simulates a decoder fed packets in decode order, outputting in presentation order. */
function framesDecodedTo(index: PacketIndex, frame: number, cursor: DecoderCursor | null): { fed: number; cursor: DecoderCursor } {
  const step = planDecode(index, frame, cursor);
  let c = step.kind === 'reset' ? { start: step.from, next: step.from, lastOutput: -1 } : { ...cursor! };
  let fed = 0;
  const target = index.decodePosOf(frame);
  while (c.next <= target) {
    c = { ...c, next: c.next + 1 };
    fed++;
  }
  return { fed, cursor: { ...c, lastOutput: frame } };
}

describe('PacketIndex', () => {
  const packets = ibbpStream(90, 30);
  const index = new PacketIndex(packets);

  it('orders frames by presentation time and maps both ways', () => {
    expect(index.frameCount).toBe(90);
    index.timestamps.forEach((t, i) => expect(t).toBeCloseTo(i / 30, 12));
    for (let f = 0; f < 90; f++) {
      expect(index.frameAtDecodePos(index.decodePosOf(f))).toBe(f);
      expect(packets[index.decodePosOf(f)]!.timestamp).toBe(index.timestamps[f]);
    }
    expect(index.endS).toBeCloseTo(3, 9);
  });

  it('starts every frame at the key packet of its group', () => {
    for (let f = 0; f < 90; f++) {
      const key = index.keyPosFor(f);
      expect(packets[key]!.isKey).toBe(true);
      expect(key).toBeLessThanOrEqual(index.decodePosOf(f));
      expect(index.frameAtDecodePos(key)).toBe(Math.floor(f / 30) * 30);
    }
    expect(index.keyFrames).toEqual([0, 30, 60]);
  });

  it('maps decoder timestamps (µs) back to frames, tolerating rounding', () => {
    for (let f = 0; f < 90; f++) {
      expect(index.frameForMicros(Math.round(index.timestamps[f]! * 1e6))).toBe(f);
      expect(index.frameForMicros(Math.round(index.timestamps[f]! * 1e6) + 3)).toBe(f);
    }
  });

  it('finds the nearest key frame', () => {
    expect(index.nearestKeyFrame(0)).toBe(0);
    expect(index.nearestKeyFrame(14)).toBe(0);
    expect(index.nearestKeyFrame(16)).toBe(30);
    expect(index.nearestKeyFrame(89)).toBe(60);
  });

  it('decodes a stream that does not start with a key packet from its first packet', () => {
    const odd = new PacketIndex([
      { timestamp: 0, duration: 0.1, isKey: false },
      { timestamp: 0.1, duration: 0.1, isKey: false },
    ]);
    expect(odd.keyPosFor(1)).toBe(0);
    expect(odd.keyFrames).toEqual([0]);
  });
});

describe('planDecode', () => {
  const index = new PacketIndex(ibbpStream(120, 30));

  it('resets at the key packet when there is no decoder yet', () => {
    expect(planDecode(index, 40, null)).toEqual({ kind: 'reset', from: index.keyPosFor(40) });
  });

  it('continues forward within a group, resets backward', () => {
    const cursor = { start: index.keyPosFor(10), next: index.decodePosOf(10) + 1, lastOutput: 10 };
    expect(planDecode(index, 11, cursor)).toEqual({ kind: 'continue' });
    expect(planDecode(index, 9, cursor).kind).toBe('reset');
    expect(planDecode(index, 10, cursor).kind).toBe('reset');
  });

  it('resets instead of decoding through a whole group to reach a later one', () => {
    const cursor = { start: 0, next: index.decodePosOf(5) + 1, lastOutput: 5 };
    expect(planDecode(index, 70, cursor)).toEqual({ kind: 'reset', from: index.keyPosFor(70) });
  });

  it('never plans to reach a frame from a start after it', () => {
    const cursor = { start: index.keyPosFor(60), next: index.keyPosFor(60), lastOutput: -1 };
    expect(planDecode(index, 40, cursor).kind).toBe('reset');
  });

  it('for any seek history, reaches the frame having fed at most one group of packets', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 119 }), { minLength: 1, maxLength: 40 }), (seeks) => {
        let cursor: DecoderCursor | null = null;
        for (const f of seeks) {
          const r = framesDecodedTo(index, f, cursor);
          expect(r.fed).toBeLessThanOrEqual(32);
          expect(r.cursor.start).toBeLessThanOrEqual(index.decodePosOf(f));
          expect(index.keyPosFor(f)).toBeGreaterThanOrEqual(r.cursor.start);
          cursor = r.cursor;
        }
      }),
    );
  });
});
