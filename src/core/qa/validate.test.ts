import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkQaItem, optionLetters } from './validate';
import { mcItem, qaItem } from '../../testing/qaTestKit';

describe('checkQaItem', () => {
  it('accepts a complete multiple-choice item and a complete open item', () => {
    expect(checkQaItem(qaItem())).toEqual([]);
    expect(checkQaItem(qaItem({ options: [], answer: 'It jumps' }))).toEqual([]);
    expect(checkQaItem(qaItem({ dimension: null, category: null, frame: null }))).toEqual([]);
  });

  it('accepts every generated well-formed MC item', () => {
    fc.assert(fc.property(mcItem, (item) => item.question.trim() === '' || item.question.includes('Select the best') || checkQaItem(item).length === 0));
  });

  it('reports a blank question', () => {
    expect(checkQaItem(qaItem({ question: '  ' }))).toEqual(['The question is empty.']);
  });

  it('needs at least 2 options, at most 4, none blank, none with a line break', () => {
    expect(checkQaItem(qaItem({ options: ['Red'], answer: 'A' }))).toEqual(['A multiple-choice question needs at least 2 options, it has 1.']);
    expect(checkQaItem(qaItem({ options: ['a', 'b', 'c', 'd', 'e'], answer: 'A' }))).toContain('At most 4 options (A-D), it has 5.');
    expect(checkQaItem(qaItem({ options: ['Red', ' '], answer: 'A' }))).toEqual(['Option B is empty.']);
    expect(checkQaItem(qaItem({ options: ['Red', 'Gr\neen'], answer: 'A' }))).toEqual(['Option B contains a line break.']);
  });

  it('needs an MC answer among the letters of the options', () => {
    expect(checkQaItem(qaItem({ options: ['a', 'b', 'c'], answer: 'D' }))).toEqual(['The answer "D" is not one of the option letters A, B, C.']);
    expect(checkQaItem(qaItem({ answer: 'b' }))).toEqual(['The answer "b" is not one of the option letters A, B, C, D.']);
    expect(checkQaItem(qaItem({ answer: '' }))).toEqual(['The answer is not set: pick one of A, B, C, D.']);
  });

  it('reports (but does not forbid) an open item without an answer', () => {
    expect(checkQaItem(qaItem({ options: [], answer: ' ' }))).toEqual(['The answer is empty.']);
  });

  it('checks dimension, category, frame and duration', () => {
    expect(checkQaItem(qaItem({ dimension: 8 }))).toEqual(['Dimension 8 is not a V2P-Bench dimension code.']);
    expect(checkQaItem(qaItem({ category: -1 }))).toEqual(['Category -1 is not an integer >= 0.']);
    expect(checkQaItem(qaItem({ frame: 1.5 }))).toEqual(['Frame 1.5 is not a frame number.']);
    expect(checkQaItem(qaItem({ duration: -3 }))).toEqual(['Duration -3 is not a number of seconds >= 0.']);
  });

  it('reports the MC instruction written into the question', () => {
    const item = qaItem({ question: 'Which? Select the best option that accurately addresses the question. Give only your option letter, no other words.' });
    expect(checkQaItem(item)).toHaveLength(1);
  });

  it('letters', () => {
    expect(optionLetters(0)).toEqual([]);
    expect(optionLetters(3)).toEqual(['A', 'B', 'C']);
    expect(optionLetters(9)).toEqual(['A', 'B', 'C', 'D']);
  });
});
