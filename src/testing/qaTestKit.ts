/** Test helpers: QA items and V2P records (fast-check arbitraries and a plain factory). */
import fc from 'fast-check';
import { VISUAL_PROMPT_TYPES } from '../core/agent/prompts';
import { DIMENSIONS } from '../core/qa/dimensions';
import type { QaItem } from '../core/qa/model';
import type { V2pRecord } from '../core/qa/v2p';

export function qaItem(overrides: Partial<QaItem> = {}): QaItem {
  return {
    id: 'q1',
    instanceId: 'i1',
    videoId: 'clip',
    frame: 12,
    vpType: 'rectangle',
    colour: '#ff0000',
    question: 'What colour is <vp>?',
    options: ['Red', 'Green', 'Blue', 'Black'],
    answer: 'B',
    dimension: 1,
    category: 2,
    source: 'Studio',
    notes: '',
    createdAt: 1,
    resultQueryId: null,
    videoPath: null,
    framePath: null,
    duration: null,
    projectVideoId: null,
    promptImage: null,
    ...overrides,
  };
}

/** Text without `<vp>` (a single line when `line`). */
export const text = (line = false): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom('a', 'B', ' ', ':', 'A: ', '\n', '<', 'v', 'p', '>', 'é', '😀', 'Select'), maxLength: 30 }).map((s) => {
    let t = line ? s.replace(/\n/g, ' ') : s;
    while (t.includes('<vp>')) t = t.replace('<vp>', '<v p>');
    return t;
  });

export const option = text(true).filter((s) => s.trim() !== '');

const dimension = fc.oneof(fc.constant(null), fc.constantFrom(...DIMENSIONS.map((d) => d.code)));
const category = fc.oneof(fc.constant(null), fc.integer({ min: 1, max: 50 }));

export const mcItem: fc.Arbitrary<QaItem> = fc
  .record({ question: text(), options: fc.array(option, { minLength: 2, maxLength: 4 }), pick: fc.nat(3), dimension, category, source: text(true) })
  .map(({ question, options, pick, dimension: d, category: c, source }) =>
    qaItem({ question, options, answer: 'ABCD'[pick % options.length]!, dimension: d, category: c, source }),
  );

export const openItem: fc.Arbitrary<QaItem> = fc
  .record({ question: text(), answer: text(), dimension, category, source: text(true), vpType: fc.constantFrom(...VISUAL_PROMPT_TYPES) })
  .map((r) => qaItem({ ...r, options: [] }));

const MC_PROMPT_TEXT = '\nSelect the best option that accurately addresses the question. Give only your option letter, no other words.';

export const v2pRecord: fc.Arbitrary<V2pRecord> = fc
  .record({
    video_id: text(true),
    video_path: text(true),
    duration: fc.double({ min: 0, max: 1e5, noNaN: true }),
    body: text(),
    options: fc.array(option, { maxLength: 4 }),
    answer: fc.oneof(fc.constantFrom('A', 'B', 'C', 'D'), text()),
    source: text(true),
    frame_path: fc.oneof(text(true), fc.array(text(true), { minLength: 1, maxLength: 3 })),
    dimension: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 14 })),
    category: fc.nat(40),
  })
  .map(({ body, options, ...rest }) => ({
    ...rest,
    question: options.length === 0 ? body : body + options.map((o, i) => `\n${'ABCD'[i]}: ${o}`).join('') + MC_PROMPT_TEXT,
  }));
