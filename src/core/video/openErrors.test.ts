import { describe, expect, it } from 'vitest';
import { checkVideoUrl, classifyOpenFailure, codecDisplayName, nameFromUrl, unknownFacts, urlOpenError, type OpenFacts } from './openErrors';

const base: OpenFacts = unknownFacts('clip.mp4', 1000);

describe('classifyOpenFailure', () => {
  it('explains each kind of bad file', () => {
    expect(classifyOpenFailure({ ...base, byteLength: 0 }).kind).toBe('empty');
    const notVideo = classifyOpenFailure({ ...base, name: 'notes.txt', demuxError: 'unrecognised', elementErrorCode: 4 });
    expect(notVideo.kind).toBe('not-video');
    expect(notVideo.title).toContain('notes.txt');
    expect(notVideo.message).toContain('not a video file');
    const truncated = classifyOpenFailure({ ...base, container: 'MP4', demuxError: 'No tracks found', elementErrorCode: 4 });
    expect(truncated.kind).toBe('corrupt');
    expect(truncated.message).toContain('truncated or corrupt');
    expect(truncated.detail).toBe('No tracks found');
    expect(classifyOpenFailure({ ...base, container: 'WebM', elementErrorCode: 3 }).message).toContain('could not be decoded');
    const hevc = classifyOpenFailure({ ...base, container: 'MP4', hasVideoTrack: true, codec: 'hevc', decoderSupported: false, elementErrorCode: 4 });
    expect(hevc.kind).toBe('unsupported-codec');
    expect(hevc.message).toContain('HEVC (H.265), which this browser cannot decode');
    expect(classifyOpenFailure({ ...base, container: 'MP4', hasVideoTrack: false }).kind).toBe('no-video-track');
  });
});

describe('URLs', () => {
  it('explains network and HTTP failures', () => {
    expect(urlOpenError('http://x/a.mp4', { network: 'Failed to fetch' })).toMatchObject({ kind: 'unreachable', detail: 'Failed to fetch' });
    expect(urlOpenError('http://x/a.mp4', { status: 404, statusText: 'Not Found' }).message).toContain('HTTP 404 Not Found');
    expect(urlOpenError('http://x/a.mp4', { status: 403, statusText: '' }).message).toContain('refused');
  });

  it('accepts web addresses and rejects the rest', () => {
    expect(checkVideoUrl('https://example.org/v.mp4', 'http://app/')).toEqual({ ok: true, url: 'https://example.org/v.mp4' });
    expect(checkVideoUrl('samples/v.webm', 'http://app/x/')).toEqual({ ok: true, url: 'http://app/x/samples/v.webm' });
    const file = checkVideoUrl('file:///home/me/v.mp4', 'http://app/');
    expect(file.ok).toBe(false);
    expect(!file.ok && file.error.message).toContain('Choose file');
    expect(checkVideoUrl('http://[bad', 'http://app/').ok).toBe(false);
  });

  it('names a video after its URL', () => {
    expect(nameFromUrl('https://h/a/b/clip%20one.mp4?x=1')).toBe('clip one.mp4');
    expect(nameFromUrl('https://host.org/')).toBe('host.org');
  });
});

describe('codecDisplayName', () => {
  it.each([
    ['avc1.64001f', 'H.264 (AVC)'],
    ['hvc1.1.6.L93.B0', 'HEVC (H.265)'],
    ['vp09.00.30.08.01.02.02.02.00', 'VP9'],
    ['vp8', 'VP8'],
    ['av01.0.05M.08', 'AV1'],
    ['mp4v.20.9', 'mp4v.20.9'],
  ])('%s → %s', (codec, name) => expect(codecDisplayName(codec)).toBe(name));
});
