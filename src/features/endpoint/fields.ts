/**
 * The pure side of the endpoint settings dialog: how the text typed in a field becomes a settings
 * patch (or the reason it does not), the sentences about what the sampling settings mean for the
 * open video, and the endpoint's short label. Kept free of React so it is unit-tested in Node.
 */
import { frameCount, smartResize } from '../../core/agent/sampling';
import type { CropSettings, EndpointSettings, FrameSamplingSettings } from '../../core/agent/settings';
import { validateEndpointSettings } from '../../core/agent/settingsParse';

type Patch = Partial<EndpointSettings>;

/**
 * One typed field. `path` is the field's name in `validateEndpointSettings`' problems
 * ("baseUrl", "sampling.fps", ...). `write` returns a patch for `updateSettings`, which merges
 * only the top level: a nested group is therefore written whole.
 */
export type FieldSpec =
  | { readonly kind: 'text'; readonly path: string; readonly label: string; read(s: EndpointSettings): string; write(s: EndpointSettings, v: string): Patch }
  | { readonly kind: 'number'; readonly path: string; readonly label: string; read(s: EndpointSettings): number; write(s: EndpointSettings, v: number): Patch };

type TopText = 'baseUrl' | 'apiKey' | 'model';
type TopNumber = 'jpegQuality' | 'maxToolRounds' | 'maxTokens' | 'temperature' | 'timeoutS';
// The factor is a select (28 | 32), not a typed number.
type SamplingNumber = Exclude<keyof FrameSamplingSettings, 'factor'>;

const text = (key: TopText, label: string): FieldSpec => ({ kind: 'text', path: key, label, read: (s) => s[key], write: (_, v) => ({ [key]: v }) });
const top = (key: TopNumber, label: string): FieldSpec => ({ kind: 'number', path: key, label, read: (s) => s[key], write: (_, v) => ({ [key]: v }) });
const sampling = (key: SamplingNumber, label: string): FieldSpec => ({
  kind: 'number',
  path: `sampling.${key}`,
  label,
  read: (s) => s.sampling[key],
  write: (s, v) => ({ sampling: { ...s.sampling, [key]: v } }),
});
const crop = (key: keyof CropSettings, label: string): FieldSpec => ({
  kind: 'number',
  path: `crop.${key}`,
  label,
  read: (s) => s.crop[key],
  write: (s, v) => ({ crop: { ...s.crop, [key]: v } }),
});

/** Every field the dialog lets the user type into, with its label (the input's accessible name). */
export const FIELDS = {
  baseUrl: text('baseUrl', 'Base URL'),
  apiKey: text('apiKey', 'API key'),
  model: text('model', 'Model'),
  fps: sampling('fps', 'Frames per second'),
  maxFrames: sampling('maxFrames', 'Max frames'),
  minPixels: sampling('minPixels', 'Min pixels'),
  maxPixels: sampling('maxPixels', 'Max pixels'),
  jpegQuality: top('jpegQuality', 'JPEG quality'),
  cropFps: crop('fps', 'Crop frames per second'),
  cropMinFrames: crop('minFrames', 'Crop min frames'),
  cropMaxFrames: crop('maxFrames', 'Crop max frames'),
  cropMaxPixels: crop('maxPixels', 'Crop max pixels'),
  maxToolRounds: top('maxToolRounds', 'Max tool rounds'),
  maxTokens: top('maxTokens', 'Max tokens'),
  temperature: top('temperature', 'Temperature'),
  timeoutS: top('timeoutS', 'Request timeout (s)'),
} as const satisfies Record<string, FieldSpec>;

const BY_PATH = new Map<string, FieldSpec>(Object.values(FIELDS).map((f) => [f.path, f]));

/** What a field shows when the user is not editing it. */
export function displayValue(spec: FieldSpec, settings: EndpointSettings): string {
  return String(spec.read(settings));
}

/** A finite number, or null. `Number('')` is 0 and `parseFloat('3x')` is 3: neither is wanted here. */
export function parseNumber(typed: string): number | null {
  const t = typed.trim();
  if (t === '') return null;
  const n = Number(t);
  return Number.isFinite(n) ? n : null;
}

