/** Worker entry: owns demuxing and decoding for one video; the UI thread only receives bitmaps. */
import { expose } from 'comlink';
import { FrameService } from '../adapters/video/webcodecs/frameService';

expose(new FrameService());
