/** Worker entry: runs Segment-Anything off the UI thread. */
import { expose } from 'comlink';
import { SegmentationService } from '../adapters/segmentation/segmentationService';

expose(new SegmentationService());
