import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vpPhrase } from '../agent/prompts';
import type { QaItem } from './model';
import { mcItem, openItem, qaItem, v2pRecord } from '../../testing/qaTestKit';
import {
  FRAME_PATHS_NOTE,
  IMPORTED_OPEN_NOTE,
  V2P_FIELDS,
  frameNumberFromPath,
  fromV2pRecord,
  splitV2pQuestion,
  toV2pRecord,
  v2pPathsOf,
  type V2pRecord,
} from './v2p';

const INSTRUCTION = 'Select the best option that accurately addresses the question. Give only your option letter, no other words.';
const typePhrase = (item: QaItem): string => vpPhrase(item.vpType, 3);
const ctx = { videoPath: 'Studio/clip.mp4', framePath: 'clip/q1.jpg', duration: 12.5, phrase: typePhrase };

/** The context that writes an imported item back as it came. */
function backCtx(item: QaItem): Parameters<typeof toV2pRecord>[1] {
  const paths = v2pPathsOf(item);
  if (paths === null) throw new Error('not an imported item');
  return { ...paths, phrase: typePhrase };
}

describe('toV2pRecord', () => {
  it('folds MC options and the instruction into the question exactly as protocol §4.1 shows', () => {
    const record = toV2pRecord(qaItem(), ctx);
    expect(record).toEqual({
      video_id: 'clip',
      video_path: 'Studio/clip.mp4',
      duration: 12.5,
      question: `What colour is the target in the highlighted box?\nA: Red\nB: Green\nC: Blue\nD: Black\n${INSTRUCTION}`,
      answer: 'B',
      source: 'Studio',
      frame_path: 'clip/q1.jpg',
      dimension: 1,
      category: 2,
    });
    expect(Object.keys(record)).toEqual([...V2P_FIELDS]);
  });

  it('writes an open question alone, and the expected text as the answer', () => {
    const record = toV2pRecord(qaItem({ options: [], answer: 'It turns left', question: 'Where does <vp> go?' }), ctx);
    expect(record.question).toBe('Where does the target in the highlighted box go?');
    expect(record.answer).toBe('It turns left');
  });

  it('replaces every <vp>, in the question and the options, with the phrase (the type’s or the user’s)', () => {
    const item = qaItem({ question: '<vp> and <vp>?', options: ['<vp> runs', 'nothing'], vpType: 'set_of_mark' });
    expect(toV2pRecord(item, ctx).question).toBe(
      `the target marked with number 3 and the target marked with number 3?\nA: the target marked with number 3 runs\nB: nothing\n${INSTRUCTION}`,
    );
    expect(toV2pRecord(item, { ...ctx, phrase: () => 'the dog' }).question.startsWith('the dog and the dog?\nA: the dog runs')).toBe(true);
  });

  it('asks for the phrase only when there is a <vp> (set_of_mark without a number would throw)', () => {
    const item = qaItem({ question: 'How many?', vpType: 'set_of_mark' });
    expect(() => toV2pRecord(item, { ...ctx, phrase: (i) => vpPhrase(i.vpType) })).not.toThrow();
    expect(() => toV2pRecord({ ...item, question: '<vp>?' }, { ...ctx, phrase: (i) => vpPhrase(i.vpType) })).toThrow(RangeError);
  });

  it('writes 0 for an unset dimension or category, and a frame_path list when given one', () => {
    const record = toV2pRecord(qaItem({ dimension: null, category: null }), { ...ctx, framePath: ['a.jpg', 'b.jpg'] });
    expect(record.dimension).toBe(0);
    expect(record.category).toBe(0);
    expect(record.frame_path).toEqual(['a.jpg', 'b.jpg']);
  });

  it('refuses more than four options', () => {
    expect(() => toV2pRecord(qaItem({ options: ['a', 'b', 'c', 'd', 'e'] }), ctx)).toThrow(RangeError);
  });
});

