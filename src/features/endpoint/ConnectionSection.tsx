import { useId, useState } from 'react';
import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectEndpointConnection, selectEndpointModels } from '../../store/selectors';
import { FIELDS } from './fields';
import { SettingInput } from './SettingInput';

/** Where the server is, how to authenticate, which model, and a way to check all three. */
export function ConnectionSection() {
  const store = useAppStoreApi();
  const models = useAppStore(selectEndpointModels);
  const connection = useAppStore(selectEndpointConnection);
  const [showKey, setShowKey] = useState(false);
  const listId = useId();

  return (
    <fieldset className="endpoint-section">
      <legend>Connection</legend>
      <SettingInput spec={FIELDS.baseUrl} type="url" placeholder="http://localhost:8000/v1" hint="The OpenAI-compatible API root, usually ending in /v1 (vLLM, SGLang)." />
      <SettingInput spec={FIELDS.apiKey} type={showKey ? 'text' : 'password'} hint="Stored only in this browser and sent only to the base URL.">
        <button type="button" aria-pressed={showKey} onClick={() => setShowKey((v) => !v)}>
          Show key
        </button>
      </SettingInput>
      <SettingInput spec={FIELDS.model} list={listId} placeholder="first model the server lists" hint="Leave empty to use the first model the server lists.">
        <button type="button" disabled={models.status === 'loading'} onClick={() => void store.getState().refreshModels()}>
          Refresh models
        </button>
      </SettingInput>
      <datalist id={listId}>
        {models.ids.map((m) => (
          <option key={m} value={m} />
        ))}
      </datalist>
      {/* Polite but not role="status": the dialog's one status region is the connection test. */}
      <p className={`hint${models.status === 'error' ? ' endpoint-error' : ''}`} aria-live="polite">
        {models.status === 'loading' ? 'Listing the server’s models…' : null}
        {models.status === 'error' ? models.error : null}
        {models.status === 'ready' ? `The server lists ${models.ids.length} model${models.ids.length === 1 ? '' : 's'}${models.ids.length > 0 ? `: ${models.ids.join(', ')}` : ''}.` : null}
      </p>
      <div className="endpoint-test">
        <button type="button" disabled={connection.status === 'testing'} onClick={() => void store.getState().testConnection()}>
          Test connection
        </button>
        <div role="status" aria-label="Connection test" className={`endpoint-result ${connection.status}`}>
          {connection.status === 'testing' ? 'Testing…' : null}
          {connection.message !== null && connection.status !== 'testing' ? <p>{connection.message}</p> : null}
          {connection.hints.length > 0 ? (
            <ul>
              {connection.hints.map((h, i) => (
                // Hints are plain sentences that may repeat; their order is their identity.
                <li key={i}>{h}</li>
              ))}
            </ul>
          ) : null}
        </div>
      </div>
    </fieldset>
  );
}
