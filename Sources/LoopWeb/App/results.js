import { api } from './api.js';
import { keyName } from './camelot.js';
import { el, formatDuration } from './dom.js';
import { isRemote, soundKey } from './remote.js';
import { drawWaveform } from './waveform.js';

const rowHeight = 56;
const overscan = 8;

function bpmText(sound) {
  return sound.bpm ? `${Math.round(sound.bpm * 10) / 10} BPM` : '';
}

function keyText(sound) {
  return sound.camelot ? `${keyName(sound.camelot)} (${sound.camelot})` : (sound.key ?? '');
}

/// The accessible name of a row: the file's name first, then what a producer scans for.
function rowLabel(sound) {
  return [sound.name, bpmText(sound), keyText(sound), sound.type ?? '', formatDuration(sound.duration)].filter(Boolean).join(', ');
}

const mediaTypes = { wav: 'audio/wav', aiff: 'audio/aiff', flac: 'audio/flac', ogg: 'audio/ogg', mp3: 'audio/mpeg' };

/// A virtualised list of sounds: only the rows in view (and a few around) are in the page, so
/// ten thousand scroll as smoothly as ten. `actions` are the row's buttons' handlers.
export class ResultList {
  constructor(player, actions) {
    this.player = player;
    this.actions = actions;
    this.sounds = [];
    this.selected = -1;
    // Sounds marked to act on together (ctrl- or shift-click, shift and an arrow), by id: marks
    // stay across searches, so a set can be gathered from several. Other servers' sounds are not
    // marked: what marks do (collections, the cart) is this server's.
    this.marked = new Map();
    this.links = new Map();
    this.grid = el('div', { role: 'grid', 'aria-label': 'Results', 'aria-rowcount': '0', 'aria-multiselectable': 'true', tabindex: '0', class: 'grid' });
    this.spacer = el('div', { class: 'spacer' });
    this.viewport = el('div', { class: 'results' }, this.spacer);
    this.spacer.append(this.grid);
    this.viewport.addEventListener('scroll', () => this.render());
    window.addEventListener('resize', () => this.render());
    this.grid.addEventListener('keydown', (event) => this.key(event));
    player.addEventListener('change', () => this.showPlayhead());
    const tick = () => { this.showPlayhead(); requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  }

  set(sounds, { keepSelection = false } = {}) {
    const selectedKey = soundKey(this.sounds[this.selected]);
    this.sounds = sounds;
    this.selected = keepSelection ? sounds.findIndex((sound) => soundKey(sound) === selectedKey) : -1;
    this.grid.setAttribute('aria-rowcount', String(sounds.length));
    this.render(true);
  }

  append(sounds) {
    this.sounds = this.sounds.concat(sounds);
    this.grid.setAttribute('aria-rowcount', String(this.sounds.length));
    this.render(true);
  }

  /// A sound changed (a favourite): its row alone is rebuilt, when it is in the page.
  update(sound) {
    const index = this.sounds.findIndex((candidate) => soundKey(candidate) === soundKey(sound));
    if (index < 0) return;
    this.sounds[index] = sound;
    const old = this.rows?.get(index);
    if (!old) return;
    const row = this.row(index);
    old.replaceWith(row);
    this.rows.set(index, row);
  }

  /// Puts the rows in view (and a few around) in the page. Rows already there stay, so a scroll
  /// adds and removes only the rows that enter and leave; `force` rebuilds them all (new data).
  render(force = false) {
    this.spacer.style.height = `${this.sounds.length * rowHeight}px`;
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
    const last = Math.min(this.sounds.length, Math.ceil((top + height) / rowHeight) + overscan);
    if (!force && first === this.first && last === this.last) return;
    this.first = first;
    this.last = last;
    if (force || !this.rows) {
      this.rows = new Map();
      this.grid.replaceChildren();
    }
    for (const [index, row] of this.rows) {
      if (index < first || index >= last) {
        row.remove();
        this.rows.delete(index);
      }
    }
    const added = [];
    for (let index = first; index < last; index += 1) {
      if (this.rows.has(index)) continue;
      const row = this.row(index);
      this.rows.set(index, row);
      added.push(row);
    }
    this.grid.append(...added);
    if (last >= this.sounds.length - overscan) this.actions.needMore?.();
  }

  row(index) {
    const sound = this.sounds[index];
    const key = soundKey(sound);
    const remote = isRemote(sound);
    const playing = soundKey(this.player.sound) === key;
    const selected = index === this.selected;
    const canvas = el('canvas', { class: 'wave', width: 160, height: 40, 'aria-hidden': 'true' });
    const head = el('div', { class: 'playhead', 'aria-hidden': 'true' });
    const wave = el('div', { role: 'gridcell', class: 'wave-cell', onclick: (event) => {
      event.stopPropagation();
      const box = wave.getBoundingClientRect();
      if (soundKey(this.player.sound) === key) this.player.seek((event.clientX - box.left) / box.width);
      else this.choose(index, true);
    } }, canvas, head);
    const heart = el('button', {
      type: 'button', class: 'heart', 'aria-pressed': String(Boolean(sound.favourite)), 'aria-label': `Favourite ${sound.name}`, tabindex: '-1',
      onclick: (event) => { event.stopPropagation(); this.actions.favourite(sound); },
    }, sound.favourite ? '♥' : '♡');
    const cart = remote ? null : el('button', {
      type: 'button', class: 'cart-add', 'aria-label': `Add ${sound.name} to the cart`, tabindex: '-1',
      onclick: (event) => { event.stopPropagation(); this.actions.addToCart(sound); },
    }, '+');
    const download = el('a', { href: sound.download, download: sound.name, class: 'download', 'aria-label': `Download ${sound.name}`, tabindex: '-1', onclick: (event) => event.stopPropagation() }, '↓');
    const project = this.player.project;
    const rendered = project && !remote ? el('a', {
      href: api.previewURL(sound.id, project, true), class: 'download-project', tabindex: '-1',
      'aria-label': `Download ${sound.name} at the project's tempo and key`, onclick: (event) => event.stopPropagation(),
    }, '↓♪') : null;
    const row = el('div', {
      role: 'row', 'aria-rowindex': String(index + 1), 'aria-selected': String(selected), 'aria-label': rowLabel(sound),
      class: `row${selected ? ' selected' : ''}${this.marked.has(key) ? ' marked' : ''}${playing ? ' playing' : ''}${sound.available === false ? ' unavailable' : ''}`,
      draggable: 'true', tabindex: selected ? '0' : '-1', 'data-id': String(sound.id), 'data-key': key,
      onclick: (event) => this.click(index, event),
      ondragstart: (event) => this.drag(event, sound),
    },
    el('div', { role: 'gridcell', class: 'name-cell' }, el('span', { class: 'name' }, sound.name),
      el('small', {}, sound.host ? `${sound.host}${sound.available === false ? ' (unavailable)' : ''} · ${sound.folder}` : sound.folder)),
    wave,
    el('div', { role: 'gridcell', class: 'num' }, bpmText(sound)),
    el('div', { role: 'gridcell', class: 'num' }, keyText(sound)),
    el('div', { role: 'gridcell', class: 'type' }, sound.type ?? ''),
    el('div', { role: 'gridcell', class: 'num' }, formatDuration(sound.duration)),
    el('div', { role: 'gridcell', class: 'tags' }, (sound.tags ?? []).concat(sound.instruments ?? []).slice(0, 4).join(' · ')),
    el('div', { role: 'gridcell', class: 'actions' }, heart, cart, download, rendered));
    row.style.transform = `translateY(${index * rowHeight}px)`;
    // Another server's peaks are not kept here: its row shows no waveform.
    if (!remote) drawWaveform(canvas, sound);
    return row;
  }

  /// Selects (and with `play`, plays) the row at `index`; prepares its drag-out link.
  choose(index, play) {
    if (index < 0 || index >= this.sounds.length) return;
    this.selected = index;
    const sound = this.sounds[index];
    const top = index * rowHeight;
    if (top < this.viewport.scrollTop) this.viewport.scrollTop = top;
    else if (top + rowHeight > this.viewport.scrollTop + this.viewport.clientHeight) this.viewport.scrollTop = top + rowHeight - this.viewport.clientHeight;
    if (play) this.player.play(sound);
    this.render();
    this.refreshSelection();
    this.rows.get(index)?.focus({ preventScroll: true });
    this.actions.selected?.(sound);
    this.prepareLink(sound);
  }

  /// A click chooses and plays a row; with ctrl (or cmd) it marks or unmarks it, with shift it
  /// marks every row from the chosen one to it. A plain click drops the marks.
  click(index, event) {
    if (event.shiftKey && this.selected >= 0) {
      const [from, to] = this.selected < index ? [this.selected, index] : [index, this.selected];
      this.mark(Array.from({ length: to - from + 1 }, (_, offset) => from + offset), true);
      this.choose(index, false);
    } else if (event.ctrlKey || event.metaKey) {
      this.mark([index], !this.marked.has(soundKey(this.sounds[index])));
      this.choose(index, false);
    } else {
      if (this.marked.size > 0) this.clearMarks();
      this.choose(index, true);
    }
  }

  mark(indices, on) {
    for (const index of indices) {
      const sound = this.sounds[index];
      if (!sound || isRemote(sound)) continue;
      if (on) this.marked.set(soundKey(sound), sound); else this.marked.delete(soundKey(sound));
    }
    this.refreshSelection();
    this.actions.marked?.([...this.marked.values()]);
  }

  clearMarks() {
    this.marked.clear();
    this.refreshSelection();
    this.actions.marked?.([]);
  }

  /// Shows the chosen and the marked rows on the rows in the page, without rebuilding them.
  refreshSelection() {
    for (const [index, row] of this.rows) {
      const selected = index === this.selected;
      row.classList.toggle('marked', this.marked.has(soundKey(this.sounds[index])));
      row.classList.toggle('selected', selected);
      row.setAttribute('aria-selected', String(selected));
      row.tabIndex = selected ? 0 : -1;
    }
  }

  key(event) {
    // Shift and an arrow marks the row it leaves and the one it reaches, and plays that one.
    if (event.shiftKey && (event.key === 'ArrowDown' || event.key === 'ArrowUp') && this.selected >= 0) {
      const target = Math.min(Math.max(this.selected + (event.key === 'ArrowDown' ? 1 : -1), 0), this.sounds.length - 1);
      event.preventDefault();
      this.mark([this.selected, target], true);
      this.choose(target, true);
      return;
    }
    const handled = {
      Escape: () => this.clearMarks(),
      ArrowDown: () => this.choose(Math.min(this.selected + 1, this.sounds.length - 1), true),
      ArrowUp: () => this.choose(Math.max(this.selected - 1, 0), true),
      ' ': () => this.player.toggle(),
      ArrowLeft: () => this.player.stop(),
      ArrowRight: () => this.player.replay(),
      Enter: () => this.choose(Math.max(this.selected, 0), true),
      Home: () => this.choose(0, true),
      End: () => this.choose(this.sounds.length - 1, true),
    }[event.key];
    if (!handled || event.target.closest('button, a, input, select')) return;
    event.preventDefault();
    handled();
  }

  showPlayhead() {
    const key = soundKey(this.player.sound);
    for (const row of this.grid.children) {
      const playing = row.dataset.key === key;
      row.classList.toggle('playing', playing);
      const head = row.querySelector('.playhead');
      if (head) head.style.left = playing ? `${(this.player.progress * 100).toFixed(2)}%` : '-2px';
    }
  }

  async prepareLink(sound) {
    // Another server's sound drags out through this server's download, which needs the login.
    if (isRemote(sound) || this.links.has(sound.id)) return;
    try {
      const link = await this.actions.link(sound);
      this.links.set(sound.id, link);
    } catch { /* dragging falls back to the download URL */ }
  }

  /// Chromium drops the file itself on the desktop or a DAW (`DownloadURL`, with a signed link
  /// that needs no login); other browsers get the link.
  drag(event, sound) {
    const url = (isRemote(sound) ? null : this.links.get(sound.id)?.url) ?? sound.download;
    const type = mediaTypes[sound.format] ?? 'application/octet-stream';
    event.dataTransfer.effectAllowed = 'copy';
    event.dataTransfer.setData('DownloadURL', `${type}:${sound.name}:${url}`);
    event.dataTransfer.setData('text/uri-list', url);
    event.dataTransfer.setData('text/plain', url);
  }

  get selectedSound() {
    return this.sounds[this.selected];
  }
}
