import { describe, expect, it } from 'vitest';
import { ToolTester } from './toolTester';

describe('box tool', () => {
  it('press, drag, release: one box, normalised, back to idle', () => {
    const t = new ToolTester('box').pointerDown(50, 40).expectIn('box.dragging').pointerMove(10, 90);
    expect(t.state.draft).toEqual({ kind: 'box', x0: 50, y0: 40, x1: 10, y1: 90 });
    t.pointerUp().expectIn('box.idle');
    expect(t.commands).toEqual([{ kind: 'addPrompt', prompt: { kind: 'box', x0: 10, y0: 40, x1: 50, y1: 90 } }]);
  });

  it('a click or a sliver is not a box; cancel abandons; other buttons do nothing', () => {
    expect(new ToolTester('box').pointerDown(5, 5).pointerUp(6, 6).commands).toEqual([]);
    expect(new ToolTester('box').pointerDown(5, 5).pointerMove(90, 6).pointerUp().commands).toEqual([]);
    expect(new ToolTester('box').pointerDown(5, 5).pointerMove(90, 90).cancel().expectIn('box.idle').commands).toEqual([]);
    new ToolTester('box').pointerDown(5, 5, { button: 2 }).expectIn('box.idle');
  });
});

describe('point tools', () => {
  it('positive by default, negative with Alt or the secondary button; the negative tool always negative', () => {
    const t = new ToolTester('point').pointerDown(1, 2).pointerDown(3, 4, { altKey: true }).pointerDown(5, 6, { button: 2 }).pointerDown(7, 8, { button: 1 });
    expect(t.commands.map((c) => c.prompt)).toEqual([
      { kind: 'point', x: 1, y: 2, positive: true },
      { kind: 'point', x: 3, y: 4, positive: false },
      { kind: 'point', x: 5, y: 6, positive: false },
    ]);
    expect(new ToolTester('negative').pointerDown(9, 9).commands[0]?.prompt).toEqual({ kind: 'point', x: 9, y: 9, positive: false });
  });
});

describe('scribble tool', () => {
  it('collects the stroke, thinned by screen distance, and adds it on release', () => {
    const t = new ToolTester('scribble', 2).pointerDown(0, 0).expectIn('scribble.drawing').pointerMove(0.5, 0).pointerMove(1, 0).pointerMove(10, 0);
    // At zoom 2, 0.5 frame px is 1 screen px (dropped); 1 frame px is 2 screen px (kept).
    expect(t.state.draft).toEqual({ kind: 'scribble', path: [0, 0, 1, 0, 10, 0] });
    t.pointerUp().expectIn('scribble.idle');
    expect(t.commands).toEqual([{ kind: 'addPrompt', prompt: { kind: 'scribble', path: [0, 0, 1, 0, 10, 0] } }]);
    expect(new ToolTester('scribble').pointerDown(0, 0).pointerMove(20, 0).cancel().commands).toEqual([]);
  });

  it('the harness says where the tool is when it is not where a test expects', () => {
    expect(() => new ToolTester('scribble').expectIn('scribble.drawing')).toThrow('expected state scribble.drawing, but the tool is in scribble.idle');
  });
});
