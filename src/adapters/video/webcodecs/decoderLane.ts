/**
 * One WebCodecs VideoDecoder walking one video's packets. It decodes frame i by restarting at the
 * key packet before it, or by carrying on when that is cheaper (see `planDecode`), and keeps the
 * frames it passes on the way in a bounded cache, so stepping backward inside a group of pictures
 * costs nothing. The cache holds VideoFrames as decoded (YUV, ~40 % of RGBA's size); only a frame
 * that is asked for pays the colour conversion into an ImageBitmap.
 */
import { EncodedPacketSink, type EncodedPacket } from 'mediabunny';
import { BoundedCache } from '../../../core/cache/boundedCache';
import { FrameDecodeError } from '../../../core/video/damage';
import { planDecode, type DecoderCursor } from '../../../core/video/packetIndex';
import type { DemuxedVideo } from './demux';
import { frameToBitmap } from './frameToBitmap';

export interface DecoderLaneOptions {
  readonly maxCachedFrames: number;
  readonly maxCachedBytes: number;
  /** Packets fed past the wanted one before giving up and flushing (B-frame reordering depth). */
  readonly maxReorder?: number;
  /** Resize frames as they are cached (thumbnails); full size when absent. */
  readonly resizeWidth?: number;
}

interface Target {
  readonly frame: number;
  seen: boolean;
  resolve(bitmap: ImageBitmap): void;
  reject(error: Error): void;
}

const MAX_QUEUE = 4;
/** Packets fed beyond a frame asked for in order, so the next ones decode while this one is shown. */
const READ_AHEAD = 6;

export class DecoderLane {
  private readonly sink: EncodedPacketSink;
  private readonly cache: BoundedCache<number, VideoFrame>;
  private decoder: VideoDecoder | null = null;
  private cursor: { start: number; next: number; lastOutput: number } | null = null;
  private packets: AsyncGenerator<EncodedPacket, void, unknown> | null = null;
  private target: Target | null = null;
  private wake: (() => void) | null = null;
  private failure: Error | null = null;
  /** Serialises requests: a lane decodes toward one frame at a time. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private lastRequested = -1;

  constructor(
    private readonly video: DemuxedVideo,
    private readonly options: DecoderLaneOptions,
  ) {
    this.sink = new EncodedPacketSink(video.track);
    this.cache = new BoundedCache<number, VideoFrame>({
      maxEntries: options.maxCachedFrames,
      maxBytes: options.maxCachedBytes,
      sizeOf: (f) => f.allocationSize(),
      release: (f) => f.close(),
    });
  }

  get cachedFrames(): number {
    return this.cache.size;
  }

  /** A fresh bitmap of frame `frame`, owned by the caller (ready to transfer). */
  getFrame(frame: number): Promise<ImageBitmap> {
    const sequential = frame === this.lastRequested + 1;
    this.lastRequested = frame;
    const run = this.queue.then(() => this.decodeTo(frame));
    // Playing or stepping forward: keep the decoder busy on the next frames in the background.
    this.queue = run.then(() => (sequential ? this.readAhead(frame) : undefined)).catch(() => undefined);
    return run;
  }

  close(): void {
    this.closed = true;
    void this.packets?.return();
    this.packets = null;
    if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
    this.decoder = null;
    this.cache.clear();
    this.target?.reject(new Error('The video was closed'));
  }

  /**
   * Lets go of the decoder and the frames it kept (a decoder holds its own buffers, tens of MB at
   * 720p): the next request starts a new one at a key frame, which a sparse sample does anyway.
   */
  rest(): void {
    // After whatever was asked before it (a read-ahead included), before whatever is asked next.
    this.queue = this.queue.then(() => {
      if (this.closed) return;
      void this.packets?.return();
      this.packets = null;
      this.cursor = null;
      if (this.decoder && this.decoder.state !== 'closed') this.decoder.close();
      this.decoder = null;
      this.cache.clear();
    });
  }

  private bitmapOf(frame: VideoFrame): Promise<ImageBitmap> {
    return frameToBitmap(frame, { resizeWidth: this.options.resizeWidth, orientation: this.video.orientation });
  }

  /** The last decode position whose packet is in the file. */
  private get lastReadable(): number {
    return this.video.readablePackets - 1;
  }

