import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime, parseTimeInput } from './timecode';

describe('formatTime', () => {
  it('formats minutes, hours and milliseconds', () => {
    expect(formatTime(0)).toBe('0:00.000');
    expect(formatTime(79.5)).toBe('1:19.500');
    expect(formatTime(3723.25)).toBe('1:02:03.250');
    expect(formatTime(59.9996)).toBe('1:00.000');
    expect(formatTime(1.26, 1)).toBe('0:01.3');
    expect(formatTime(-4)).toBe('0:00.000');
    expect(formatTime(Number.NaN)).toBe('0:00.000');
  });

  it('round-trips through parseTimeInput to the millisecond', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 36_000_000 }), (ms) => {
        const parsed = parseTimeInput(formatTime(ms / 1000));
        expect(parsed?.kind).toBe('time');
        expect(parsed && parsed.kind === 'time' ? Math.round(parsed.seconds * 1000) : -1).toBe(ms);
      }),
    );
  });
});

describe('parseTimeInput', () => {
  it.each([
    ['12.5', { kind: 'time', seconds: 12.5 }],
    ['12.5s', { kind: 'time', seconds: 12.5 }],
    ['.5', { kind: 'time', seconds: 0.5 }],
    ['1:02.5', { kind: 'time', seconds: 62.5 }],
    ['1:02:03', { kind: 'time', seconds: 3723 }],
    ['#120', { kind: 'frame', index: 120 }],
    ['f7', { kind: 'frame', index: 7 }],
    ['Frame 9', { kind: 'frame', index: 9 }],
  ])('%s', (text, expected) => {
    expect(parseTimeInput(text)).toEqual(expected);
  });

  it.each(['', 'abc', '1:75', '-3', '#', '1:2:3:4', '12..5'])('rejects %j', (text) => {
    expect(parseTimeInput(text)).toBeNull();
  });
});
