import { el } from './dom.js';
import { soundKey } from './remote.js';

/// One collection's sounds in their order, to reorder (drag a row onto another, or use its
/// buttons from the keyboard) and to take sounds out. The order is the one its ZIP, loopctl
/// collection show and export follow. `store` is where the collection is kept.
export function arrangeList(collection, store, onBack) {
  const name = collection.name;
  const list = el('ol', { class: 'arrange-list', 'aria-label': `Order of ${name}` });
  const message = el('p', { class: 'status', role: 'status' });
  let sounds = [];
  let dragged = null;

  async function load() {
    const contents = await store.contents(collection);
    sounds = contents.results;
    render();
  }

  // Every change is made on the server and the order read back, so the page shows what is kept.
  async function act(change, said) {
    message.textContent = '';
    try {
      await change();
      await load();
      message.textContent = said;
    } catch (error) {
      message.textContent = error.message;
    }
  }

  function moveBy(index, step) {
    const target = index + step;
    if (target < 0 || target >= sounds.length) return;
    const sound = sounds[index];
    // Down one: before the sound two places on (or to the end); up one: before the one above.
    const before = step < 0 ? sounds[target] : sounds[target + 1];
    act(() => store.move(name, sound, before), `${sound.name} moved ${step < 0 ? 'up' : 'down'}.`)
      .then(() => list.querySelectorAll('li')[target]?.querySelector(step < 0 ? '.up' : '.down')?.focus());
  }

  function row(sound, index) {
    const item = el('li', { draggable: 'true', 'data-id': soundKey(sound) },
      el('span', { class: 'arrange-name' }, sound.name), ' ',
      el('button', { type: 'button', class: 'up', disabled: index === 0, 'aria-label': `Move ${sound.name} up`, onclick: () => moveBy(index, -1) }, '↑'),
      el('button', { type: 'button', class: 'down', disabled: index === sounds.length - 1, 'aria-label': `Move ${sound.name} down`, onclick: () => moveBy(index, 1) }, '↓'),
      el('button', { type: 'button', class: 'remove', 'aria-label': `Take ${sound.name} out`, onclick: () => act(() => store.remove(name, sound), `${sound.name} was taken out.`) }, 'Remove'));
    item.addEventListener('dragstart', (event) => {
      dragged = sound;
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', sound.name);
    });
    item.addEventListener('dragover', (event) => {
      if (!dragged || soundKey(dragged) === soundKey(sound)) return;
      event.preventDefault();
      item.classList.add('drop-before');
    });
    item.addEventListener('dragleave', () => item.classList.remove('drop-before'));
    item.addEventListener('drop', (event) => {
      event.preventDefault();
      item.classList.remove('drop-before');
      const moving = dragged;
      dragged = null;
      if (!moving || soundKey(moving) === soundKey(sound)) return;
      act(() => store.move(name, moving, sound), `${moving.name} moved before ${sound.name}.`);
    });
    item.addEventListener('dragend', () => { dragged = null; });
    return item;
  }

  function render() {
    list.replaceChildren(...sounds.map(row));
    if (sounds.length === 0) list.append(el('li', { class: 'empty' }, 'No sounds in it yet.'));
  }

  const view = el('section', { class: 'arrange', 'aria-label': `Arrange ${name}` },
    el('h3', {}, name), list, message,
    el('button', { type: 'button', class: 'back', onclick: onBack }, 'Back to collections'));
  load().catch((error) => { message.textContent = error.message; });
  return view;
}