  private async decodeTo(frame: number): Promise<ImageBitmap> {
    if (this.closed) throw new Error('The video was closed');
    const index = this.video.index;
    if (!(frame >= 0 && frame < index.frameCount)) throw new Error(`No frame ${frame}`);
    const end = this.video.dataEnd;
    if (end !== null && frame >= end.firstMissingFrame) {
      throw new FrameDecodeError({ frame, kind: 'missing', detail: 'the file ends before its data' });
    }
    const cached = this.cache.get(frame);
    if (cached !== undefined) return this.bitmapOf(cached);

    const step = planDecode(index, frame, this.failure ? null : (this.cursor as DecoderCursor | null));
    if (step.kind === 'reset') await this.resetTo(step.from);
    const decoder = this.decoder!;
    const cursor = this.cursor!;

    const target: Target = { frame, seen: false, resolve: () => {}, reject: () => {} };
    const result = new Promise<ImageBitmap>((resolve, reject) => {
      target.resolve = resolve;
      target.reject = reject;
    });
    // A decoder error rejects `result` and ends the loop below, which reports the failure itself;
    // this handler keeps that rejection from also surfacing as an unhandled one.
    result.catch(() => undefined);
    this.target = target;
    const targetPos = index.decodePosOf(frame);
    const lastUseful = Math.min(this.lastReadable, targetPos + (this.options.maxReorder ?? 32));

    try {
      while (!target.seen && this.failure === null) {
        if (cursor.next <= targetPos) {
          if (decoder.decodeQueueSize >= MAX_QUEUE) await this.waitForDecoder();
          else await this.feed(decoder, cursor);
        } else if (decoder.decodeQueueSize > 0) {
          // Past the wanted packet: let the decoder catch up before feeding more, so that a
          // seek decodes only as far as reordering requires.
          await this.waitForDecoder();
        } else if (cursor.next <= lastUseful) {
          await this.feed(decoder, cursor);
          await this.waitForDecoder();
        } else {
          // Nothing left that could release the frame except draining the decoder.
          await decoder.flush();
          this.cursor = null; // after a flush the decoder needs a key packet again
          break;
        }
      }
      // A frame that came out is good even if a later packet broke the decoder.
      if (target.seen) return await result;
      throw new FrameDecodeError({ frame, kind: 'undecodable', detail: this.failure?.message ?? 'the decoder did not produce it' });
    } catch (e) {
      if (e instanceof FrameDecodeError || this.closed) throw e;
      // Whatever else stopped it (a failed decoder rejects further calls with InvalidStateError,
      // the packets ran out), this frame cannot be shown; the decoder's own words are the better detail.
      throw new FrameDecodeError({ frame, kind: 'undecodable', detail: this.failure?.message ?? (e instanceof Error ? e.message : String(e)) });
    } finally {
      if (this.target === target) this.target = null;
    }
  }

  private async readAhead(frame: number): Promise<void> {
    const decoder = this.decoder;
    const cursor = this.cursor;
    if (decoder === null || cursor === null || this.failure !== null || this.closed) return;
    const limit = Math.min(this.lastReadable, this.video.index.decodePosOf(frame) + READ_AHEAD);
    while (cursor.next <= limit && decoder.decodeQueueSize < MAX_QUEUE && this.cursor === cursor) {
      await this.feed(decoder, cursor);
    }
  }

  private waitForDecoder(): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      // Outputs and dequeues wake us; a timer guards against a decoder that signals neither.
      setTimeout(resolve, 50);
    });
  }

  private signal(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async feed(decoder: VideoDecoder, cursor: { next: number }): Promise<void> {
    const r = await this.packets!.next();
    if (r.done) throw new Error('The file ended before the frame could be decoded');
    decoder.decode(r.value.toEncodedVideoChunk());
    cursor.next++;
  }

  private async resetTo(keyPos: number): Promise<void> {
    void this.packets?.return();
    this.failure = null;
    if (this.decoder === null || this.decoder.state === 'closed') {
      this.decoder = new VideoDecoder({
        output: (vf) => this.onOutput(vf),
        error: (e) => {
          // The decoding loop sees this and reports the frame it was after; a frame already
          // output and being converted is left to finish.
          this.failure = new Error(e.message);
          this.signal();
        },
      });
      this.decoder.addEventListener('dequeue', () => this.signal());
    } else {
      this.decoder.reset();
    }
    this.decoder.configure(this.video.config);
    const index = this.video.index;
    const keyTime = index.timestamps[index.frameAtDecodePos(keyPos)]!;
    const first = await this.sink.getPacket(keyTime);
    if (first === null) throw new Error(`Cannot read the packet at ${keyTime}s`);
    this.packets = this.sink.packets(first);
    this.cursor = { start: keyPos, next: keyPos, lastOutput: -1 };
  }

  private keep(frame: number, vf: VideoFrame): void {
    if (this.closed || this.cache.has(frame)) vf.close();
    else this.cache.set(frame, vf);
    this.signal();
  }

  private onOutput(vf: VideoFrame): void {
    const frame = this.video.index.frameForMicros(vf.timestamp);
    if (this.cursor) this.cursor.lastOutput = Math.max(this.cursor.lastOutput, frame);
    const target = this.target;
    const wanted = target !== null && target.frame === frame;
    if (wanted) target.seen = true;
    if (wanted) {
      this.bitmapOf(vf)
        .then((bitmap) => target.resolve(bitmap))
        .catch((e: unknown) => target.reject(e instanceof Error ? e : new Error(String(e))))
        .finally(() => this.keep(frame, vf));
    } else {
      this.keep(frame, vf);
    }
  }
}
