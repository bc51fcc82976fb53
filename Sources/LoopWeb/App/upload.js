import { api, apiURL } from './api.js';
import { el, formatBytes } from './dom.js';

async function sha256(file) {
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/// Sends one file with its SHA-256 (the server refuses bytes that differ), reporting progress.
function put(file, folder, sha, progress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    const relative = file.webkitRelativePath ? file.webkitRelativePath.split('/').slice(0, -1).join('/') : '';
    const place = [folder, relative].filter(Boolean).join('/');
    request.open('PUT', apiURL('uploads', { name: file.name, folder: place }));
    request.setRequestHeader('X-Content-SHA256', sha);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    if (api.csrf) request.setRequestHeader('X-CSRF-Token', api.csrf);
    request.upload.addEventListener('progress', (event) => progress(event.loaded / (event.total || file.size || 1)));
    request.addEventListener('load', () => {
      let body = {};
      try { body = JSON.parse(request.responseText); } catch { /* not JSON */ }
      if (request.status === 201) resolve(body); else reject(new Error(body.detail ?? `HTTP ${request.status}`));
    });
    request.addEventListener('error', () => reject(new Error('the connection was lost')));
    request.send(file);
  });
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

  async function send(files) {
    for (const file of files) {
      const bar = el('progress', { max: 1, value: 0, 'aria-label': `Upload of ${file.name}` });
      const status = el('span', { class: 'status' }, 'checking…');
      const item = el('li', { 'data-name': file.name }, el('span', {}, `${file.name} (${formatBytes(file.size)}) `), bar, ' ', status);
      list.prepend(item);
      try {
        const sha = await sha256(file);
        const existing = await api.existing(sha);
        if (existing) {
          bar.value = 1;
          status.textContent = `already in the library as ${existing.name}`;
          item.dataset.state = 'exists';
          continue;
        }
        status.textContent = 'sending…';
        const sound = await put(file, folder.value.trim(), sha, (fraction) => { bar.value = fraction; });
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

  input.addEventListener('change', () => { send([...input.files]); input.value = ''; });
  document.addEventListener('dragover', (event) => {
    if (event.dataTransfer?.types.includes('Files')) { event.preventDefault(); document.body.classList.add('dropping'); }
  });
  document.addEventListener('dragleave', () => document.body.classList.remove('dropping'));
  document.addEventListener('drop', (event) => {
    if (!event.dataTransfer?.files.length) return;
    event.preventDefault();
    document.body.classList.remove('dropping');
    send([...event.dataTransfer.files]);
  });
  return panel;
}
