import type { ReactNode } from 'react';
import { ariaShortcut, formatShortcut } from '../core/input/shortcuts';
import type { Action } from '../store/actions';
import { useAppStore, useAppStoreApi } from '../store/context';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function shortcutText(action: Action): string {
  return action.shortcuts.map((s) => formatShortcut(s, isMac)).join(' or ');
}

/** A button that runs an action; its accessible name is the action's label. */
export function ActionButton({
  action,
  children,
  label,
  pressed,
  className,
}: {
  action: Action;
  children?: ReactNode;
  /** Overrides the action's label (e.g. "Play" vs "Pause"). */
  label?: string;
  pressed?: boolean;
  className?: string;
}) {
  const store = useAppStoreApi();
  const enabled = useAppStore((s) => (action.enabled ? action.enabled(s) : true));
  const name = label ?? action.label;
  const keys = shortcutText(action);
  return (
    <button
      type="button"
      className={className ?? 'icon-button'}
      aria-label={name}
      aria-pressed={pressed}
      aria-keyshortcuts={action.shortcuts.map((s) => ariaShortcut(s, isMac)).join(' ') || undefined}
      title={keys ? `${name} (${keys})` : name}
      disabled={!enabled}
      // A mouse click must not leave focus on the button: Space would then press it again
      // instead of reaching the canvas (play/pause, Space-drag). Keyboard focus is unaffected.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => action.perform(store)}
    >
      {children ?? name}
    </button>
  );
}
