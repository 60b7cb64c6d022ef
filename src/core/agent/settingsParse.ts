/**
 * Endpoint settings from outside the program (local storage, a saved project, a settings form):
 * checked field by field. Parsing never fails: a missing or bad field takes its default, so one
 * bad value does not cost the user the rest of their settings. The same rules give the settings
 * form its messages (validateEndpointSettings), so what the form accepts is what parsing keeps.
 *
 * Numbers must be JSON numbers (no "5" strings) within the ranges below; where two fields must
 * agree (minPixels <= maxPixels, crop minFrames <= maxFrames) and do not, both take their
 * defaults, which agree.
 */
import type { EnabledTools, Mode } from './prompts';
import { DEFAULT_ENDPOINT_SETTINGS, type CropSettings, type EndpointSettings, type FrameSamplingSettings, type ImageFormat } from './settings';

export interface SettingsFieldError {
  /** The field's path, e.g. "baseUrl" or "sampling.maxFrames". */
  readonly field: string;
  readonly message: string;
}

interface Rule<T> {
  readonly test: (value: unknown) => value is T;
  readonly message: string;
}

function numberRule(test: (n: number) => boolean, message: string): Rule<number> {
  return { test: (v): v is number => typeof v === 'number' && Number.isFinite(v) && test(v), message };
}

const isInt = Number.isInteger;
/** Far above any model's budget (4096 x 4096), low enough that a typo cannot ask for a huge canvas. */
export const MAX_PIXELS = 4096 * 4096;
export const MAX_FRAMES = 768;

const MODES: readonly Mode[] = ['tool', 'reasoning', 'direct'];
const FORMATS: readonly ImageFormat[] = ['jpeg', 'png'];

export const RULES = {
  baseUrl: { test: (v: unknown): v is string => typeof v === 'string' && isBaseUrl(v), message: 'Must be an http:// or https:// URL, or a path starting with /' },
  // Sent as an HTTP header, which only takes these characters.
  apiKey: { test: (v: unknown): v is string => typeof v === 'string' && /^[\x20-\x7e]*$/.test(v), message: 'May only contain printable ASCII characters' },
  model: { test: (v: unknown): v is string => typeof v === 'string', message: 'Must be text' },
  mode: { test: (v: unknown): v is Mode => MODES.includes(v as Mode), message: 'Must be tool, reasoning or direct' },
  flag: { test: (v: unknown): v is boolean => typeof v === 'boolean', message: 'Must be on or off' },
  imageFormat: { test: (v: unknown): v is ImageFormat => FORMATS.includes(v as ImageFormat), message: 'Must be jpeg or png' },
  fps: numberRule((n) => n > 0 && n <= 60, 'Must be more than 0 and at most 60 frames per second'),
  maxFrames: numberRule((n) => isInt(n) && n % 2 === 0 && n >= 2 && n <= MAX_FRAMES, `Must be an even whole number from 2 to ${MAX_FRAMES}`),
  minFrames: numberRule((n) => isInt(n) && n >= 1 && n <= MAX_FRAMES, `Must be a whole number from 1 to ${MAX_FRAMES}`),
  pixels: numberRule((n) => isInt(n) && n >= 1 && n <= MAX_PIXELS, `Must be a whole number of pixels from 1 to ${MAX_PIXELS}`),
  factor: { test: (v: unknown): v is 28 | 32 => v === 28 || v === 32, message: 'Must be 28 (Qwen2.5-VL) or 32 (Qwen3-VL)' },
  jpegQuality: numberRule((n) => n > 0 && n <= 1, 'Must be more than 0 and at most 1'),
  maxToolRounds: numberRule((n) => isInt(n) && n >= 0 && n <= 20, 'Must be a whole number from 0 to 20'),
  maxTokens: numberRule((n) => isInt(n) && n >= 1 && n <= 131072, 'Must be a whole number from 1 to 131072'),
  temperature: numberRule((n) => n >= 0 && n <= 2, 'Must be from 0 to 2'),
  timeoutS: numberRule((n) => n >= 1 && n <= 3600, 'Must be from 1 to 3600 seconds'),
} as const;

/** An absolute http(s) URL, or a path on the app's own server (a proxy to the endpoint). */
function isBaseUrl(text: string): boolean {
  if (text.startsWith('/')) return !text.startsWith('//');
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.host !== '';
  } catch {
    return false;
  }
}

type Fields = Readonly<Record<string, unknown>>;

function fields(value: unknown): Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Fields) : {};
}

function pick<T>(value: unknown, rule: Rule<T>, fallback: T): T {
  return rule.test(value) ? value : fallback;
}

