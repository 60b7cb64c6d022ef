/**
 * Reads a video file's container with mediabunny: detects the format, finds the video track and
 * indexes every packet (metadata only, no decoding). Failures come back as facts, not throws, so
 * the caller can explain them.
 */
import { ALL_FORMATS, BlobSource, EncodedPacketSink, Input, type InputVideoTrack } from 'mediabunny';
import { countReadable, dataEndOf, type DataEnd } from '../../../core/video/damage';
import { unknownFacts, type OpenFacts } from '../../../core/video/openErrors';
import { normaliseRotation, type Orientation } from '../../../core/video/orientation';
import { PacketIndex, type PacketMeta } from '../../../core/video/packetIndex';

export interface DemuxedVideo {
  readonly input: Input;
  readonly track: InputVideoTrack;
  readonly container: string;
  readonly codec: string;
  readonly config: VideoDecoderConfig;
  readonly index: PacketIndex;
  /** Upright size (rotation applied), as a player shows the video. */
  readonly width: number;
  readonly height: number;
  /** How decoded frames (which come out as coded) are turned upright. */
  readonly orientation: Orientation;
  /**
   * Packets, in decode order, whose data is in the file: fewer than the index lists when the
   * file was cut after its index (an MP4 with the moov box at the front).
   */
  readonly readablePackets: number;
  /** Where the playable part of a cut file ends; null for a whole one. */
  readonly dataEnd: DataEnd | null;
}

export type DemuxResult = { readonly ok: true; readonly video: DemuxedVideo } | { readonly ok: false; readonly facts: OpenFacts };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * `requireDecoder`: also check that this browser's WebCodecs can decode the track. Without it the
 * result only indexes packets (used to give the media-element fallback exact frame times).
 */
export async function demux(blob: Blob, name: string, requireDecoder = true): Promise<DemuxResult> {
  const facts: Mutable<OpenFacts> = unknownFacts(name, blob.size);
  const fail = (): DemuxResult => ({ ok: false, facts: { ...facts } });
  if (blob.size === 0) return fail();
  const input = new Input({ source: new BlobSource(blob), formats: ALL_FORMATS });
  try {
    try {
      facts.container = (await input.getFormat()).name;
    } catch (e) {
      facts.demuxError = message(e);
      return fail();
    }
    const tracks = await input.getTracks();
    if (tracks.length === 0) {
      // A container with no tracks at all has lost its index (e.g. an MP4 cut before its moov box).
      facts.demuxError = 'No tracks found: the file index is missing';
      return fail();
    }
    const track = await input.getPrimaryVideoTrack();
    facts.hasVideoTrack = track !== null;
    if (track === null) return fail();
    const codec = await track.getCodec();
    facts.codec = codec ?? (await track.getCodecParameterString());
    const config = await track.getDecoderConfig();
    if (codec === null || config === null) {
      facts.decoderSupported = false;
      return fail();
    }
    if (requireDecoder) {
      if (typeof VideoDecoder === 'undefined') {
        facts.demuxError = 'This browser has no WebCodecs VideoDecoder';
        return fail();
      }
      const support = await VideoDecoder.isConfigSupported(config);
      facts.decoderSupported = support.supported === true;
      if (!facts.decoderSupported) return fail();
    }

    const packets: PacketMeta[] = [];
    const sink = new EncodedPacketSink(track);
    for await (const p of sink.packets(undefined, undefined, { metadataOnly: true })) {
      packets.push({ timestamp: p.timestamp, duration: p.duration, isKey: p.type === 'key' });
    }
    if (packets.length === 0) {
      facts.demuxError = 'The video track has no frames';
      return fail();
    }
    const index = new PacketIndex(packets);
    const readablePackets = await countReadablePackets(sink, index);
    const video: DemuxedVideo = {
      input,
      track,
      container: facts.container,
      codec: config.codec,
      config,
      index,
      width: await track.getDisplayWidth(),
      height: await track.getDisplayHeight(),
      orientation: { rotation: normaliseRotation(await track.getRotation()), flip: await track.getFlip() },
      readablePackets,
      dataEnd: dataEndOf(index, readablePackets),
    };
    return { ok: true, video };
  } catch (e) {
    facts.demuxError = message(e);
    input.dispose();
    return fail();
  }
}

/**
 * How many packets, in decode order, have their data in the file. The index lists every packet;
 * mediabunny returns null for one whose bytes lie past the end. Packets are stored in decode
 * order, so the readable ones are a prefix and a binary search finds its end (one read for a
 * whole file).
 */
function countReadablePackets(sink: EncodedPacketSink, index: PacketIndex): Promise<number> {
  return countReadable(index.frameCount, async (pos) => (await sink.getPacket(index.timestamps[index.frameAtDecodePos(pos)]!)) !== null);
}
