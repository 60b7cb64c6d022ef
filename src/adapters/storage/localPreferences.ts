/**
 * Preferences in localStorage: small, per machine, never part of a project (so an exported
 * project never carries the API key). A browser that refuses storage (private mode, quota) just
 * does not remember; the app keeps working.
 */
import type { Preferences } from '../../core/ports';

export function createLocalPreferences(storage: Storage | null = globalThis.localStorage ?? null): Preferences {
  return {
    load(key) {
      try {
        const raw = storage?.getItem(key);
        return raw == null ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        return undefined;
      }
    },
    save(key, value) {
      try {
        storage?.setItem(key, JSON.stringify(value));
      } catch {
        // Not remembered; nothing else depends on it.
      }
    },
  };
}
