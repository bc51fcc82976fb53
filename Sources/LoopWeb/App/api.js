// The HTTP API, relative to the page, so the app works behind a proxy on a sub-path.

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

const base = new URL('api/v1/', document.baseURI);
// Changes made with the session cookie need it (CSRF); GET /session and the login give it.
let csrf = null;

// Query values percent-encoded (a space as %20): the API reads "+" as a plus sign, as RFC 3986 has it.
export function apiURL(path, params) {
  const url = new URL(path, base);
  const query = Object.entries(params ?? {})
    .filter(([, value]) => value !== undefined && value !== null && value !== '' && value !== false)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  // A full URL (a page's `next`) keeps its own query.
  if (query.length > 0) url.search = query.join('&');
  return url.href;
}

export async function request(path, { method = 'GET', json, body, headers = {}, params, signal } = {}) {
  const init = { method, headers: { ...headers }, credentials: 'same-origin', signal };
  if (json !== undefined) {
    init.body = JSON.stringify(json);
    init.headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    init.body = body;
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) init.headers['X-CSRF-Token'] = csrf;
  const response = await fetch(apiURL(path, params), init);
  if (!response.ok) {
    let detail = response.statusText || `HTTP ${response.status}`;
    try { detail = (await response.json()).detail ?? detail; } catch { /* not JSON */ }
    throw new ApiError(response.status, detail);
  }
  return response;
}

async function json(path, options) {
  return (await request(path, options)).json();
}

export const api = {
  get csrf() { return csrf; },

  async session() {
    const session = await json('session');
    csrf = session.csrf;
    return session;
  },

  async login(name, password) {
    const session = await json('session', { method: 'POST', json: { name, password } });
    csrf = session.csrf;
    return session;
  },

  async acceptInvitation(token, password) {
    const session = await json(`invitations/${encodeURIComponent(token)}`, { method: 'POST', json: { password } });
    csrf = session.csrf;
    return session;
  },

  accounts() { return json('accounts'); },
  setRole(name, role) { return json(`accounts/${encodeURIComponent(name)}`, { method: 'PATCH', json: { role } }); },
  async removeAccount(name) { await request(`accounts/${encodeURIComponent(name)}`, { method: 'DELETE' }); },
  invite(name, role) { return json('accounts/invitations', { method: 'POST', json: { name, role } }); },
  createToken(label) { return json('tokens', { method: 'POST', json: { label } }); },

  async logout() {
    await request('session', { method: 'DELETE' });
    csrf = null;
  },

  search(params, signal) { return json('sounds', { params, signal }); },
  page(url, signal) { return json(url, { signal }); },
  sound(id) { return json(`sounds/${id}`); },
  peaks(id, samplesPerPixel) { return json(`sounds/${id}/peaks`, { params: { samples_per_pixel: samplesPerPixel } }); },
  similar(id) { return json(`sounds/${id}/similar`, { params: { page_size: 20 } }); },
  favourite(id, on) { return json(`sounds/${id}/favourite`, { method: on ? 'PUT' : 'DELETE' }); },
  /// The account's favourites in the shared catalogue, any server's sounds.
  catalogueFavourites() { return json('favourites', { params: { everywhere: true } }); },
  catalogueFavourite(host, id, on) { return json(`hosts/${encodeURIComponent(host)}/sounds/${id}/favourite`, { method: on ? 'PUT' : 'DELETE' }); },
  link(id) { return json(`sounds/${id}/download/link`, { method: 'POST' }); },
  collections() { return json('collections'); },
  createCollection(name, shared = false) { return json('collections', { method: 'POST', json: { name, shared } }); },
  collection(name) { return json(`collections/${encodeURIComponent(name)}`); },
  addToCollection(name, id) { return json(`collections/${encodeURIComponent(name)}/sounds/${id}`, { method: 'PUT' }); },
  /// Puts sounds in a collection; with `makeIfMissing`, one that does not exist yet is made first (the cart).
  async addManyToCollection(name, ids, { makeIfMissing = false } = {}) {
    const add = () => json(`collections/${encodeURIComponent(name)}/sounds`, { method: 'POST', json: { sounds: ids } });
    try {
      return await add();
    } catch (error) {
      if (!(makeIfMissing && error instanceof ApiError && error.status === 404)) throw error;
      await this.createCollection(name);
      return add();
    }
  },
  removeFromCollection(name, id) { return json(`collections/${encodeURIComponent(name)}/sounds/${id}`, { method: 'DELETE' }); },
  shareCollection(name, shared) { return json(`collections/${encodeURIComponent(name)}`, { method: 'PATCH', json: { shared } }); },
  moveInCollection(name, ids, place = {}) { return json(`collections/${encodeURIComponent(name)}/move`, { method: 'POST', json: { sounds: ids, ...place } }); },
  /// Collections kept in the shared catalogue: any server's sounds, each named by host and id.
  catalogueCollections() { return json('collections', { params: { everywhere: true } }); },
  createCatalogueCollection(name, shared = false) { return json('collections', { method: 'POST', json: { name, shared }, params: { everywhere: true } }); },
  catalogueCollection(name, owner) { return json(`collections/${encodeURIComponent(name)}`, { params: { everywhere: true, owner } }); },
  changeCatalogueCollection(name, sound, add) {
    return json(`collections/${encodeURIComponent(name)}/hosts/${encodeURIComponent(sound.host)}/sounds/${sound.id}`, { method: add ? 'PUT' : 'DELETE' });
  },
  moveInCatalogueCollection(name, sounds, place = {}) {
    return json(`collections/${encodeURIComponent(name)}/move`, { method: 'POST', json: { sounds, ...place }, params: { everywhere: true } });
  },
  zipURL(name) { return apiURL(`collections/${encodeURIComponent(name)}/zip`); },
  previewURL(id, project, download = false) { return apiURL(`sounds/${id}/preview`, { ...(project ?? {}), download: download ? 1 : undefined }); },
  downloadURL(id) { return apiURL(`sounds/${id}/download`); },
  async existing(sha256) {
    try {
      return await json(`uploads/${sha256}`);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) return null;
      throw error;
    }
  },
  eventsURL() { return apiURL('events'); },
};
