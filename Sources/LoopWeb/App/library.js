import { accountPanel } from './account.js';
import { catalogueCollections, localCollections } from './collection-stores.js';
import { collectionsPanel } from './collections.js';
import { api, ApiError } from './api.js';
import { detailPanel } from './detail.js';
import { el } from './dom.js';
import { filterBar } from './filters.js';
import { followChanges } from './live.js';
import { Player } from './player.js';
import { markedBar } from './marked.js';
import { loadProject, projectControls, projectParams } from './project.js';
import { ResultList } from './results.js';
import { catalogueKey, isRemote } from './remote.js';
import { readState, searchParams, writeState } from './search-state.js';
import { toggleTheme } from './theme.js';
import { uploadPanel } from './upload.js';

const pageSize = 100;
const cartName = 'Cart';

/// The library screen: search as you type with filter chips, results to audition by mouse or
/// keyboard, details, favourites, a cart that downloads as one ZIP, uploads, and live changes.
export function showLibrary(root, session, onLoggedOut) {
  let state = readState();
  let next = null;
  let loading = null;
  let searchController = null;
  const player = new Player();
  player.project = projectParams(loadProject());

  const search = el('input', {
    type: 'search', role: 'searchbox', 'aria-label': 'Search samples', placeholder: 'Search: kick, bass bpm:120..128 key:Am…',
    value: state.q, autocomplete: 'off', spellcheck: 'false',
  });
  const status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const cartCount = el('span', { class: 'count' }, '0');
  const cartLink = el('a', { href: api.zipURL(cartName), class: 'button', download: `${cartName}.zip`, 'aria-label': 'Download the cart as one ZIP' }, 'Cart ', cartCount, ' ↓ZIP');
  const themeButton = el('button', { type: 'button', 'aria-label': 'Switch between dark and light', onclick: () => toggleTheme() }, '◐');
  const panel = accountPanel(session);
  // Searching every server, collections are the catalogue's, as the hearts are.
  const collections = collectionsPanel(session, (name) => change({ coll: name }), () => (state.everywhere ? catalogueCollections : localCollections));
  const collectionsButton = el('button', { type: 'button', class: 'collections', 'aria-haspopup': 'dialog', onclick: () => { collections.showModal(); collections.dispatchEvent(new Event('opened')); } }, 'Collections');
  const accountButton = el('button', { type: 'button', class: 'account', 'aria-haspopup': 'dialog', onclick: () => { panel.showModal(); panel.dispatchEvent(new Event('opened')); } }, session.account.name);
  const logout = el('button', { type: 'button', onclick: async () => { await api.logout().catch(() => {}); source.close(); player.stop(); onLoggedOut(); } }, 'Log out');
  const filters = filterBar((patch) => change(patch), { catalogue: Boolean(session.catalogue) });
  // Searching every server, hearts are the account's favourites in the catalogue (host:id).
  let catalogueHearts = new Set();
  const detail = el('div', { class: 'detail-slot' });
  const list = new ResultList(player, {
    needMore: () => loadMore(),
    favourite: (sound) => favourite(sound),
    addToCart: (sound) => addToCart(sound),
    link: (sound) => api.link(sound.id),
    selected: (sound) => showDetail(sound),
    marked: (sounds) => marks.update(sounds),
  });
  const marks = markedBar({ cartName, onAdded: (name) => { if (name === cartName) refreshCart(); }, onClear: () => list.clearMarks() });

  const nowPlaying = el('span', { class: 'now-playing', 'aria-live': 'off' });
  const loopToggle = el('input', { type: 'checkbox', id: 'loop-toggle', checked: player.loopLoops, onchange: () => player.setLooping(loopToggle.checked) });
  const volume = el('input', { type: 'range', min: 0, max: 1, step: 0.01, value: player.audio.volume, 'aria-label': 'Volume', oninput: () => player.setVolume(Number(volume.value)) });
  player.addEventListener('change', () => {
    nowPlaying.textContent = player.sound ? `${player.audio.paused ? '❚❚' : '▶'} ${player.sound.name}` : '';
  });

  const writer = session.account.role !== 'reader';
  root.replaceChildren(
    el('header', { class: 'top' },
      el('h1', {}, 'OpenLoop'), search,
      projectControls(loadProject(), (project) => { player.setProject(projectParams(project)); list.render(true); }),
      el('nav', { 'aria-label': 'Account' }, collectionsButton, cartLink, themeButton, accountButton, logout)),
    panel,
    collections,
    el('div', { class: 'bar' }, filters.bar, filters.chips),
    marks.element,
    writer ? uploadPanel((sound) => { status.textContent = `${sound.name} was added.`; }) : null,
    status,
    el('div', { class: 'body' }, list.viewport, detail),
    el('footer', { class: 'player', 'aria-label': 'Player' }, nowPlaying,
      el('label', { for: 'loop-toggle' }, loopToggle, ' loop loops'), el('label', {}, 'Volume ', volume)),
    player.audio,
  );
  player.audio.setAttribute('aria-label', 'Audition');

  let typing = null;
  search.addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(() => change({ q: search.value }, { replace: true }), 120);
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown') { event.preventDefault(); list.choose(0, true); }
  });
  window.addEventListener('popstate', () => {
    state = readState();
    search.value = state.q;
    run();
  });

  function change(patch, { replace = false } = {}) {
    state = { ...state, ...patch };
    writeState(state, { replace });
    run();
  }

  async function run({ quiet = false } = {}) {
    searchController?.abort();
    searchController = new AbortController();
    const signal = searchController.signal;
    if (!quiet) status.textContent = 'Searching…';
    try {
      const [page, hearts] = await Promise.all([
        api.search(searchParams(state, pageSize), signal),
        state.everywhere ? api.catalogueFavourites().catch(() => null) : null,
      ]);
      if (hearts) catalogueHearts = new Set(hearts.results.map(catalogueKey));
      next = page.next;
      list.set(withHearts(page.results), { keepSelection: quiet });
      filters.update(state, page.facets);
      const total = page.count ?? undefined;
      const shown = total ?? page.results.length;
      status.textContent = page.results.length === 0 ? 'No matches.' : `${shown}${next && total === undefined ? '+' : ''} sound${shown === 1 ? '' : 's'}`;
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (error instanceof ApiError && error.status === 401) { onLoggedOut(); return; }
      list.set([]);
      filters.update(state, null);
      status.textContent = error.message;
    }
  }

  async function loadMore() {
    if (!next || loading) return;
    const url = next;
    loading = api.page(url).then((page) => {
      next = page.next;
      list.append(withHearts(page.results));
    }).catch(() => {}).finally(() => { loading = null; });
  }

  /// Catalogue results carry no heart of their own: the account's catalogue favourites give it.
  function withHearts(sounds) {
    return sounds.map((sound) => (sound.host ? { ...sound, favourite: catalogueHearts.has(catalogueKey(sound)) } : sound));
  }

  async function favourite(sound) {
    const on = !sound.favourite;
    try {
      if (sound.host) {
        await api.catalogueFavourite(sound.host, sound.id, on);
        if (on) catalogueHearts.add(catalogueKey(sound)); else catalogueHearts.delete(catalogueKey(sound));
      } else {
        await api.favourite(sound.id, on);
      }
      list.update({ ...sound, favourite: on });
    } catch (error) {
      status.textContent = error.message;
    }
  }

  async function addToCart(sound) {
    await api.addManyToCollection(cartName, [sound.id], { makeIfMissing: true });
    refreshCart();
    status.textContent = `${sound.name} is in the cart.`;
  }

  async function refreshCart() {
    try {
      const cart = await api.collection(cartName);
      cartCount.textContent = String(cart.count ?? cart.results?.length ?? 0);
    } catch {
      cartCount.textContent = '0';
    }
  }

  function showDetail(sound) {
    detail.replaceChildren(detailPanel(sound, {
      similar: (chosen) => api.similar(chosen.id),
      onPick: (match) => change({ q: match.name.replace(/\.[^.]+$/, '') }),
      remote: isRemote(sound),
      collections: sound.host ? catalogueCollections : localCollections,
      account: session.account.name,
    }));
  }

  // New, changed and removed files show in every open page as soon as loopd has indexed them.
  let refreshing = null;
  const source = followChanges(() => {
    clearTimeout(refreshing);
    refreshing = setTimeout(() => run({ quiet: true }), 150);
  });

  writeState(state, { replace: true });
  refreshCart();
  run();
  search.focus();
}
