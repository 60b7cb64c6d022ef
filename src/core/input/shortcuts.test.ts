import { describe, expect, it } from 'vitest';
import { ariaShortcut, formatShortcut, matchShortcut, type KeyLike } from './shortcuts';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe('shortcuts', () => {
  it('matches keys with exactly the right modifiers', () => {
    expect(matchShortcut({ key: 'ArrowRight' }, key('ArrowRight'))).toBe(true);
    expect(matchShortcut({ key: 'ArrowRight' }, key('ArrowRight', { shiftKey: true }))).toBe(false);
    expect(matchShortcut({ key: 'ArrowRight', shift: true }, key('ArrowRight', { shiftKey: true }))).toBe(true);
    expect(matchShortcut({ key: 'o', mod: true }, key('o', { metaKey: true }))).toBe(true);
    expect(matchShortcut({ key: 'o', mod: true }, key('O', { ctrlKey: true }))).toBe(true);
    expect(matchShortcut({ key: 'h' }, key('h', { ctrlKey: true }))).toBe(false);
    expect(matchShortcut({ key: 'h' }, key('H', { shiftKey: true }))).toBe(false);
  });

  it('ignores Shift for symbols typed with it', () => {
    expect(matchShortcut({ key: '?' }, key('?', { shiftKey: true }))).toBe(true);
    expect(matchShortcut({ key: '+' }, key('+', { shiftKey: true }))).toBe(true);
  });

  it('formats for people', () => {
    expect(formatShortcut({ key: 'ArrowLeft', shift: true })).toBe('Shift+←');
    expect(formatShortcut({ key: ' ' })).toBe('Space');
    expect(formatShortcut({ key: 'z', mod: true }, true)).toBe('⌘+Z');
  });

  it('formats for aria-keyshortcuts', () => {
    expect(ariaShortcut({ key: 'ArrowRight', shift: true })).toBe('Shift+ArrowRight');
    expect(ariaShortcut({ key: 'o', mod: true })).toBe('Control+O');
    expect(ariaShortcut({ key: 'o', mod: true }, true)).toBe('Meta+O');
    expect(ariaShortcut({ key: ' ' })).toBe('Space');
  });
});
