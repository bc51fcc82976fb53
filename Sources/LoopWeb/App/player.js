import { api } from './api.js';
import { isRemote, soundKey } from './remote.js';

// One audio element for the whole page: a click plays at once, the arrow keys move and play,
// space pauses, left stops, right replays. Loops loop seamlessly when asked.
export class Player extends EventTarget {
  constructor() {
    super();
    this.audio = new Audio();
    this.audio.preload = 'auto';
    this.audio.volume = Number(localStorage.getItem('openloop.volume') ?? '0.8');
    this.sound = null;
    // The project's tempo and key ({bpm, key}), or null for the original audio.
    this.project = null;
    this.loopLoops = localStorage.getItem('openloop.loop') !== 'false';
    for (const name of ['play', 'pause', 'ended', 'timeupdate', 'error']) {
      this.audio.addEventListener(name, () => this.dispatchEvent(new Event('change')));
    }
  }

  play(sound) {
    // Another server's sound plays as its original bytes, fetched through this server.
    const source = isRemote(sound) ? sound.download : api.previewURL(sound.id, this.project);
    if (soundKey(this.sound) !== soundKey(sound) || this.audio.src !== source) {
      this.sound = sound;
      this.audio.src = source;
      this.audio.loop = this.loopLoops && sound.type === 'loop';
    } else {
      this.audio.currentTime = 0;
    }
    this.audio.play().catch(() => { /* the browser may refuse before a gesture */ });
    this.dispatchEvent(new Event('change'));
  }

  toggle() {
    if (!this.sound) return;
    if (this.audio.paused) this.audio.play().catch(() => {}); else this.audio.pause();
  }

  stop() {
    this.audio.pause();
    if (this.sound) this.audio.currentTime = 0;
  }

  replay() {
    if (this.sound) this.play(this.sound);
  }

  seek(fraction) {
    if (!this.sound || !Number.isFinite(this.audio.duration)) return;
    this.audio.currentTime = fraction * this.audio.duration;
    if (this.audio.paused) this.audio.play().catch(() => {});
  }

  /// Loops audition at the project's tempo and key from now on (the one playing restarts so).
  setProject(project) {
    this.project = project;
    if (this.sound && !this.audio.paused) this.play(this.sound);
  }

  setVolume(value) {
    this.audio.volume = value;
    localStorage.setItem('openloop.volume', String(value));
  }

  setLooping(on) {
    this.loopLoops = on;
    localStorage.setItem('openloop.loop', String(on));
    if (this.sound) this.audio.loop = on && this.sound.type === 'loop';
  }

  /// Where the playhead is, 0...1, for the sound playing.
  get progress() {
    const { currentTime, duration } = this.audio;
    return Number.isFinite(duration) && duration > 0 ? currentTime / duration : 0;
  }
}
