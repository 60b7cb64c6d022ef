/** Keyboard shortcuts as data, matched against anything shaped like a KeyboardEvent. */
export interface KeyLike {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
}

export interface Shortcut {
  /** `KeyboardEvent.key`, compared case-insensitively for letters (" " for Space). */
  readonly key: string;
  readonly shift?: boolean;
  /** Ctrl on Windows/Linux, Cmd on macOS. */
  readonly mod?: boolean;
  readonly alt?: boolean;
}

export function matchShortcut(shortcut: Shortcut, e: KeyLike): boolean {
  const keyMatches =
    shortcut.key.length === 1 ? shortcut.key.toLowerCase() === e.key.toLowerCase() : shortcut.key === e.key;
  // "+" and "?" are typed with Shift on most layouts, so Shift is not checked for symbol keys.
  const symbol = shortcut.key.length === 1 && !/[a-z0-9 ]/i.test(shortcut.key);
  return (
    keyMatches &&
    (symbol || !!shortcut.shift === e.shiftKey) &&
    !!shortcut.mod === (e.ctrlKey || e.metaKey) &&
    !!shortcut.alt === e.altKey
  );
}

const KEY_NAMES: Record<string, string> = {
  ' ': 'Space',
  ArrowLeft: '←',
  ArrowRight: '→',
  ArrowUp: '↑',
  ArrowDown: '↓',
  Escape: 'Esc',
};

export function formatShortcut(shortcut: Shortcut, mac = false): string {
  const parts: string[] = [];
  if (shortcut.mod) parts.push(mac ? '⌘' : 'Ctrl');
  if (shortcut.alt) parts.push(mac ? '⌥' : 'Alt');
  if (shortcut.shift) parts.push('Shift');
  const k = shortcut.key;
  parts.push(KEY_NAMES[k] ?? (k.length === 1 ? k.toUpperCase() : k));
  return parts.join('+');
}

/** The `aria-keyshortcuts` form of a shortcut (e.g. "Shift+ArrowRight", "Control+O"). */
export function ariaShortcut(shortcut: Shortcut, mac = false): string {
  const parts: string[] = [];
  if (shortcut.mod) parts.push(mac ? 'Meta' : 'Control');
  if (shortcut.alt) parts.push('Alt');
  if (shortcut.shift) parts.push('Shift');
  const k = shortcut.key;
  parts.push(k === ' ' ? 'Space' : k.length === 1 ? k.toUpperCase() : k);
  return parts.join('+');
}
