/**
 * Runs an async function so that at most one call is in flight and, of the calls that arrive
 * meanwhile, only the newest runs next. Superseded calls settle as `superseded` without running.
 * Scrubbing a timeline issues hundreds of frame requests; only the last one matters.
 */
export type LatestResult<R> = { readonly status: 'done'; readonly value: R } | { readonly status: 'superseded' };

export function latestOnly<A, R>(fn: (arg: A) => Promise<R>): (arg: A) => Promise<LatestResult<R>> {
  let running = false;
  let pending: { arg: A; resolve: (r: LatestResult<R>) => void; reject: (e: unknown) => void } | null = null;

  const pump = (): void => {
    if (running || pending === null) return;
    const job = pending;
    pending = null;
    running = true;
    fn(job.arg).then(
      (value) => {
        running = false;
        job.resolve({ status: 'done', value });
        pump();
      },
      (error: unknown) => {
        running = false;
        job.reject(error);
        pump();
      },
    );
  };

  return (arg: A) =>
    new Promise<LatestResult<R>>((resolve, reject) => {
      pending?.resolve({ status: 'superseded' });
      pending = { arg, resolve, reject };
      pump();
    });
}
