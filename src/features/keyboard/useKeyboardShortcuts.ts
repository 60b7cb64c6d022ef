import { useEffect } from 'react';
import { actionForKey, actions } from '../../store/actions';
import { useAppStoreApi } from '../../store/context';

/** Keys typed into a text field belong to the field, not to the app. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) return !['range', 'checkbox', 'radio', 'button', 'submit', 'file'].includes(target.type);
  return false;
}

function activatesOnSpace(target: EventTarget | null): boolean {
  return target instanceof HTMLButtonElement || target instanceof HTMLAnchorElement || (target instanceof HTMLElement && target.tagName === 'SUMMARY');
}

/**
 * Routes key presses to actions. Space is special: held, it turns the pointer into a hand; tapped
 * (released without a drag), it plays or pauses.
 */
export function useKeyboardShortcuts(): void {
  const store = useAppStoreApi();
  useEffect(() => {
    let spaceHeld = false;
    const onKeyDown = (e: KeyboardEvent): void => {
      if (isTextEntry(e.target) || document.querySelector('dialog[open]')) return;
      if (e.key === ' ' && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (activatesOnSpace(e.target)) return; // a focused button handles its own Space
        e.preventDefault();
        if (!e.repeat && !spaceHeld) {
          spaceHeld = true;
          store.getState().setSpacePan(true);
        }
        return;
      }
      const action = actionForKey(e, store.getState());
      if (action === null) return;
      e.preventDefault();
      action.perform(store);
    };
    const onKeyUp = (e: KeyboardEvent): void => {
      if (e.key !== ' ' || !spaceHeld) return;
      spaceHeld = false;
      // Only a drag by the user makes it a pan; a resize re-fitting the view does not.
      const tap = !store.getState().view.spacePanned;
      store.getState().setSpacePan(false);
      const enabled = actions.togglePlay.enabled(store.getState());
      if (tap && enabled) actions.togglePlay.perform(store);
    };
    const onBlur = (): void => {
      spaceHeld = false;
      store.getState().setSpacePan(false);
    };
    window.addEventListener('keydown', onKeyDown);
    window.addEventListener('keyup', onKeyUp);
    window.addEventListener('blur', onBlur);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      window.removeEventListener('keyup', onKeyUp);
      window.removeEventListener('blur', onBlur);
    };
  }, [store]);
}