export function parseEndpointSettings(value: unknown): EndpointSettings {
  const o = fields(value);
  const d = DEFAULT_ENDPOINT_SETTINGS;
  return {
    baseUrl: pick(o.baseUrl, RULES.baseUrl, d.baseUrl),
    apiKey: pick(o.apiKey, RULES.apiKey, d.apiKey),
    model: pick(o.model, RULES.model, d.model),
    mode: pick(o.mode, RULES.mode, d.mode),
    tools: parseTools(o.tools, d.tools),
    sampling: parseSampling(o.sampling, d.sampling),
    imageFormat: pick(o.imageFormat, RULES.imageFormat, d.imageFormat),
    jpegQuality: pick(o.jpegQuality, RULES.jpegQuality, d.jpegQuality),
    crop: parseCrop(o.crop, d.crop),
    maxToolRounds: pick(o.maxToolRounds, RULES.maxToolRounds, d.maxToolRounds),
    maxTokens: pick(o.maxTokens, RULES.maxTokens, d.maxTokens),
    temperature: pick(o.temperature, RULES.temperature, d.temperature),
    timeoutS: pick(o.timeoutS, RULES.timeoutS, d.timeoutS),
    stream: pick(o.stream, RULES.flag, d.stream),
  };
}

function parseTools(value: unknown, d: EnabledTools): EnabledTools {
  const o = fields(value);
  return { viewVisualPrompt: pick(o.viewVisualPrompt, RULES.flag, d.viewVisualPrompt), cropVideo: pick(o.cropVideo, RULES.flag, d.cropVideo) };
}

function parseSampling(value: unknown, d: FrameSamplingSettings): FrameSamplingSettings {
  const o = fields(value);
  let minPixels = pick(o.minPixels, RULES.pixels, d.minPixels);
  let maxPixels = pick(o.maxPixels, RULES.pixels, d.maxPixels);
  if (minPixels > maxPixels) ({ minPixels, maxPixels } = d);
  return { fps: pick(o.fps, RULES.fps, d.fps), maxFrames: pick(o.maxFrames, RULES.maxFrames, d.maxFrames), minPixels, maxPixels, factor: pick(o.factor, RULES.factor, d.factor) };
}

function parseCrop(value: unknown, d: CropSettings): CropSettings {
  const o = fields(value);
  let minFrames = pick(o.minFrames, RULES.minFrames, d.minFrames);
  let maxFrames = pick(o.maxFrames, RULES.maxFrames, d.maxFrames);
  if (minFrames > maxFrames) ({ minFrames, maxFrames } = d);
  return { fps: pick(o.fps, RULES.fps, d.fps), minFrames, maxFrames, maxPixels: pick(o.maxPixels, RULES.pixels, d.maxPixels) };
}

/**
 * What is wrong with settings (as edited in a form), one entry per bad field, in form order;
 * [] when parseEndpointSettings would keep them unchanged.
 */
export function validateEndpointSettings(s: EndpointSettings): SettingsFieldError[] {
  const checks: [string, unknown, Rule<unknown>][] = [
    ['baseUrl', s.baseUrl, RULES.baseUrl],
    ['apiKey', s.apiKey, RULES.apiKey],
    ['model', s.model, RULES.model],
    ['mode', s.mode, RULES.mode],
    ['tools.viewVisualPrompt', s.tools.viewVisualPrompt, RULES.flag],
    ['tools.cropVideo', s.tools.cropVideo, RULES.flag],
    ['sampling.fps', s.sampling.fps, RULES.fps],
    ['sampling.maxFrames', s.sampling.maxFrames, RULES.maxFrames],
    ['sampling.minPixels', s.sampling.minPixels, RULES.pixels],
    ['sampling.maxPixels', s.sampling.maxPixels, RULES.pixels],
    ['sampling.factor', s.sampling.factor, RULES.factor],
    ['imageFormat', s.imageFormat, RULES.imageFormat],
    ['jpegQuality', s.jpegQuality, RULES.jpegQuality],
    ['crop.fps', s.crop.fps, RULES.fps],
    ['crop.minFrames', s.crop.minFrames, RULES.minFrames],
    ['crop.maxFrames', s.crop.maxFrames, RULES.maxFrames],
    ['crop.maxPixels', s.crop.maxPixels, RULES.pixels],
    ['maxToolRounds', s.maxToolRounds, RULES.maxToolRounds],
    ['maxTokens', s.maxTokens, RULES.maxTokens],
    ['temperature', s.temperature, RULES.temperature],
    ['timeoutS', s.timeoutS, RULES.timeoutS],
    ['stream', s.stream, RULES.flag],
  ];
  const errors: SettingsFieldError[] = checks.filter(([, value, rule]) => !rule.test(value)).map(([field, , rule]) => ({ field, message: rule.message }));
  const bad = new Set(errors.map((e) => e.field));
  // Pairs are compared only when both sides are valid on their own, so each field gets one message.
  if (!bad.has('sampling.minPixels') && !bad.has('sampling.maxPixels') && s.sampling.minPixels > s.sampling.maxPixels) {
    errors.push({ field: 'sampling.minPixels', message: 'Must not be more than the maximum pixels' });
  }
  if (!bad.has('crop.minFrames') && !bad.has('crop.maxFrames') && s.crop.minFrames > s.crop.maxFrames) {
    errors.push({ field: 'crop.minFrames', message: 'Must not be more than the maximum frames' });
  }
  return errors;
}