export type FieldResult = { readonly ok: true; readonly patch: Patch } | { readonly ok: false; readonly message: string };

/**
 * Turns what was typed into a patch, or says why it cannot be committed. The whole would-be
 * settings are validated, not the value alone, so the rules that relate two fields (a minimum
 * above its maximum) apply too; such a rule may name the other field, so a problem the edit
 * introduced anywhere counts, while problems that were there before it do not block it.
 */
export function parseField(settings: EndpointSettings, spec: FieldSpec, typed: string): FieldResult {
  let patch: Patch;
  if (spec.kind === 'text') {
    // Pasted URLs and keys often carry a stray space or newline; none is meaningful here.
    patch = spec.write(settings, typed.trim());
  } else {
    const n = parseNumber(typed);
    if (n === null) return { ok: false, message: typed.includes(',') ? 'Must be a number, with a dot for decimals' : 'Must be a number' };
    patch = spec.write(settings, n);
  }
  const key = (p: { field: string; message: string }): string => `${p.field}\n${p.message}`;
  const before = new Set(validateEndpointSettings(settings).map(key));
  const next = { ...settings, ...patch };
  const after = validateEndpointSettings(next);
  const own = after.find((p) => p.field === spec.path);
  if (own) return { ok: false, message: own.message };
  // A rule relating two fields reports on one of them; shown at the edited one, it names the
  // other with its value: "Min pixels (784) must not be more than the maximum pixels".
  const caused = after.find((p) => !before.has(key(p)));
  if (caused) {
    const other = BY_PATH.get(caused.field);
    const subject = other ? `${other.label} (${displayValue(other, next)})` : caused.field;
    return { ok: false, message: `${subject} ${caused.message.charAt(0).toLowerCase()}${caused.message.slice(1)}` };
  }
  return { ok: true, patch };
}

interface VideoSize {
  readonly width: number;
  readonly height: number;
}

/**
 * The size the open video's frames are sent at, e.g. "1280×720 frames are sent as 588×336 (about
 * 252 image tokens each)." Qwen-style models make one token of each factor×factor square (patch
 * 14 or 16, merged 2×2), which is what the factor stands for. Null when no video is open.
 */
export function describeFrameSize(video: VideoSize | null, s: FrameSamplingSettings): string | null {
  if (video === null || !(video.width > 0 && video.height > 0)) return null;
  try {
    const size = smartResize(video.height, video.width, s);
    const tokens = (size.width / s.factor) * (size.height / s.factor);
    return `${video.width}×${video.height} frames are sent as ${size.width}×${size.height} (about ${tokens} image tokens each).`;
  } catch (e) {
    // smartResize refuses extreme aspect ratios, as the reference does: the question would fail too.
    return `${video.width}×${video.height} frames cannot be sent: ${e instanceof Error ? e.message : String(e)}.`;
  }
}

interface VideoLength {
  readonly durationS: number;
  readonly frameCount: number;
}

/** How many frames of the open video go with the question (as runAgent samples them: at least 1). */
export function describeFrameCount(video: VideoLength | null, s: Pick<FrameSamplingSettings, 'fps' | 'maxFrames'>): string | null {
  if (video === null || !(video.frameCount > 0)) return null;
  const n = frameCount(video.durationS, video.frameCount, { fps: s.fps, minFrames: 1, maxFrames: s.maxFrames });
  return `This ${video.durationS.toFixed(1)} s video gives ${n} frame${n === 1 ? '' : 's'}.`;
}

/** The host (and port) of a base URL, or the text itself when it is not a URL. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host || baseUrl;
  } catch {
    return baseUrl;
  }
}

/** The endpoint in a few words, for the top bar: "videoseeker-8b @ localhost:8000". */
export function endpointLabel(s: Pick<EndpointSettings, 'baseUrl' | 'model'>): string {
  const model = s.model.trim();
  return `${model === '' ? 'auto model' : model} @ ${hostOf(s.baseUrl)}`;
}
