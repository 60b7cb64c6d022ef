import { describe, expect, it } from 'vitest';
import {
  CROP_VIDEO_TOOL,
  TOOL_SUCCESS_TEXT,
  VIEW_VISUAL_PROMPT_TOOL,
  checkCropVideo,
  checkToolCall,
  checkViewVisualPrompt,
  toolFailureText,
  toolSchemas,
  type ToolContext,
} from './tools';

const ctx: ToolContext = { videoPath: 'clip.mp4', framePath: 'clip/frame_000391.jpg', durationS: 30, tools: { viewVisualPrompt: true, cropVideo: true } };

const crop = (args: string, c: ToolContext = ctx) => checkCropVideo(args, c);
const cropError = (args: string, c: ToolContext = ctx) => {
  const r = crop(args, c);
  return r.ok ? null : r.error;
};

describe('tool schemas', () => {
  it('serialise exactly as in the protocol doc', () => {
    expect(JSON.stringify(VIEW_VISUAL_PROMPT_TOOL)).toBe(
      '{"type":"function","function":{"name":"view_visual_prompt","description":"View the visual prompt image for the current question.","parameters":{"type":"object","properties":{"frame_path":{"type":"string","description":"Path to the visual prompt frame image file"}},"required":["frame_path"]}}}',
    );
    expect(JSON.stringify(CROP_VIDEO_TOOL)).toBe(
      '{"type":"function","function":{"name":"crop_video","description":"Crop a video to a specified duration, returning extracted frames for inspection.","parameters":{"type":"object","properties":{"video_path":{"type":"string","description":"Path to the video file"},"start_time":{"type":"number","description":"Start time in seconds"},"end_time":{"type":"number","description":"End time in seconds, must be greater than start_time"}},"required":["video_path","start_time","end_time"]}}}',
    );
  });

  it('offers only the enabled tools', () => {
    expect(toolSchemas({ viewVisualPrompt: true, cropVideo: true })).toEqual([VIEW_VISUAL_PROMPT_TOOL, CROP_VIDEO_TOOL]);
    expect(toolSchemas({ viewVisualPrompt: false, cropVideo: true })).toEqual([CROP_VIDEO_TOOL]);
    expect(toolSchemas({ viewVisualPrompt: false, cropVideo: false })).toEqual([]);
  });

  it('has the result texts', () => {
    expect(TOOL_SUCCESS_TEXT).toBe('The tool executed successfully. Here are the processed result: ');
    expect(toolFailureText('Video file not found: x.mp4')).toBe('Tool execution failed: Video file not found: x.mp4');
  });
});

