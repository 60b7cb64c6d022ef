/**
 * Cancellation inside the agent loop. Every wait of the loop (the endpoint, the environment, a
 * backoff sleep) is raced against the run's signal, so a cancel stops the loop at once even when
 * the thing waited on ignores the signal; the loop then unwinds with `Cancelled`, which runAgent
 * turns into a 'cancelled' trajectory (it never escapes runAgent).
 */

export class Cancelled extends Error {
  constructor() {
    super('Cancelled');
    this.name = 'Cancelled';
  }
}

/**
 * `promise`, or a `Cancelled` rejection as soon as `signal` aborts. A rejection of `promise` after
 * the abort (typically the signal's own reason) also becomes `Cancelled`. The promise is always
 * given a handler, so a late rejection is never reported as unhandled.
 */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Cancelled());
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(signal.aborted ? new Cancelled() : error);
      },
    );
  });
}

/** A short text for an error of unknown type (what a port threw). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
