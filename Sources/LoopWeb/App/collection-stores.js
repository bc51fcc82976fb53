import { api } from './api.js';

// Where collections are kept: this server's index, whose sounds are its own ids, or the shared
// catalogue, whose sounds are named by host and id. The collections panel, the arranging list
// and "add to collection" work the same on either.

export const localCollections = Object.freeze({
  title: 'Collections',
  list: () => api.collections(),
  create: (name, shared) => api.createCollection(name, shared),
  // An admin or writer may make another's shared collection private again here.
  mayShare: (collection, account) => collection.shared || collection.owner === account,
  share: (collection, shared) => api.shareCollection(collection.name, shared),
  mayAdd: () => true,
  contents: (collection) => api.collection(collection.name),
  add: (name, sound) => api.addToCollection(name, sound.id),
  remove: (name, sound) => api.removeFromCollection(name, sound.id),
  move: (name, sound, before) => api.moveInCollection(name, [sound.id], before ? { before: before.id } : {}),
  zipURL: (name) => api.zipURL(name),
});

const soundRef = (sound) => ({ host: sound.host, id: sound.id });

export const catalogueCollections = Object.freeze({
  title: 'Collections on every server',
  list: () => api.catalogueCollections(),
  create: (name, shared) => api.createCatalogueCollection(name, shared),
  // Only the owner's: making one's collection again changes only whether it is shared.
  mayShare: (collection, account) => collection.owner === account,
  share: (collection, shared) => api.createCatalogueCollection(collection.name, shared),
  // Sounds go only into the account's own: the catalogue names a collection by owner and name.
  mayAdd: (collection, account) => collection.owner === account,
  contents: (collection) => api.catalogueCollection(collection.name, collection.owner),
  add: (name, sound) => api.changeCatalogueCollection(name, sound, true),
  remove: (name, sound) => api.changeCatalogueCollection(name, sound, false),
  move: (name, sound, before) => api.moveInCatalogueCollection(name, [soundRef(sound)], before ? { before: soundRef(before) } : {}),
  // Its sounds live on several servers: no one server makes its ZIP.
  zipURL: null,
});
