import { useEffect, useState } from 'react';
import type { ImageRef } from '../../core/agent/trajectory';
import type { QueryImageSource } from '../../store/slices/askSlice';
import { useAppStoreApi } from '../../store/context';

/**
 * An image a query sent, made again from the video (see AskSlice.queryImage); `source` null: the
 * result came from a file, and only its description can be shown.
 */
export function QueryImage({ source, imageRef, size, alt }: { source: QueryImageSource | null; imageRef: ImageRef; size: 'thumb' | 'full'; alt: string }) {
  const store = useAppStoreApi();
  const [state, setState] = useState<{ url: string | null; error: string | null }>({ url: null, error: null });
  const key = JSON.stringify(imageRef);
  // The source object changes with every streamed update of its query; what it points at does not.
  const sourceKey = source === null ? null : JSON.stringify([source.instanceId, source.instanceName, source.visualPrompt]);
  useEffect(() => {
    if (sourceKey === null) return;
    const [instanceId, instanceName, visualPrompt] = JSON.parse(sourceKey) as [string, string, QueryImageSource['visualPrompt']];
    let live = true;
    store
      .getState()
      .queryImage({ instanceId, instanceName, visualPrompt }, JSON.parse(key) as ImageRef, size)
      .then(
        (url) => live && setState({ url, error: null }),
        (e: unknown) => live && setState({ url: null, error: e instanceof Error ? e.message : String(e) }),
      );
    return () => {
      live = false;
    };
  }, [store, sourceKey, key, size]);
  const error = source === null ? 'Not available: this result was read from a file' : state.error;
  if (error) return <span className="image-missing" title={error}>{size === 'thumb' ? 'unavailable' : error}</span>;
  if (!state.url) return <span className="image-loading" aria-label={`${alt} (loading)`} />;
  return <img src={state.url} alt={alt} className={size === 'thumb' ? 'query-thumb' : 'query-full'} />;
}
