import { api } from './api.js';
import { arrangeList } from './arrange.js';
import { el } from './dom.js';

/// The collections panel: each one to show as the results, to arrange, to download as one ZIP or
/// (by a writer) to share, and a new one (private, or shared with everyone by a writer).
export function collectionsPanel(session, show) {
  const dialog = el('dialog', { class: 'collections-panel', 'aria-labelledby': 'collections-title' });
  const list = el('ul', { class: 'collection-list', 'aria-label': 'Your collections' });
  const name = el('input', { id: 'collection-name', required: true, maxlength: 128, autocomplete: 'off' });
  const shared = el('input', { type: 'checkbox', id: 'collection-shared' });
  const message = el('p', { class: 'error', role: 'alert' });
  async function refresh() {
    const all = await api.collections();
    list.replaceChildren(...all.results.map((collection) => el('li', {},
      el('span', { class: 'collection-name' }, collection.name), ` ${collection.items} sound${collection.items === 1 ? '' : 's'}${collection.shared ? ', shared' : ''} `,
      el('button', { type: 'button', onclick: () => { dialog.close(); show(collection.name); } }, 'Show'), ' ',
      el('button', { type: 'button', class: 'arrange-open', onclick: () => arrange(collection.name) }, 'Arrange'), ' ',
      el('a', { href: api.zipURL(collection.name), download: `${collection.name}.zip`, class: 'button' }, 'ZIP'),
      sharing(collection))));
  }
  // Writers share their own collections and make shared ones private again.
  function sharing(collection) {
    const writer = session.account.role !== 'reader';
    if (!writer || (!collection.shared && collection.owner !== session.account.name)) return null;
    const label = collection.shared ? 'Make private' : 'Share';
    return [' ', el('button', { type: 'button', class: 'share', onclick: async () => {
      message.textContent = '';
      try {
        await api.shareCollection(collection.name, !collection.shared);
        await refresh();
      } catch (error) {
        message.textContent = error.message;
      }
    } }, label)];
  }
  const form = el('form', { class: 'new-collection' },
    el('label', { for: 'collection-name' }, 'New collection '), name, ' ',
    session.account.role !== 'reader' ? el('label', { for: 'collection-shared' }, shared, ' shared with everyone ') : null,
    el('button', { type: 'submit' }, 'Create'), message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    try {
      await api.createCollection(name.value.trim(), shared.checked);
      name.value = '';
      await refresh();
    } catch (error) {
      message.textContent = error.message;
    }
  });
  const body = el('div', {}, list, form);
  function overview() {
    body.replaceChildren(list, form);
    refresh().catch((error) => { message.textContent = error.message; });
  }
  function arrange(collectionName) {
    body.replaceChildren(arrangeList(collectionName, () => { overview(); list.querySelector('.arrange-open')?.focus(); }));
    body.querySelector('button')?.focus();
  }
  dialog.addEventListener('opened', overview);
  dialog.append(el('h2', { id: 'collections-title' }, 'Collections'), body, el('form', { method: 'dialog' }, el('button', { type: 'submit' }, 'Close')));
  return dialog;
}

/// "Add to collection" for one sound, in its detail panel.
export function addToCollection(sound) {
  const select = el('select', { 'aria-label': 'Collection to add to' });
  const message = el('span', { class: 'status', role: 'status' });
  const button = el('button', { type: 'button', onclick: async () => {
    if (!select.value) return;
    try {
      await api.addToCollection(select.value, sound.id);
      message.textContent = ` added to ${select.value}`;
    } catch (error) {
      message.textContent = ` ${error.message}`;
    }
  } }, 'Add');
  api.collections().then((all) => {
    select.replaceChildren(...all.results.map((collection) => el('option', { value: collection.name }, collection.name)));
  }).catch(() => {});
  return el('p', { class: 'add-to-collection' }, select, ' ', button, message);
}
