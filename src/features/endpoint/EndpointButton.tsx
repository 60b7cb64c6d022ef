import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectEndpointConnection, selectEndpointSettings } from '../../store/selectors';
import { endpointLabel } from './fields';

const STATUS_TEXT = { idle: 'not tested', testing: 'testing…', ok: 'connected', error: 'failed' } as const;

/**
 * The endpoint in the top bar: model and host, a dot for the last connection test, and a click
 * away from its settings. The accessible name stays "Endpoint settings" (what it does); the
 * details are in the title, which is also its accessible description, since the dot's colour
 * cannot be read by everyone.
 */
export function EndpointButton() {
  const store = useAppStoreApi();
  const settings = useAppStore(selectEndpointSettings);
  const connection = useAppStore(selectEndpointConnection);
  const details = `${settings.baseUrl} · model: ${settings.model.trim() || 'first listed'} · connection ${STATUS_TEXT[connection.status]}${connection.message ? `: ${connection.message}` : ''}`;
  return (
    <button type="button" className="endpoint-button" aria-label="Endpoint settings" title={details} onClick={() => store.getState().openDialog('endpoint')}>
      <span className={`endpoint-dot ${connection.status}`} aria-hidden="true" />
      <span className="endpoint-button-text">{endpointLabel(settings)}</span>
    </button>
  );
}
