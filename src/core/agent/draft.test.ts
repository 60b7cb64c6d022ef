import { describe, expect, it } from 'vitest';
import type { AnnotationDoc } from '../annotation/model';
import type { Rle } from '../mask/rle';
import { checkDraft, EMPTY_DRAFT, everyStyle, filledOptions, overlayFor, phraseFor } from './draft';
import { VISUAL_PROMPT_TYPES } from './prompts';
import { defaultPromptFrame, maskedFrames, querySettings, toolPaths } from './query';
import { DEFAULT_ENDPOINT_SETTINGS } from './settings';

const rle = (on: number): Rle => ({ size: [4, 4], counts: [16 - on, on] });
const doc: AnnotationDoc = {
  instances: [
    { id: 'a', name: 'Man', color: '#f00', visible: true },
    { id: 'b', name: 'Dog', color: '#0f0', visible: true },
    { id: 'c', name: 'Cat', color: '#00f', visible: true },
  ],
  activeId: 'b',
  frames: {
    'a@3': { prompts: [], mask: { rle: rle(4), score: 0.9 } },
    'a@10': { prompts: [], mask: { rle: rle(5), score: 0.9 } },
    'b@10': { prompts: [], mask: { rle: rle(6), score: 0.9 } },
    'b@12': { prompts: [{ kind: 'point', x: 1, y: 1, positive: true }], mask: null },
    'c@10': { prompts: [], mask: null },
  },
};

describe('the visual prompt frame', () => {
  it('is the current frame when the instance has a mask there, else the nearest (earlier on a tie)', () => {
    expect(maskedFrames(doc, 'a')).toEqual([3, 10]);
    expect(defaultPromptFrame(doc, 'a', 10)).toBe(10);
    expect(defaultPromptFrame(doc, 'a', 8)).toBe(10);
    expect(defaultPromptFrame(doc, 'a', 6)).toBe(3);
    expect(defaultPromptFrame(doc, 'a', 6.5)).toBe(3);
    expect(defaultPromptFrame(doc, 'b', 12)).toBe(10); // prompts without a mask do not count
    expect(defaultPromptFrame(doc, 'c', 10)).toBeNull();
  });
});

describe('tool paths', () => {
  it('names the video and the visual prompt frame as the authors do', () => {
    expect(toolPaths('vtest.mp4', 42)).toEqual({ videoPath: 'vtest.mp4', framePath: 'vtest/frame_000042.jpg' });
    expect(toolPaths('a/b.webm', 1)).toEqual({ videoPath: 'a_b.webm', framePath: 'a_b/frame_000001.jpg' });
    expect(toolPaths('noext', 0).framePath).toBe('noext/frame_000000.jpg');
  });
});

describe('checkDraft', () => {
  const ready = { ...EMPTY_DRAFT, question: 'What is <vp> doing?' };

  it('resolves the active instance, its frame, the phrase and the overlay', () => {
    const check = checkDraft(ready, doc, 11);
    expect(check).toEqual({
      ok: true,
      ask: { instanceId: 'b', instanceName: 'Dog', frame: 10, options: [], sentQuestion: 'What is the target in the highlighted box doing?', overlay: { type: 'rectangle', colour: '#ff2d2d', targets: [{ rle: rle(6), number: 1 }] }, image: null, paths: null },
    });
  });

  it('says what is missing', () => {
    expect(checkDraft(ready, { ...doc, activeId: null }, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/Add an object/) });
    expect(checkDraft({ ...ready, instanceId: 'c' }, doc, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/“Cat” has no mask/) });
    expect(checkDraft({ ...ready, frame: 4 }, doc, 0)).toMatchObject({ ok: false, reason: '“Dog” has no mask on frame 4.' });
    expect(checkDraft({ ...ready, question: '  ' }, doc, 0)).toMatchObject({ ok: false, reason: 'Type a question.' });
    expect(checkDraft({ ...ready, multipleChoice: true, options: ['Sits', '', ' ', ''] }, doc, 0)).toMatchObject({ ok: false, reason: expect.stringMatching(/two options/) });
  });

  it('sends only filled options, in order, and none for an open question', () => {
    const mc = { ...ready, multipleChoice: true, options: [' Sits', '', 'Runs ', 'Eats'] as const };
    expect(filledOptions(mc)).toEqual(['Sits', 'Runs', 'Eats']);
    expect(filledOptions({ ...mc, multipleChoice: false })).toEqual([]);
    const check = checkDraft(mc, doc, 10);
    expect(check.ok && check.ask.options).toEqual(['Sits', 'Runs', 'Eats']);
  });

  it('numbers every masked instance of the frame for set_of_mark, and the phrase names the target', () => {
    const check = checkDraft({ ...ready, vpType: 'set_of_mark' }, doc, 10);
    if (!check.ok) throw new Error(check.reason);
    expect(check.ask.overlay!.targets.map((t) => t.number)).toEqual([1, 2]);
    expect(check.ask.sentQuestion).toBe('What is the target marked with number 2 doing?');
    expect(overlayFor(doc, 'a', 10, 'set_of_mark', '#fff')?.number).toBe(1);
    expect(overlayFor(doc, 'a', 10, 'arrow', '#fff')?.overlay.targets).toHaveLength(1);
  });

  it('uses the user’s own phrase when given, with {n} for the number', () => {
    expect(phraseFor({ ...ready, phrases: { rectangle: 'the boxed dog' } }, 1)).toBe('the boxed dog');
    expect(phraseFor({ ...ready, vpType: 'set_of_mark', phrases: { set_of_mark: 'object #{n}' } }, 3)).toBe('object #3');
    expect(phraseFor({ ...ready, phrases: { rectangle: '  ' } }, 1)).toBe('the target in the highlighted box');
    const check = checkDraft({ ...ready, phrases: { rectangle: 'the boxed dog' } }, doc, 10);
    expect(check.ok && check.ask.sentQuestion).toBe('What is the boxed dog doing?');
  });

  it('everyStyle gives the draft under each of the 8 types, or the chosen ones in the protocol order', () => {
    expect(everyStyle(ready).map((d) => d.vpType)).toEqual([...VISUAL_PROMPT_TYPES]);
    expect(everyStyle({ ...ready, styles: ['point', 'rectangle'] }).map((d) => d.vpType)).toEqual(['rectangle', 'point']);
    expect(everyStyle({ ...ready, styles: [] })).toEqual([]);
  });
});

describe('querySettings', () => {
  it('never records the API key', () => {
    const recorded = querySettings({ ...DEFAULT_ENDPOINT_SETTINGS, apiKey: 'sk-secret' });
    expect(JSON.stringify(recorded)).not.toContain('sk-secret');
    expect(recorded.baseUrl).toBe(DEFAULT_ENDPOINT_SETTINGS.baseUrl);
  });
});
