// What is searched, kept in the page's URL: shareable, and the back button returns to it.

export const emptyState = Object.freeze({
  q: '', type: '', bpm: '', half: false, key: '', compatible: false, format: '', tag: '', dur: '', coll: '', sort: '', fav: false, everywhere: false,
});

const flags = new Set(['half', 'compatible', 'fav', 'everywhere']);

export function readState(location = window.location) {
  const params = new URLSearchParams(location.search);
  const state = { ...emptyState };
  for (const name of Object.keys(emptyState)) {
    if (!params.has(name)) continue;
    state[name] = flags.has(name) ? params.get(name) === '1' : params.get(name);
  }
  return state;
}

export function writeState(state, { replace = false } = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(state)) {
    if (value === emptyState[name]) continue;
    params.set(name, flags.has(name) ? '1' : value);
  }
  const search = params.toString();
  const url = search ? `?${search}` : window.location.pathname;
  if (replace) history.replaceState(state, '', url); else history.pushState(state, '', url);
}

/// The query language text for the state: the words, then each chip as its field.
export function queryText(state) {
  const parts = [];
  if (state.q.trim()) parts.push(state.q.trim());
  if (state.type) parts.push(`type:${state.type}`);
  if (state.bpm) parts.push(`bpm:${state.bpm}`);
  if (state.key) parts.push(`key:${state.key}`);
  if (state.format) parts.push(`format:${state.format}`);
  if (state.tag) parts.push(`tag:${state.tag}`);
  if (state.dur) parts.push(`dur:${state.dur}`);
  if (state.fav) parts.push('fav:yes');
  if (state.coll) parts.push(`in:"${state.coll.replaceAll('"', '')}"`);
  return parts.join(' ');
}

export function searchParams(state, pageSize) {
  return {
    q: queryText(state),
    sort: state.sort,
    page_size: pageSize,
    half_double: state.half,
    compatible_keys: state.compatible,
    everywhere: state.everywhere,
    facets: true,
  };
}

export function activeChips(state) {
  return Object.keys(emptyState).filter((name) => name !== 'q' && name !== 'sort' && state[name] !== emptyState[name]);
}
