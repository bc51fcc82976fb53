import { keyName } from './camelot.js';
import { addToCollection } from './collections.js';
import { el, formatBytes, formatDuration } from './dom.js';

function evidence(value, source, confidence) {
  if (value === undefined || value === null || value === '') return '—';
  const parts = [String(value)];
  if (source) parts.push(`from ${source}`);
  if (confidence !== undefined && confidence !== null) parts.push(`confidence ${Math.round(confidence * 100)}%`);
  return parts.join(', ');
}

function decibels(value, unit) {
  return value === undefined || value === null ? '—' : `${value.toFixed(1)} ${unit}`;
}

/// Everything the index holds about a sound, with where each analysed value came from, and
/// "add to collection" (`collections`: where they are kept, for `account`). Another server's
/// sound (`remote`) has no similar sounds asked of it.
export function detailPanel(sound, { similar, onPick, remote = false, collections, account }) {
  const rows = [
    ...(sound.host ? [['Server', `${sound.host}${sound.available === false ? ' (unavailable now)' : ''}`]] : []),
    ['Folder', sound.folder || '—'],
    ['Format', [sound.format?.toUpperCase(), sound.sampleRate && `${sound.sampleRate} Hz`, sound.bitDepth && `${sound.bitDepth}-bit`, sound.channels && (sound.channels === 1 ? 'mono' : `${sound.channels} ch`)].filter(Boolean).join(', ')],
    ['Length', formatDuration(sound.duration)],
    ['Size', formatBytes(sound.size ?? 0)],
    ['Type', evidence(sound.type, sound.typeSource, sound.typeConfidence)],
    ['Tempo', evidence(sound.bpm && `${sound.bpm} BPM`, sound.bpmSource, sound.bpmConfidence)],
    ['Key', evidence(sound.camelot && `${keyName(sound.camelot)} (${sound.camelot})`, sound.keySource, sound.keyStrength)],
    ['Root note', sound.rootNote ?? '—'],
    ['Loudness', decibels(sound.loudnessLufs, 'LUFS')],
    ['True peak', decibels(sound.truePeakDb, 'dBTP')],
    ['Instruments', (sound.instruments ?? []).join(', ') || '—'],
    ['Tags', (sound.tags ?? []).join(', ') || '—'],
    ['Title', sound.title ?? '—'], ['Artist', sound.artist ?? '—'], ['Comment', sound.comment ?? '—'],
  ];
  if (sound.take) rows.push(['Take', [sound.take.artist, sound.take.song, sound.take.track, sound.take.version].filter(Boolean).join(' / ')]);
  const list = el('ul', { class: 'similar', 'aria-label': 'Similar sounds' });
  const button = el('button', { type: 'button', onclick: async () => {
    button.disabled = true;
    try {
      const page = await similar(sound);
      list.replaceChildren(...page.results.map((match) => el('li', {}, el('button', { type: 'button', class: 'link', onclick: () => onPick(match) }, match.name), ` ${match.folder}`)));
    } finally {
      button.disabled = false;
    }
  } }, 'Similar sounds');
  return el('aside', { class: 'detail', 'aria-label': `Details of ${sound.name}` },
    el('h2', {}, sound.name),
    el('dl', {}, rows.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)])),
    addToCollection(sound, { store: collections, account }), remote ? null : button, remote ? null : list);
}
