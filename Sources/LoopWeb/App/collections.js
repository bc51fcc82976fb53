import { arrangeList } from './arrange.js';
import { localCollections } from './collection-stores.js';
import { el } from './dom.js';

/// The collections panel: each one to show as the results, to arrange, to download as one ZIP or
/// (by a writer) to share, and a new one (private, or shared with everyone by a writer).
/// `store()` says where they are kept as the panel opens: this server's, or every server's.
export function collectionsPanel(session, show, store = () => localCollections) {
  const dialog = el('dialog', { class: 'collections-panel', 'aria-labelledby': 'collections-title' });
  const title = el('h2', { id: 'collections-title' }, 'Collections');
  const list = el('ul', { class: 'collection-list', 'aria-label': 'Your collections' });
  const name = el('input', { id: 'collection-name', required: true, maxlength: 128, autocomplete: 'off' });
  const shared = el('input', { type: 'checkbox', id: 'collection-shared' });
  const message = el('p', { class: 'error', role: 'alert' });
  let kept = store();
  async function refresh() {
    const all = await kept.list();
    list.replaceChildren(...all.results.map((collection) => el('li', {},
      el('span', { class: 'collection-name' }, collection.name),
      ` ${collection.items} sound${collection.items === 1 ? '' : 's'}${collection.shared ? ', shared' : ''}${collection.shared && collection.owner !== session.account.name ? ` by ${collection.owner}` : ''} `,
      el('button', { type: 'button', onclick: () => { dialog.close(); show(collection.name); } }, 'Show'), ' ',
      el('button', { type: 'button', class: 'arrange-open', onclick: () => arrange(collection) }, 'Arrange'),
      kept.zipURL ? [' ', el('a', { href: kept.zipURL(collection.name), download: `${collection.name}.zip`, class: 'button' }, 'ZIP')] : null,
      sharing(collection))));
  }
  // Writers share their own collections and make shared ones private again.
  function sharing(collection) {
    const writer = session.account.role !== 'reader';
    if (!writer || !kept.mayShare(collection, session.account.name)) return null;
    const label = collection.shared ? 'Make private' : 'Share';
    return [' ', el('button', { type: 'button', class: 'share', onclick: async () => {
      message.textContent = '';
      try {
        await kept.share(collection, !collection.shared);
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
      await kept.create(name.value.trim(), shared.checked);
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
  function arrange(collection) {
    body.replaceChildren(arrangeList(collection, kept, () => { overview(); list.querySelector('.arrange-open')?.focus(); }));
    body.querySelector('button')?.focus();
  }
  dialog.addEventListener('opened', () => {
    kept = store();
    title.textContent = kept.title;
    overview();
  });
  dialog.append(title, body, el('form', { method: 'dialog' }, el('button', { type: 'submit' }, 'Close')));
  return dialog;
}

/// "Add to collection" for one sound, in its detail panel: to a collection `account` may fill
/// where `store` keeps them.
export function addToCollection(sound, { store = localCollections, account } = {}) {
  const select = el('select', { 'aria-label': 'Collection to add to' });
  const message = el('span', { class: 'status', role: 'status' });
  const button = el('button', { type: 'button', onclick: async () => {
    if (!select.value) return;
    try {
      await store.add(select.value, sound);
      message.textContent = ` added to ${select.value}`;
    } catch (error) {
      message.textContent = ` ${error.message}`;
    }
  } }, 'Add');
  store.list().then((all) => {
    const fillable = all.results.filter((collection) => store.mayAdd(collection, account));
    select.replaceChildren(...fillable.map((collection) => el('option', { value: collection.name }, collection.name)));
  }).catch(() => {});
  return el('p', { class: 'add-to-collection' }, select, ' ', button, message);
}
