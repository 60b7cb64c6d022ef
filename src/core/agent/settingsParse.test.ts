import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ENDPOINT_SETTINGS, type EndpointSettings } from './settings';
import { MAX_PIXELS, parseEndpointSettings, validateEndpointSettings } from './settingsParse';

const D = DEFAULT_ENDPOINT_SETTINGS;

/** Settings that satisfy every rule (what the form can save). */
const validSettings: fc.Arbitrary<EndpointSettings> = fc
  .record({
    baseUrl: fc.oneof(fc.webUrl({ validSchemes: ['http', 'https'] }), fc.constantFrom('/v1', '/api/openai/v1')),
    apiKey: fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) }),
    model: fc.string(),
    mode: fc.constantFrom('tool', 'reasoning', 'direct' as const),
    tools: fc.record({ viewVisualPrompt: fc.boolean(), cropVideo: fc.boolean() }),
    sampling: fc.record({
      fps: fc.double({ min: 0.01, max: 60, noNaN: true }),
      maxFrames: fc.integer({ min: 1, max: 384 }).map((n) => 2 * n),
      pixels: fc.tuple(fc.integer({ min: 1, max: MAX_PIXELS }), fc.integer({ min: 1, max: MAX_PIXELS })),
      factor: fc.constantFrom(28, 32 as const),
    }),
    imageFormat: fc.constantFrom('jpeg', 'png' as const),
    jpegQuality: fc.double({ min: 0.01, max: 1, noNaN: true }),
    crop: fc.record({
      fps: fc.double({ min: 0.01, max: 60, noNaN: true }),
      frames: fc.integer({ min: 1, max: 384 }).chain((half) => fc.tuple(fc.integer({ min: 1, max: 2 * half }), fc.constant(2 * half))),
      maxPixels: fc.integer({ min: 1, max: MAX_PIXELS }),
    }),
    maxToolRounds: fc.integer({ min: 0, max: 20 }),
    maxTokens: fc.integer({ min: 1, max: 131072 }),
    temperature: fc.double({ min: 0, max: 2, noNaN: true }),
    timeoutS: fc.double({ min: 1, max: 3600, noNaN: true }),
    stream: fc.boolean(),
  })
  .map(({ sampling: { pixels, ...sampling }, crop: { frames, ...crop }, ...rest }) => ({
    ...rest,
    sampling: { ...sampling, minPixels: Math.min(...pixels), maxPixels: Math.max(...pixels) },
    crop: { ...crop, minFrames: frames[0], maxFrames: frames[1] },
  }));

/** Any JSON, plus objects shaped like settings with any JSON in each field. */
const settingsLike = fc.oneof(
  fc.jsonValue(),
  fc.record(
    Object.fromEntries(Object.keys(D).map((k) => [k, fc.oneof(fc.jsonValue(), fc.dictionary(fc.constantFrom('fps', 'maxFrames', 'minFrames', 'minPixels', 'maxPixels', 'factor', 'cropVideo', 'viewVisualPrompt'), fc.jsonValue()))])),
    { requiredKeys: [] },
  ),
);

describe('parseEndpointSettings', () => {
  it('turns any JSON value into valid settings, and is idempotent', () => {
    fc.assert(
      fc.property(settingsLike, (value) => {
        const s = parseEndpointSettings(value);
        expect(validateEndpointSettings(s)).toEqual([]);
        expect(parseEndpointSettings(s)).toEqual(s);
        expect(Object.keys(s).sort()).toEqual(Object.keys(D).sort());
      }),
      { numRuns: 500 },
    );
  });

  it('keeps valid settings exactly, and the form finds nothing wrong with them', () => {
    fc.assert(
      fc.property(validSettings, (s) => {
        expect(validateEndpointSettings(s)).toEqual([]);
        expect(parseEndpointSettings(JSON.parse(JSON.stringify(s)))).toEqual(s);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the defaults for nothing', () => {
    for (const v of [undefined, null, 42, 'x', [], {}]) expect(parseEndpointSettings(v)).toEqual(D);
    expect(validateEndpointSettings(D)).toEqual([]);
  });

  it('replaces only the bad fields', () => {
    const s = parseEndpointSettings({
      baseUrl: 'ftp://example.com',
      apiKey: 'sk-123',
      model: 'videoseeker-8b',
      mode: 'agent',
      tools: { viewVisualPrompt: false, cropVideo: 'yes' },
      sampling: { fps: 0, maxFrames: 255, minPixels: 1000, maxPixels: 112896, factor: 14 },
      jpegQuality: 1.5,
      crop: { fps: 2, minFrames: 3, maxFrames: 800 },
      maxToolRounds: 21,
      maxTokens: '4096',
      temperature: 0.5,
      timeoutS: 0.5,
      stream: false,
    });
    expect(s).toEqual({
      ...D,
      apiKey: 'sk-123',
      model: 'videoseeker-8b',
      tools: { viewVisualPrompt: false, cropVideo: true },
      sampling: { fps: 1, maxFrames: 64, minPixels: 1000, maxPixels: 112896, factor: 28 },
      crop: { fps: 2, minFrames: 3, maxFrames: 64, maxPixels: 112896 },
      temperature: 0.5,
      stream: false,
    });
  });

  it('gives both sides their defaults when a pair disagrees', () => {
    const s = parseEndpointSettings({ sampling: { minPixels: 300000, maxPixels: 200000, factor: 32 }, crop: { minFrames: 70, maxFrames: 64 } });
    expect(s.sampling).toEqual({ ...D.sampling, factor: 32 });
    expect(s.crop).toEqual(D.crop);
  });

  it('accepts an https URL and a path on the app server', () => {
    expect(parseEndpointSettings({ baseUrl: 'https://api.example.com/v1' }).baseUrl).toBe('https://api.example.com/v1');
    expect(parseEndpointSettings({ baseUrl: '/vllm/v1' }).baseUrl).toBe('/vllm/v1');
    expect(parseEndpointSettings({ baseUrl: '//evil.example/v1' }).baseUrl).toBe(D.baseUrl);
    expect(parseEndpointSettings({ baseUrl: 'localhost:8000' }).baseUrl).toBe(D.baseUrl);
  });
});

describe('validateEndpointSettings', () => {
  it('names each bad field with a message', () => {
    const s: EndpointSettings = {
      ...D,
      baseUrl: 'localhost:8000/v1',
      apiKey: 'key\n',
      sampling: { ...D.sampling, maxFrames: 63, minPixels: 300000 },
      crop: { ...D.crop, minFrames: 65, maxFrames: 64 },
      temperature: Number.NaN,
      timeoutS: 0,
    };
    expect(validateEndpointSettings(s)).toEqual([
      { field: 'baseUrl', message: 'Must be an http:// or https:// URL, or a path starting with /' },
      { field: 'apiKey', message: 'May only contain printable ASCII characters' },
      { field: 'sampling.maxFrames', message: 'Must be an even whole number from 2 to 768' },
      { field: 'temperature', message: 'Must be from 0 to 2' },
      { field: 'timeoutS', message: 'Must be from 1 to 3600 seconds' },
      { field: 'sampling.minPixels', message: 'Must not be more than the maximum pixels' },
      { field: 'crop.minFrames', message: 'Must not be more than the maximum frames' },
    ]);
  });
});
