import { useEffect, useState } from 'react';
import type { ImageRef } from '../../core/agent/trajectory';
import { useAppStoreApi } from '../../store/context';

/** An image a query sent, made again from the video (see AskSlice.queryImage). */
export function QueryImage({ queryId, imageRef, size, alt }: { queryId: string; imageRef: ImageRef; size: 'thumb' | 'full'; alt: string }) {
  const store = useAppStoreApi();
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  const key = JSON.stringify(imageRef);
  useEffect(() => {
    let live = true;
    store
      .getState()
      .queryImage(queryId, JSON.parse(key) as ImageRef, size)
      .then(
        (url) => live && setState({ url, error: null }),
        (e: unknown) => live && setState({ url: null, error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [store, queryId, key, size]);
  if (state.error) return <span className="image-missing" title={state.error}>{size === 'thumb' ? 'unavailable' : state.error}</span>;
  if (!state.url) return <span className="image-loading" aria-label={`${alt} (loading)`} />;
  return <img src={state.url} alt={alt} className={size === 'thumb' ? 'query-thumb' : 'query-full'} />;
}
