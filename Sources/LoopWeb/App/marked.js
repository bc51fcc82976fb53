import { api } from './api.js';
import { el } from './dom.js';

/// What to do with the marked sounds: put them all in the cart or in a collection at once, or
/// drop the marks. Hidden while nothing is marked.
export function markedBar({ cartName, onAdded, onClear }) {
  let sounds = [];
  const count = el('strong', { class: 'marked-count' });
  const choice = el('select', { 'aria-label': 'Collection for the marked sounds' });
  const message = el('span', { class: 'status', role: 'status' });

  // The cart is made the first time something goes in it; a collection must exist.
  async function add(name, { makeIfMissing = false } = {}) {
    const ids = sounds.map((sound) => sound.id);
    message.textContent = '';
    try {
      const reply = await api.addManyToCollection(name, ids, { makeIfMissing });
      const already = ids.length - reply.changed;
      message.textContent = ` ${reply.changed} added to ${name}${already > 0 ? ` (${already} already in it)` : ''}.`;
      onAdded?.(name);
    } catch (error) {
      message.textContent = ` ${error.message}`;
    }
  }

  const bar = el('div', { class: 'marked-bar', role: 'region', 'aria-label': 'Marked sounds', hidden: true },
    count, ' ',
    el('button', { type: 'button', class: 'marked-cart', onclick: () => add(cartName, { makeIfMissing: true }) }, 'Add to the cart'), ' ',
    choice, ' ',
    el('button', { type: 'button', class: 'marked-collection', onclick: () => { if (choice.value) add(choice.value); } }, 'Add to collection'), ' ',
    el('button', { type: 'button', class: 'marked-clear', onclick: () => onClear() }, 'Clear marks'),
    message);

  return {
    element: bar,
    update(marked) {
      if (bar.hidden) message.textContent = '';
      sounds = marked;
      bar.hidden = marked.length === 0;
      count.textContent = `${marked.length} marked`;
      if (bar.hidden) return;
      // Read again as marks change (a collection may have been made meanwhile), keeping the choice.
      api.collections().then((all) => {
        const chosen = choice.value;
        choice.replaceChildren(...all.results.map((collection) => el('option', { value: collection.name, selected: collection.name === chosen }, collection.name)));
      }).catch(() => {});
    },
  };
}
