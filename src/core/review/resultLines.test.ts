import { describe, expect, it } from 'vitest';
import { MC_PROMPT } from '../agent/prompts';
import { parseResultLines, resultFromLine, type ResultLine } from './resultLines';

const MC = `What is it?\nA: a\nB: b\nC: c\nD: d${MC_PROMPT}`;

const one = (record: Record<string, unknown>): ResultLine => {
  const { results, problems } = parseResultLines(JSON.stringify(record));
  expect(problems).toEqual([]);
  return results[0]!;
};

describe('parseResultLines', () => {
  it('reads a reference client line: the item, the response and the trajectory', () => {
    const line = one({
      video_id: 'v1',
      video_path: 'Src/v1.mp4',
      duration: 30.5,
      question: MC,
      answer: 'B',
      source: 'Src',
      frame_path: 'Src/v1.jpg',
      dimension: 3,
      category: 7,
      response: '<think>x</think><answer>B</answer>',
      raw_output: '<answer>B</answer>',
      user_text: 'USER',
      predict: 'B',
      tool_calls: [{ name: 'crop_video', arguments: { start: 1 } }, { name: 'view_visual_prompt' }, { nope: 1 }],
      num_rounds: 2,
      correct: true,
    });
    expect(line).toEqual({
      line: 1,
      item: { videoId: 'v1', question: 'What is it?', options: ['a', 'b', 'c', 'd'], answer: 'B', dimension: 3, category: 7, duration: 30.5, source: 'Src', vpType: null, videoPath: 'Src/v1.mp4', framePath: 'Src/v1.jpg' },
      response: '<think>x</think><answer>B</answer>',
      rawOutput: '<answer>B</answer>',
      userText: 'USER',
      toolCalls: [
        { name: 'crop_video', arguments: { start: 1 } },
        { name: 'view_visual_prompt', arguments: null },
      ],
      numRounds: 2,
      error: null,
      model: null,
      autoJudgement: null,
      judgement: null,
    });
  });

  it('reads V2P-Bench’s published form: the response list’s first element, the model', () => {
    const line = one({ video_id: 'v3', question: MC, answer: 'C', duration: 2000, dimension: 0, category: 0, frame_path: ['a.jpg', 'b.jpg'], response: ['C', 'A'], model: 'gpt-4o' });
    expect(line).toMatchObject({ response: 'C', model: 'gpt-4o', toolCalls: [], numRounds: null, rawOutput: null });
    expect(line.item).toMatchObject({ dimension: null, category: null, framePath: ['a.jpg', 'b.jpg'], videoPath: null, source: '' });
  });

  it('keeps an open question whole and a question with the instruction but no options as it is', () => {
    expect(one({ question: 'Where is it?', answer: 'left' }).item).toMatchObject({ question: 'Where is it?', options: [], videoId: '' });
    const bare = `Which one?${MC_PROMPT}`;
    expect(one({ question: bare, answer: 'A' }).item).toMatchObject({ question: bare, options: [] });
  });

  it('reads failures, vp_type, and the review’s own judgement fields', () => {
    const failed = one({ question: MC, answer: 'A', response: null, predict: null, error: 'HTTP 500' });
    expect(failed).toMatchObject({ response: null, error: 'HTTP 500' });
    expect(resultFromLine(failed, 'q1')).toMatchObject({ key: 'line-1', itemId: 'q1', status: 'failed', query: null });

    const judged = one({ question: 'Where?', answer: 'left', vp_type: 'arrow', response: 'left', human_judgement: 0.5, review_note: 'half', judge_score: 0.25 });
    expect(judged.item.vpType).toBe('arrow');
    expect(judged).toMatchObject({ autoJudgement: 0.25, judgement: { value: 0.5, note: 'half', at: 0 } });
    expect(resultFromLine(judged, null)).toMatchObject({ status: 'done', autoJudgement: 0.25, response: 'left' });

    expect(one({ question: 'q', answer: 'a', review_note: 'only a note' }).judgement).toEqual({ value: null, note: 'only a note', at: 0 });
    expect(one({ question: 'q', answer: 'a', human_judgement: 0 }).judgement).toEqual({ value: 0, note: '', at: 0 });
  });

  it('drops values out of range rather than guessing', () => {
    const line = one({ question: 'q', answer: 'a', duration: -3, vp_type: 'hexagon', human_judgement: 0.7, judge_score: 2, num_rounds: 'two', dimension: 'OA', video_path: '', response: 42 });
    expect(line.item).toMatchObject({ duration: null, vpType: null, dimension: null, videoPath: null });
    expect(line).toMatchObject({ judgement: null, autoJudgement: null, numRounds: null, response: null });
    expect(resultFromLine(line, null).status).toBe('done');
  });

  it('reports bad lines by number, skips blank ones, and copes with CRLF and a byte-order mark', () => {
    const ok = JSON.stringify({ question: 'q', answer: 'a' });
    const text = ['\uFEFF' + ok, '{oops', '', '   ', '[1, 2]', '"text"', JSON.stringify({ question: 'q' }), JSON.stringify({ answer: 'a' }), JSON.stringify({ question: 1, answer: 2 }), ok].join('\r\n');
    const { results, problems } = parseResultLines(text);
    expect(results.map((r) => r.line)).toEqual([1, 10]);
    expect(problems).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 5, message: 'not a JSON object (found a list)' },
      { line: 6, message: 'not a JSON object (found a string)' },
      { line: 7, message: 'not a result: "answer" is missing or not text' },
      { line: 8, message: 'not a result: "question" is missing or not text' },
      { line: 9, message: 'not a result: "question" and "answer" are missing or not text' },
    ]);
  });

  it('reads an empty file as nothing', () => {
    expect(parseResultLines('')).toEqual({ results: [], problems: [] });
  });
});
