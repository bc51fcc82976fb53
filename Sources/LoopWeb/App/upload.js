import { api, apiURL } from './api.js';
import { el, formatBytes } from './dom.js';
import { sha256OfFile } from './sha256.js';

// Files over this size go in resumable pieces: a dropped connection costs one piece, not the file.
const resumableFrom = 8 * 1024 * 1024;
const pieceBytes = 4 * 1024 * 1024;

// Up to this size WebCrypto hashes the file whole: about ten times faster than SHA-256 in
// JavaScript (680 MB/s against 57 MB/s measured in Chromium here), for the memory of one file.
const hashWholeUpTo = 256 * 1024 * 1024;

/// A file's SHA-256: whole by WebCrypto, or for a larger one a piece at a time with its progress,
/// so that a take of gigabytes never sits in the page's memory.
async function sha256(file, progress) {
  if (file.size > hashWholeUpTo) return sha256OfFile(file, { pieceBytes, progress });
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
const sessionsKey = 'openloop.uploads';

function placeOf(file, folder) {
  const relative = file.webkitRelativePath ? file.webkitRelativePath.split('/').slice(0, -1).join('/') : '';
  return [folder, relative].filter(Boolean).join('/');
}

/// One upload request, reporting the bytes sent; rejects with `offline` when the connection failed
/// (worth retrying), with the server's sentence otherwise.
function send(method, url, { body, headers = {}, progress } = {}) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open(method, url);
    for (const [name, value] of Object.entries(headers)) request.setRequestHeader(name, value);
    if (api.csrf && method !== 'GET' && method !== 'HEAD') request.setRequestHeader('X-CSRF-Token', api.csrf);
    if (progress) request.upload.addEventListener('progress', (event) => progress(event.loaded));
    request.addEventListener('load', () => {
      let reply = {};
      try { reply = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status >= 200 && request.status < 300) resolve({ status: request.status, reply, offset: Number(request.getResponseHeader('Upload-Offset')) });
      else reject(Object.assign(new Error(reply.detail ?? `HTTP ${request.status}`), { status: request.status, reply }));
    });
    request.addEventListener('error', () => reject(Object.assign(new Error('the connection was lost'), { offline: true })));
    request.send(body ?? null);
  });
}

/// A large file in pieces (`/uploads/sessions`): each piece says where it starts, and after a
/// lost connection the page asks the server how much arrived and goes on from there, waiting for
/// the connection as long as the upload is kept (a day). The upload's id is kept in this browser
/// by the file's hash, so choosing the same file again after a reload resumes it too.
async function putInPieces(file, folder, sha, progress, waiting, resumed) {
  const saved = JSON.parse(localStorage.getItem(sessionsKey) ?? '{}');
  let url = saved[sha];
  let offset = 0;
  const forget = () => {
    const all = JSON.parse(localStorage.getItem(sessionsKey) ?? '{}');
    delete all[sha];
    localStorage.setItem(sessionsKey, JSON.stringify(all));
  };
  for (let attempt = 0; ; attempt += 1) {
    try {
      if (url) {
        ({ offset } = await send('HEAD', url));
        resumed(offset);
      } else {
        const started = await send('POST', apiURL('uploads/sessions'), {
          body: JSON.stringify({ name: file.name, size: file.size, sha256: sha, folder: placeOf(file, folder) }),
          headers: { 'Content-Type': 'application/json' },
        });
        url = started.reply.url;
        offset = 0;
        localStorage.setItem(sessionsKey, JSON.stringify({ ...JSON.parse(localStorage.getItem(sessionsKey) ?? '{}'), [sha]: url }));
      }
      while (true) {
        const end = Math.min(offset + pieceBytes, file.size);
        const base = offset;
        const result = await send('PATCH', url, {
          body: file.slice(offset, end),
          headers: { 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
          progress: (loaded) => progress((base + loaded) / file.size),
        });
        if (result.status === 201) {
          forget();
          return result.reply;
        }
        offset = result.offset;
        attempt = 0;
      }
    } catch (error) {
      // A gone upload (expired, or finished elsewhere) starts again; a refusal is final.
      if (error.status === 404 && url) { forget(); url = null; continue; }
      if (!error.offline) { forget(); throw error; }
      waiting(true);
      await new Promise((resolve) => setTimeout(resolve, Math.min(1000 * 2 ** Math.min(attempt, 4), 15000)));
      waiting(false);
    }
  }
}

/// Files dropped on the page or chosen, each with its own progress bar; a file the library already
/// has (same SHA-256) is recognised and not sent again.
export function uploadPanel(onUploaded) {
  const input = el('input', { type: 'file', multiple: true, id: 'upload-files', class: 'visually-hidden' });
  const folder = el('input', { id: 'upload-folder', placeholder: 'Uploads', value: 'Uploads', size: 14 });
  const list = el('ul', { class: 'uploads', 'aria-label': 'Uploads', 'aria-live': 'polite' });
  const panel = el('section', { class: 'upload-panel', 'aria-label': 'Upload' },
    el('label', { for: 'upload-files', class: 'button' }, 'Upload files'), input,
    el('label', { for: 'upload-folder' }, ' to folder '), folder, list);

  async function sendFiles(files) {
    for (const file of files) {
      const bar = el('progress', { max: 1, value: 0, 'aria-label': `Upload of ${file.name}` });
      const status = el('span', { class: 'status' }, 'checking…');
      const item = el('li', { 'data-name': file.name }, el('span', {}, `${file.name} (${formatBytes(file.size)}) `), bar, ' ', status);
      list.prepend(item);
      try {
        const sha = await sha256(file, (fraction) => { status.textContent = `checking… ${Math.floor(fraction * 100)}%`; });
        // Offline, the check cannot be made: the upload itself waits for the connection.
        const existing = await api.existing(sha).catch((error) => { if (error instanceof TypeError) return null; throw error; });
        if (existing) {
          bar.value = 1;
          status.textContent = `already in the library as ${existing.name}`;
          item.dataset.state = 'exists';
          continue;
        }
        status.textContent = 'sending…';
        const progress = (fraction) => { bar.value = fraction; };
        const sound = file.size >= resumableFrom
          ? await putInPieces(file, folder.value.trim(), sha, progress, (waiting) => {
            status.textContent = waiting ? 'waiting for the connection…' : 'sending…';
            item.dataset.state = waiting ? 'waiting' : 'sending';
          }, (offset) => {
            item.dataset.resumedFrom = String(offset);
            status.textContent = `resuming after ${formatBytes(offset)}…`;
          })
          : (await send('PUT', apiURL('uploads', { name: file.name, folder: placeOf(file, folder.value.trim()) }), {
            body: file,
            headers: { 'X-Content-SHA256': sha, 'Content-Type': 'application/octet-stream' },
            progress: (loaded) => progress(loaded / (file.size || 1)),
          })).reply;
        bar.value = 1;
        status.textContent = 'added';
        item.dataset.state = 'added';
        onUploaded?.(sound);
      } catch (error) {
        status.textContent = `failed: ${error.message}`;
        item.dataset.state = 'failed';
      }
    }
  }

  input.addEventListener('change', () => { sendFiles([...input.files]); input.value = ''; });
  document.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) { event.preventDefault(); document.body.classList.add('dropping'); }
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
  document.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    document.body.classList.remove('dropping');
    sendFiles([...event.dataTransfer.files]);
  });
  return panel;
}
