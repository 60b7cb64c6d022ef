/**
 * Turns what the adapters found out while opening a video into one clear message for the user.
 * Pure so that every bad-input case is tested without a browser.
 */
export type VideoOpenErrorKind =
  | 'empty'
  | 'not-video'
  | 'corrupt'
  | 'no-video-track'
  | 'unsupported-codec'
  | 'unreachable'
  | 'http'
  | 'bad-url';

export interface VideoOpenError {
  readonly kind: VideoOpenErrorKind;
  /** One line, names the file. */
  readonly title: string;
  /** What went wrong and what the user can do. */
  readonly message: string;
  /** The technical cause, for a "details" disclosure. */
  readonly detail?: string;
}

/** What was learnt about a file on the way to the failure. */
export interface OpenFacts {
  readonly name: string;
  readonly byteLength: number | null;
  /** Container recognised from the bytes ("MP4", "WebM", ...), or null when nothing matched. */
  readonly container: string | null;
  /** Error thrown while reading the container, if any. */
  readonly demuxError: string | null;
  /** null when the container could not be read far enough to know. */
  readonly hasVideoTrack: boolean | null;
  /** Short codec id from the container (e.g. "hevc", "avc", "vp9"), when known. */
  readonly codec: string | null;
  /** WebCodecs' verdict on the codec; null when not asked. */
  readonly decoderSupported: boolean | null;
  /** The media element's verdict when it was tried: its MediaError code, or null. */
  readonly elementErrorCode: number | null;
}

/** Facts about a file of which nothing has been learnt yet but its name and size. */
export function unknownFacts(name: string, byteLength: number | null): OpenFacts {
  return {
    name,
    byteLength,
    container: null,
    demuxError: null,
    hasVideoTrack: null,
    codec: null,
    decoderSupported: null,
    elementErrorCode: null,
  };
}

const CODEC_NAMES: Record<string, string> = {
  avc: 'H.264 (AVC)',
  hevc: 'HEVC (H.265)',
  vp8: 'VP8',
  vp9: 'VP9',
  av1: 'AV1',
};

/** The codec family of a short id ("hevc") or a full codec string ("hvc1.1.6.L93.B0"). */
export function codecFamily(codec: string): string {
  const c = codec.toLowerCase();
  if (c in CODEC_NAMES) return c;
  if (/^(avc1|avc3)\b/.test(c)) return 'avc';
  if (/^(hvc1|hev1)\b/.test(c)) return 'hevc';
  if (/^vp0?9\b/.test(c)) return 'vp9';
  if (/^vp0?8\b/.test(c)) return 'vp8';
  if (/^av01\b/.test(c)) return 'av1';
  return c;
}

/** A codec for people: "VP9", "H.264 (AVC)", or the string itself when unknown. */
export function codecDisplayName(codec: string): string {
  return CODEC_NAMES[codecFamily(codec)] ?? codec;
}

const SUPPORTED = 'MP4 (H.264, AV1) and WebM (VP8, VP9, AV1)';
/** MediaError.MEDIA_ERR_DECODE */
const MEDIA_ERR_DECODE = 3;

export function classifyOpenFailure(f: OpenFacts): VideoOpenError {
  const title = `Could not open “${f.name}”`;
  if (f.byteLength === 0) {
    return { kind: 'empty', title, message: 'The file is empty (0 bytes).' };
  }
  if (f.container !== null && f.hasVideoTrack === false) {
    return {
      kind: 'no-video-track',
      title,
      message: `This ${f.container} file has no video track (it may hold audio only).`,
    };
  }
  if (f.codec !== null && f.decoderSupported === false) {
    return {
      kind: 'unsupported-codec',
      title,
      message:
        `The video is encoded with ${codecDisplayName(f.codec)}, which this browser cannot decode. ` +
        `Convert it to a supported format (${SUPPORTED}), e.g. ` +
        '`ffmpeg -i input -c:v libx264 -pix_fmt yuv420p output.mp4`.',
      detail: f.demuxError ?? undefined,
    };
  }
  if (f.container !== null) {
    return {
      kind: 'corrupt',
      title,
      message:
        f.elementErrorCode === MEDIA_ERR_DECODE
          ? `This ${f.container} file is damaged: its frames could not be decoded.`
          : `This looks like a ${f.container} file, but it could not be read: it is probably truncated or corrupt. ` +
            'If it was copied or downloaded, try getting it again.',
      detail: f.demuxError ?? undefined,
    };
  }
  return {
    kind: 'not-video',
    title,
    message: `This is not a video file the app can read. Supported formats: ${SUPPORTED}.`,
    detail: f.demuxError ?? undefined,
  };
}

/** Errors on the way to a video's bytes, before any of them were read. */
export function urlOpenError(url: string, failure: { status: number; statusText: string } | { network: string }): VideoOpenError {
  const title = `Could not open ${url}`;
  if ('status' in failure) {
    const hint =
      failure.status === 404
        ? 'Nothing was found at that address.'
        : failure.status === 401 || failure.status === 403
          ? 'The server refused access to it.'
          : 'The server answered with an error.';
    return {
      kind: 'http',
      title,
      message: `${hint} (HTTP ${failure.status}${failure.statusText ? ` ${failure.statusText}` : ''})`,
    };
  }
  return {
    kind: 'unreachable',
    title,
    message:
      'The server could not be reached. Check the address and that the server is running. ' +
      'A video on another site can only be opened if that site allows cross-origin requests (CORS).',
    detail: failure.network,
  };
}

/** Validates a typed URL; returns an error for anything but http(s) (and blob/data) URLs. */
export function checkVideoUrl(text: string, base: string): { ok: true; url: string } | { ok: false; error: VideoOpenError } {
  let parsed: URL;
  try {
    parsed = new URL(text.trim(), base);
  } catch {
    return {
      ok: false,
      error: { kind: 'bad-url', title: `“${text}” is not a web address`, message: 'Enter an address such as https://example.org/clip.mp4.' },
    };
  }
  if (!['http:', 'https:', 'blob:', 'data:'].includes(parsed.protocol)) {
    return {
      ok: false,
      error: {
        kind: 'bad-url',
        title: `Cannot open ${parsed.protocol} addresses`,
        message: 'Only http and https addresses can be opened; use “Choose file” for files on this computer.',
      },
    };
  }
  return { ok: true, url: parsed.href };
}

/** The last path segment of a URL, decoded, as a display name. */
export function nameFromUrl(url: string): string {
  try {
    const u = new URL(url);
    const last = u.pathname.split('/').filter(Boolean).pop();
    return last ? decodeURIComponent(last) : u.host || url;
  } catch {
    return url;
  }
}
