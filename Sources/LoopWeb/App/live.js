import { api } from './api.js';

const kinds = ['added', 'changed', 'moved', 'removed'];

/// The library's changes as they happen (the API's event stream, one event type per kind); the
/// browser reconnects by itself and resumes from the last event it saw.
export function followChanges(onChange) {
  const source = new EventSource(api.eventsURL(), { withCredentials: true });
  for (const kind of kinds) {
    source.addEventListener(kind, (event) => {
      try { onChange(JSON.parse(event.data)); } catch { /* not a change */ }
    });
  }
  source.addEventListener('resync', () => onChange({ kind: 'resync' }));
  return source;
}
