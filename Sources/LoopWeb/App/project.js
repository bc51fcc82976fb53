import { camelotKeys } from './camelot.js';
import { el } from './dom.js';

// The project's tempo and key, set once and kept in this browser: loops audition (and download)
// rendered to them on the server, the original always one click away.
const storageKey = 'openloop.project';

export function loadProject() {
  try {
    const saved = JSON.parse(localStorage.getItem(storageKey) ?? '{}');
    return { bpm: saved.bpm ?? '', key: saved.key ?? '' };
  } catch {
    return { bpm: '', key: '' };
  }
}

export function projectParams(project) {
  return project.bpm || project.key ? { bpm: project.bpm, key: project.key } : null;
}

export function projectControls(project, change) {
  const bpm = el('input', { type: 'number', min: 20, max: 400, step: 'any', value: project.bpm, 'aria-label': 'Project BPM', placeholder: 'BPM', class: 'project-bpm' });
  const key = el('select', { 'aria-label': 'Project key', class: 'project-key' },
    el('option', { value: '' }, 'Key'),
    camelotKeys.map(([code, name]) => el('option', { value: code, selected: code === project.key }, `${name} (${code})`)));
  function update() {
    const next = { bpm: bpm.value && Number(bpm.value) >= 20 ? bpm.value : '', key: key.value };
    localStorage.setItem(storageKey, JSON.stringify(next));
    change(next);
  }
  bpm.addEventListener('change', update);
  key.addEventListener('change', update);
  return el('span', { class: 'project', role: 'group', 'aria-label': 'Project tempo and key' }, el('span', { class: 'label' }, 'Project'), bpm, key);
}