describe('crop_video arguments', () => {
  it('accepts a valid call', () => {
    expect(crop('{"video_path": "clip.mp4", "start_time": 2, "end_time": 7.5}')).toEqual({
      ok: true,
      request: { tool: 'crop_video', videoPath: 'clip.mp4', startTime: 2, endTime: 7.5 },
    });
    expect(crop('{"video_path": "clip.mp4", "start_time": 0, "end_time": 30, "extra": 1}').ok).toBe(true);
  });

  it('prints ints as ints and floats as floats, like Python', () => {
    expect(cropError('{"video_path": "clip.mp4", "start_time": -1, "end_time": 5}')).toBe('start_time (-1) must be non-negative');
    expect(cropError('{"video_path": "clip.mp4", "start_time": -1.0, "end_time": 5}')).toBe('start_time (-1.0) must be non-negative');
    expect(cropError('{"video_path": "clip.mp4", "start_time": 5, "end_time": 5.0}')).toBe('end_time (5.0) must be greater than start_time (5)');
    expect(cropError('{"video_path": "clip.mp4", "start_time": 5e0, "end_time": 3}')).toBe('end_time (3) must be greater than start_time (5.0)');
    expect(cropError('{"video_path": "clip.mp4", "start_time": 31, "end_time": 40}')).toBe('start_time (31s) exceeds video duration (30.0s)');
    expect(cropError('{"video_path": "clip.mp4", "start_time": 20, "end_time": 30.5}', { ...ctx, durationS: 30.04 })).toBe('end_time (30.5s) exceeds video duration (30.04s)');
  });

  it('checks in the protocol order', () => {
    // Every check fails here; the first one in the order is reported.
    expect(cropError('{"video_path": "nope.mp4", "start_time": -5, "end_time": -6}')).toBe('start_time (-5) must be non-negative');
    expect(cropError('{"video_path": "nope.mp4", "start_time": 40, "end_time": 39}')).toBe('end_time (39) must be greater than start_time (40)');
    expect(cropError('{"video_path": "nope.mp4", "start_time": 40, "end_time": 41}')).toBe('start_time (40s) exceeds video duration (30.0s)');
    expect(cropError('{"video_path": "nope.mp4", "start_time": 1, "end_time": 41}')).toBe('end_time (41s) exceeds video duration (30.0s)');
    expect(cropError('{"video_path": "nope.mp4", "start_time": 1, "end_time": 2}')).toBe('Video file not found: nope.mp4');
    // A start exactly at the end passes its own check and fails on end_time.
    expect(cropError('{"video_path": "clip.mp4", "start_time": 30, "end_time": 31}')).toBe('end_time (31s) exceeds video duration (30.0s)');
  });

  it('reports JSON and type errors before any range check', () => {
    expect(cropError('{"video_path": "clip.mp4", "start_time": -1')).toBe("Invalid arguments for crop_video: not valid JSON (Expected ',' or '}' at end of input)");
    expect(cropError('[1, 2]')).toBe('Invalid arguments for crop_video: expected a JSON object, got array');
    expect(cropError('')).toBe("Invalid arguments for crop_video: missing required argument 'video_path'");
    expect(cropError('{"video_path": "clip.mp4", "end_time": -1}')).toBe("Invalid arguments for crop_video: missing required argument 'start_time'");
    expect(cropError('{"video_path": "clip.mp4", "start_time": "1", "end_time": -1}')).toBe('Invalid arguments for crop_video: start_time must be a number, got string');
    expect(cropError('{"video_path": "clip.mp4", "start_time": 1, "end_time": true}')).toBe('Invalid arguments for crop_video: end_time must be a number, got boolean');
    expect(cropError('{"video_path": null, "start_time": 1, "end_time": 2}')).toBe('Invalid arguments for crop_video: video_path must be a string, got null');
    expect(cropError('{"video_path": "clip.mp4", "start_time": NaN, "end_time": 2}')).toMatch(/^Invalid arguments for crop_video: not valid JSON/);
  });
});

describe('view_visual_prompt arguments', () => {
  it('accepts the frame path of USER_TEXT only', () => {
    expect(checkViewVisualPrompt('{"frame_path": "clip/frame_000391.jpg"}', ctx)).toEqual({ ok: true, request: { tool: 'view_visual_prompt', framePath: 'clip/frame_000391.jpg' } });
    expect(checkViewVisualPrompt('{"frame_path": "clip/frame_1.jpg"}', ctx)).toEqual({ ok: false, error: 'Visual prompt frame not found: clip/frame_1.jpg' });
    expect(checkViewVisualPrompt('{"frame": "x"}', ctx)).toEqual({ ok: false, error: "Invalid arguments for view_visual_prompt: missing required argument 'frame_path'" });
    expect(checkViewVisualPrompt('not json', ctx).ok).toBe(false);
  });
});

describe('checkToolCall', () => {
  it('dispatches by name and refuses tools not offered', () => {
    expect(checkToolCall('crop_video', '{"video_path": "clip.mp4", "start_time": 0, "end_time": 1}', ctx).ok).toBe(true);
    expect(checkToolCall('view_visual_prompt', '{"frame_path": "clip/frame_000391.jpg"}', ctx).ok).toBe(true);
    expect(checkToolCall('zoom', '{}', ctx)).toEqual({ ok: false, error: 'Unknown tool: zoom' });
    expect(checkToolCall('crop_video', '{}', { ...ctx, tools: { viewVisualPrompt: true, cropVideo: false } })).toEqual({ ok: false, error: 'Unknown tool: crop_video' });
  });
});
