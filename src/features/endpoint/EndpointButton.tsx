import { useAppStore, useAppStoreApi } from '../../store/context';
import { selectEndpointConnection, selectEndpointSettings } from '../../store/selectors';
import { endpointLabel } from './fields';

const STATUS_TEXT = { idle: 'not tested', testing: 'testing…', ok: 'connected', error: 'failed' } as const;

/**
 * The endpoint in the Ask panel's header: what it is ("Endpoint:"), then its model and host, a dot
 * for the last connection test, and a click away from its settings. A first-time user must see
 * what the button is about, so the word stays visible and only the model and host give way
 * (ellipsis) when space is short. The accessible name stays "Endpoint settings" (what it does,
 * and it starts with the visible word); the details are in the title, which is also its accessible
 * description, since the dot's colour cannot be read by everyone.
 */
export function EndpointButton() {
  const store = useAppStoreApi();
  const settings = useAppStore(selectEndpointSettings);
  const connection = useAppStore(selectEndpointConnection);
  const details = `${settings.baseUrl} · model: ${settings.model.trim() || 'first listed'} · connection ${STATUS_TEXT[connection.status]}${connection.message ? `: ${connection.message}` : ''}`;
  return (
    <button type="button" className="endpoint-button" aria-label="Endpoint settings" title={details} onClick={() => store.getState().openDialog('endpoint')}>
      <span className={`endpoint-dot ${connection.status}`} aria-hidden="true" />
      <span className="endpoint-button-kind">Endpoint:</span>
      <span className="endpoint-button-text">{endpointLabel(settings)}</span>
    </button>
  );
}
