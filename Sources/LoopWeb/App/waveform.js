import { api } from './api.js';

// Peaks as loopd stores them (audiowaveform JSON), fetched once per sound at the resolution that
// gives about one value per pixel of the row.
const cache = new Map();

function samplesPerPixel(sound, width) {
  const frames = (sound.duration ?? 1) * (sound.sampleRate ?? 44100);
  let value = 256;
  while (value * 2 <= frames / width && value < (1 << 24)) value *= 2;
  return value;
}

export function peaksOf(sound, width) {
  const spp = samplesPerPixel(sound, width);
  const key = `${sound.id}/${spp}`;
  if (!cache.has(key)) cache.set(key, api.peaks(sound.id, spp).catch(() => null));
  return cache.get(key);
}

/// Draws min and max per pixel, mirrored about the middle; nothing when the peaks are missing.
// The colour of the theme's waveforms, read once per theme rather than once per row.
const colours = new Map();
function waveColour(canvas) {
  const theme = document.documentElement.dataset.theme;
  if (!colours.has(theme)) colours.set(theme, getComputedStyle(canvas).color);
  return colours.get(theme);
}

/// The canvas's size is its attributes' (CSS pixels): reading its laid-out size would make the
/// browser lay out the page once per row.
export async function drawWaveform(canvas, sound) {
  const width = canvas.width;
  const height = canvas.height;
  const peaks = await peaksOf(sound, width);
  if (!peaks || !canvas.isConnected) return;
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const context = canvas.getContext('2d');
  const data = peaks.data ?? [];
  const channels = peaks.channels ?? 1;
  const length = Math.floor(data.length / (2 * channels));
  const scale = 2 ** ((peaks.bits ?? 8) - 1);
  const middle = canvas.height / 2;
  context.clearRect(0, 0, canvas.width, canvas.height);
  context.fillStyle = waveColour(canvas);
  for (let x = 0; x < canvas.width; x += 1) {
    const index = Math.floor((x / canvas.width) * length);
    let low = 0;
    let high = 0;
    for (let channel = 0; channel < channels; channel += 1) {
      const at = (index * channels + channel) * 2;
      low = Math.min(low, data[at] ?? 0);
      high = Math.max(high, data[at + 1] ?? 0);
    }
    const top = middle - (high / scale) * middle;
    const bottom = middle - (low / scale) * middle;
    context.fillRect(x, top, 1, Math.max(1, bottom - top));
  }
  canvas.dataset.drawn = 'true';
}
