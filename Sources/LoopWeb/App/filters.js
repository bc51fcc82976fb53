import { camelotKeys, keyName } from './camelot.js';
import { el } from './dom.js';
import { activeChips, emptyState } from './search-state.js';

const sorts = [
  ['', 'Best match'], ['name_asc', 'Name'], ['bpm_asc', 'BPM ↑'], ['bpm_desc', 'BPM ↓'], ['duration_asc', 'Shortest'],
  ['duration_desc', 'Longest'], ['created_desc', 'Newest'], ['key_asc', 'Key'],
];

const chipLabels = {
  type: 'Type', bpm: 'BPM', half: 'Half/double time', key: 'Key', compatible: 'Compatible keys', format: 'Format',
  tag: 'Tag', dur: 'Length', fav: 'Favourites', coll: 'Collection', everywhere: 'Every server',
};

function counted(facet, value) {
  const count = facet?.[value];
  return count === undefined ? '' : ` (${count})`;
}

/// The chip bar: every filter beside the search box, with facet counts, and the active ones as
/// removable chips. `change(patch)` is called with the new values. With `catalogue`, a switch
/// searches every server of the shared catalogue.
export function filterBar(change, { catalogue = false } = {}) {
  const bar = el('div', { class: 'filters', role: 'group', 'aria-label': 'Filters' });
  const chips = el('div', { class: 'chips', role: 'list', 'aria-label': 'Active filters' });

  const type = el('select', { 'aria-label': 'Type', onchange: () => change({ type: type.value }) });
  const bpm = el('input', { 'aria-label': 'BPM range', placeholder: 'BPM e.g. 120..128', size: 12, onchange: () => change({ bpm: bpm.value.trim() }) });
  const half = el('input', { type: 'checkbox', id: 'filter-half', onchange: () => change({ half: half.checked }) });
  const keyButton = el('button', { type: 'button', 'aria-haspopup': 'dialog', 'aria-expanded': 'false', class: 'key-button' }, 'Key');
  const wheel = el('div', { class: 'wheel', role: 'dialog', 'aria-label': 'Key on the Camelot wheel', hidden: true });
  const compatible = el('input', { type: 'checkbox', id: 'filter-compatible', onchange: () => change({ compatible: compatible.checked }) });
  const format = el('select', { 'aria-label': 'Format', onchange: () => change({ format: format.value }) });
  const tag = el('select', { 'aria-label': 'Tag', onchange: () => change({ tag: tag.value }) });
  const dur = el('input', { 'aria-label': 'Length in seconds', placeholder: 'Length e.g. <2', size: 9, onchange: () => change({ dur: dur.value.trim() }) });
  const fav = el('input', { type: 'checkbox', id: 'filter-fav', onchange: () => change({ fav: fav.checked }) });
  const everywhere = el('input', { type: 'checkbox', id: 'filter-everywhere', onchange: () => change({ everywhere: everywhere.checked }) });
  const sort = el('select', { 'aria-label': 'Sort', onchange: () => change({ sort: sort.value }) },
    sorts.map(([value, label]) => el('option', { value }, label)));

  keyButton.addEventListener('click', () => {
    wheel.hidden = !wheel.hidden;
    keyButton.setAttribute('aria-expanded', String(!wheel.hidden));
    if (!wheel.hidden) wheel.querySelector('button')?.focus();
  });
  wheel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { wheel.hidden = true; keyButton.setAttribute('aria-expanded', 'false'); keyButton.focus(); }
  });

  bar.append(
    type,
    el('span', { class: 'field' }, bpm, el('label', { for: 'filter-half' }, half, ' ½×/2×')),
    el('span', { class: 'field key-field' }, keyButton, wheel, el('label', { for: 'filter-compatible' }, compatible, ' compatible')),
    format, tag, dur,
    el('label', { for: 'filter-fav', class: 'field' }, fav, ' ♥ only'),
    ...(catalogue ? [el('label', { for: 'filter-everywhere', class: 'field' }, everywhere, ' every server')] : []),
    sort,
  );

  function fillSelect(select, label, facet, current, display = (value) => value) {
    const values = Object.keys(facet ?? {}).sort((a, b) => (facet[b] - facet[a]) || a.localeCompare(b));
    if (current && !values.includes(current)) values.unshift(current);
    select.replaceChildren(el('option', { value: '' }, label), ...values.map((value) =>
      el('option', { value, selected: value === current }, `${display(value)}${counted(facet, value)}`)));
  }

  function update(state, facets) {
    fillSelect(type, 'Any type', facets?.type, state.type, (value) => (value === 'loop' ? 'Loops' : value === 'one-shot' ? 'One-shots' : value));
    fillSelect(format, 'Any format', facets?.format, state.format, (value) => value.toUpperCase());
    fillSelect(tag, 'Any tag', facets?.tag, state.tag);
    bpm.value = state.bpm;
    half.checked = state.half;
    dur.value = state.dur;
    compatible.checked = state.compatible;
    fav.checked = state.fav;
    everywhere.checked = state.everywhere;
    sort.value = state.sort;
    keyButton.textContent = state.key ? `Key ${keyName(state.key)}` : 'Key';
    wheel.replaceChildren(
      ...camelotKeys.map(([code, name]) => el('button', {
        type: 'button', class: code === state.key ? 'selected' : '', 'aria-pressed': String(code === state.key),
        onclick: () => { wheel.hidden = true; keyButton.setAttribute('aria-expanded', 'false'); change({ key: code === state.key ? '' : code }); },
      }, `${code} ${name}${counted(facets?.key, code)}`)),
      el('button', { type: 'button', onclick: () => { wheel.hidden = true; change({ key: '' }); } }, 'Any key'));

    const active = activeChips(state);
    const items = [
      ...active.map((name) => el('span', { role: 'listitem' }, el('button', {
        type: 'button', class: 'chip', 'aria-label': `Remove ${chipLabels[name]} filter`,
        onclick: () => change({ [name]: emptyState[name] }),
      }, `${chipLabels[name]}${typeof state[name] === 'string' ? `: ${name === 'key' ? keyName(state[name]) : state[name]}` : ''} ×`))),
      active.length > 0 ? el('span', { role: 'listitem' }, el('button', {
        type: 'button', class: 'chip reset', onclick: () => change({ ...emptyState, q: '' }),
      }, 'Reset all')) : null,
    ];
    chips.replaceChildren(...items.filter(Boolean));
  }

  return { bar, chips, update };
}
