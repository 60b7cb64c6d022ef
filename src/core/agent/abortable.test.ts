import { describe, expect, it } from 'vitest';
import { abortable, Cancelled, errorMessage } from './abortable';

const never = new Promise<number>(() => {});

describe('abortable', () => {
  it('passes a value or an error through while not aborted', async () => {
    const c = new AbortController();
    await expect(abortable(Promise.resolve(1), c.signal)).resolves.toBe(1);
    await expect(abortable(Promise.reject(new Error('x')), c.signal)).rejects.toThrow('x');
  });

  it('rejects with Cancelled at once for an aborted signal, even if the promise never settles', async () => {
    const c = new AbortController();
    c.abort();
    await expect(abortable(never, c.signal)).rejects.toBeInstanceOf(Cancelled);
  });

  it('rejects with Cancelled when the signal aborts later', async () => {
    const c = new AbortController();
    const p = abortable(never, c.signal);
    c.abort(new Error('user'));
    await expect(p).rejects.toBeInstanceOf(Cancelled);
  });

  it('turns a rejection caused by the abort into Cancelled', async () => {
    const c = new AbortController();
    const p = abortable(
      new Promise<number>((_, reject) => c.signal.addEventListener('abort', () => reject(new Error('AbortError')))),
      c.signal,
    );
    c.abort();
    await expect(p).rejects.toBeInstanceOf(Cancelled);
  });

  it('errorMessage', () => {
    expect(errorMessage(new Error('boom'))).toBe('boom');
    expect(errorMessage('plain')).toBe('plain');
  });
});
