// Sounds of the shared catalogue ("every server"): those another server holds are reached through
// this one's /hosts/{host}/... routes, never by their id alone, which names another file here.

/// Whether another server holds the sound (it has a host and no address of its own here).
export function isRemote(sound) {
  return Boolean(sound?.host) && !sound.url;
}

/// A sound's identity in the page: its id here, its host and id for another server's; null for
/// no sound (nothing playing, nothing selected), which equals no row's.
export function soundKey(sound) {
  if (!sound) return null;
  return isRemote(sound) ? `${sound.host}:${sound.id}` : String(sound.id);
}

/// The key under which the catalogue keeps the sound's favourite: every catalogue result, this
/// server's too, names its host.
export function catalogueKey(sound) {
  return `${sound.host}:${sound.id}`;
}