describe('fromV2pRecord', () => {
  const record: V2pRecord = {
    video_id: 'v_001',
    video_path: 'ActivityNet/v_001.mp4',
    duration: 213.4,
    question: `What is the person in the red box holding?\nA: A cup\nB: A phone\nC: A bag\nD: Nothing\n${INSTRUCTION}`,
    answer: 'C',
    source: 'ActivityNet',
    frame_path: 'ActivityNet/v_001/frame_000391.jpg',
    dimension: 2,
    category: 1,
  };

  it('splits the options back out and keeps everything else', () => {
    expect(fromV2pRecord(record, 7, { createdAt: 99 })).toEqual({
      id: 'v2p-7',
      instanceId: null,
      videoId: 'v_001',
      frame: 391,
      vpType: 'rectangle',
      colour: '#ff0000',
      question: 'What is the person in the red box holding?',
      options: ['A cup', 'A phone', 'A bag', 'Nothing'],
      answer: 'C',
      dimension: 2,
      category: 1,
      source: 'ActivityNet',
      notes: '',
      createdAt: 99,
      resultQueryId: null,
      videoPath: 'ActivityNet/v_001.mp4',
      framePath: 'ActivityNet/v_001/frame_000391.jpg',
      duration: 213.4,
      // Not linked yet: the dataset import links each item to its video and its shipped frame image.
      projectVideoId: null,
      promptImage: null,
    });
  });

  it('keeps an open question whole; 0 dimension/category become null', () => {
    const item = fromV2pRecord({ ...record, question: 'Why does the man in the box stop?\nA: because', answer: 'He is tired', dimension: 0, category: 0 }, 0);
    expect(item.question).toBe('Why does the man in the box stop?\nA: because');
    expect(item.options).toEqual([]);
    expect(item.dimension).toBeNull();
    expect(item.category).toBeNull();
  });

  it('keeps an instruction without option lines as an open question, with a note', () => {
    const item = fromV2pRecord({ ...record, question: `Which one?\nA. cup\nB. phone\n${INSTRUCTION}` }, 0);
    expect(item.options).toEqual([]);
    expect(item.question).toBe(`Which one?\nA. cup\nB. phone\n${INSTRUCTION}`);
    expect(item.notes).toBe(IMPORTED_OPEN_NOTE);
  });

  it('takes the first of a frame_path list and keeps the list in the notes', () => {
    const item = fromV2pRecord({ ...record, frame_path: ['S/v/frame_000010.jpg', 'S/v/frame_000020.jpg'] }, 0);
    expect(item.framePath).toBe('S/v/frame_000010.jpg');
    expect(item.frame).toBe(10);
    expect(item.notes).toBe(`${FRAME_PATHS_NOTE}["S/v/frame_000010.jpg","S/v/frame_000020.jpg"]`);
    expect(v2pPathsOf(item)?.framePath).toEqual(['S/v/frame_000010.jpg', 'S/v/frame_000020.jpg']);
    // An edited note falls back to framePath alone.
    expect(v2pPathsOf({ ...item, notes: `${FRAME_PATHS_NOTE}["S/v/x.jpg"` })?.framePath).toBe('S/v/frame_000010.jpg');
  });

  it('has no <vp> to replace, and keeps a literal <vp> as text', () => {
    expect(fromV2pRecord({ ...record, question: 'Is <vp> red?', answer: 'yes' }, 0).question).toBe('Is <vp> red?');
  });

  it('honours the id prefix, type and colour options', () => {
    const item = fromV2pRecord(record, 3, { idPrefix: 'imp1:', vpType: 'arrow', colour: 'yellow' });
    expect([item.id, item.vpType, item.colour]).toEqual(['imp1:3', 'arrow', 'yellow']);
  });
});

describe('frameNumberFromPath', () => {
  it('reads frame numbers only from frame-like names', () => {
    expect(frameNumberFromPath('frame_000391.jpg')).toBe(391);
    expect(frameNumberFromPath('S/v/00012.png')).toBe(12);
    expect(frameNumberFromPath('img-7.jpeg')).toBe(7);
    expect(frameNumberFromPath('Frame0005.JPG')).toBe(5);
    expect(frameNumberFromPath('S/video_12.jpg')).toBeNull();
    expect(frameNumberFromPath('S/v_001.jpg')).toBeNull();
    expect(frameNumberFromPath('frame_12')).toBeNull();
  });
});

describe('splitV2pQuestion', () => {
  it('does not mistake a question’s own trailing "A: " lines for options', () => {
    expect(splitV2pQuestion(`Q\nA: mine\nA: x\nB: y\n${INSTRUCTION}`)).toEqual({ question: 'Q\nA: mine', options: ['x', 'y'], instructionWithoutOptions: false });
    expect(splitV2pQuestion(`\nA: x\nB: \n${INSTRUCTION}`)).toEqual({ question: '', options: ['x', ''], instructionWithoutOptions: false });
  });
});

describe('round trips', () => {
  it('item → record → item keeps question, options, answer, dimension, category, source (MC and open)', () => {
    fc.assert(
      fc.property(fc.oneof(mcItem, openItem), (item) => {
        const back = fromV2pRecord(toV2pRecord(item, ctx), 0);
        expect(back.question).toBe(item.question);
        expect(back.options).toEqual(item.options);
        expect(back.answer).toBe(item.answer);
        expect(back.dimension).toBe(item.dimension);
        expect(back.category).toBe(item.category);
        expect(back.source).toBe(item.source);
        expect(back.videoId).toBe(item.videoId);
      }),
    );
  });

  it('item with <vp> → record → item has the phrase in place of <vp>', () => {
    const item = qaItem({ question: 'Is <vp> moving?', options: ['<vp> is', 'no'], answer: 'A', vpType: 'ellipse' });
    const back = fromV2pRecord(toV2pRecord(item, ctx), 0);
    expect(back.question).toBe('Is the target inside the ellipse moving?');
    expect(back.options).toEqual(['the target inside the ellipse is', 'no']);
  });

  it('record → item → record is the identity (MC, open, frame_path lists, 0 codes)', () => {
    fc.assert(
      fc.property(v2pRecord, (record) => {
        const item = fromV2pRecord(record, 0);
        expect(toV2pRecord(item, backCtx(item))).toEqual(record);
      }),
      { numRuns: 300 },
    );
  });

  it('record → item → record for the protocol example, as JSON text', () => {
    const record: V2pRecord = {
      video_id: 'x',
      video_path: 'S/x.mp4',
      duration: 30,
      question: `text\nA: ...\nB: ...\nC: ...\nD: ...\n${INSTRUCTION}`,
      answer: 'A',
      source: 'S',
      frame_path: 'S/x.jpg',
      dimension: 14,
      category: 3,
    };
    const item = fromV2pRecord(record, 0);
    expect(item.options).toEqual(['...', '...', '...', '...']);
    expect(JSON.stringify(toV2pRecord(item, backCtx(item)))).toBe(JSON.stringify(record));
  });
});
