import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT_SETTINGS as D } from '../../core/agent/settings';
import { describeFrameCount, describeFrameSize, displayValue, endpointLabel, FIELDS, parseField, parseNumber } from './fields';

describe('parseNumber', () => {
  it('takes finite numbers, trimmed', () => {
    expect(parseNumber(' 0.5 ')).toBe(0.5);
    expect(parseNumber('1e3')).toBe(1000);
    expect(parseNumber('-2')).toBe(-2);
  });

  it('refuses what Number or parseFloat would quietly turn into a number', () => {
    for (const t of ['', '  ', '3x', '0,9', 'NaN', 'Infinity', '1/2']) expect(parseNumber(t)).toBeNull();
  });
});

describe('parseField', () => {
  it('patches a top-level field', () => {
    expect(parseField(D, FIELDS.temperature, '0.7')).toEqual({ ok: true, patch: { temperature: 0.7 } });
    expect(parseField(D, FIELDS.baseUrl, '  https://example.com/v1\n')).toEqual({ ok: true, patch: { baseUrl: 'https://example.com/v1' } });
  });

  it('writes a nested group whole, since updateSettings merges only the top level', () => {
    const r = parseField(D, FIELDS.maxPixels, '401408');
    expect(r).toEqual({ ok: true, patch: { sampling: { ...D.sampling, maxPixels: 401408 } } });
    const c = parseField(D, FIELDS.cropMinFrames, '2');
    expect(c).toEqual({ ok: true, patch: { crop: { ...D.crop, minFrames: 2 } } });
  });

  it('says why a value that is not a number is refused', () => {
    expect(parseField(D, FIELDS.fps, 'abc')).toEqual({ ok: false, message: 'Must be a number' });
    expect(parseField(D, FIELDS.jpegQuality, '0,8')).toEqual({ ok: false, message: 'Must be a number, with a dot for decimals' });
    expect(parseField(D, FIELDS.fps, '')).toMatchObject({ ok: false });
  });

  it('applies the validator’s rules for the field', () => {
    expect(parseField(D, FIELDS.maxFrames, '63')).toMatchObject({ ok: false, message: expect.stringMatching(/even/) });
    expect(parseField(D, FIELDS.temperature, '3')).toMatchObject({ ok: false });
    expect(parseField(D, FIELDS.baseUrl, 'localhost:8000')).toMatchObject({ ok: false });
  });

  it('reports a rule relating two fields on the edited one, naming the other', () => {
    // The validator files min > max under min pixels; the user just edited max pixels.
    const r = parseField(D, FIELDS.maxPixels, '500');
    expect(r).toEqual({ ok: false, message: 'Min pixels (784) must not be more than the maximum pixels' });
    expect(parseField(D, FIELDS.cropMaxFrames, '2')).toMatchObject({ ok: false, message: 'Crop min frames (4) must not be more than the maximum frames' });
  });

  it('does not block an edit on a problem that was there before it', () => {
    const broken = { ...D, temperature: 9 };
    expect(parseField(broken, FIELDS.maxTokens, '1024')).toEqual({ ok: true, patch: { maxTokens: 1024 } });
  });
});

describe('displayValue', () => {
  it('shows numbers as typed back', () => {
    expect(displayValue(FIELDS.jpegQuality, D)).toBe('0.9');
    expect(displayValue(FIELDS.cropMaxPixels, D)).toBe('112896');
    expect(displayValue(FIELDS.model, D)).toBe('');
  });
});

describe('describeFrameSize', () => {
  it('gives the protocol example', () => {
    expect(describeFrameSize({ width: 1280, height: 720 }, D.sampling)).toBe('1280×720 frames are sent as 588×336 (about 252 image tokens each).');
  });

  it('follows the factor', () => {
    expect(describeFrameSize({ width: 1280, height: 720 }, { ...D.sampling, factor: 32 })).toBe('1280×720 frames are sent as 576×320 (about 180 image tokens each).');
  });

  it('is null without a video and explains a size that cannot be sent', () => {
    expect(describeFrameSize(null, D.sampling)).toBeNull();
    expect(describeFrameSize({ width: 0, height: 0 }, D.sampling)).toBeNull();
    expect(describeFrameSize({ width: 10000, height: 10 }, D.sampling)).toMatch(/^10000×10 frames cannot be sent: .*aspect ratio/);
  });
});

describe('describeFrameCount', () => {
  it('counts as runAgent samples (even, at most max frames, at least 1 wanted)', () => {
    expect(describeFrameCount({ durationS: 12.3, frameCount: 369 }, D.sampling)).toBe('This 12.3 s video gives 12 frames.');
    expect(describeFrameCount({ durationS: 300, frameCount: 9000 }, D.sampling)).toBe('This 300.0 s video gives 64 frames.');
    expect(describeFrameCount({ durationS: 0.04, frameCount: 1 }, D.sampling)).toBe('This 0.0 s video gives 1 frame.');
    expect(describeFrameCount(null, D.sampling)).toBeNull();
  });
});

describe('endpointLabel', () => {
  it('names the model and the host', () => {
    expect(endpointLabel({ baseUrl: 'http://localhost:8000/v1', model: 'videoseeker-8b' })).toBe('videoseeker-8b @ localhost:8000');
    expect(endpointLabel({ baseUrl: 'https://api.example.com/v1', model: ' ' })).toBe('auto model @ api.example.com');
    expect(endpointLabel({ baseUrl: '/proxy/v1', model: '' })).toBe('auto model @ /proxy/v1');
  });
});
