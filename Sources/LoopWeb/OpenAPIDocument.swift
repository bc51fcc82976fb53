/// The API described for tools (OpenAPI 3.1), served at `/api/v1/openapi.json` without a login.
/// WebTests checks that every operation described here is served.
enum OpenAPIDocument {
    static let json = #"""
    {
      "openapi": "3.1.0",
      "info": {
        "title": "OpenLoop",
        "version": "1",
        "description": "A sample library over HTTP. Errors are {\"detail\": \"one sentence\"} with their status. Every route but health, this document, logging in, invitations and signed links needs a login: Authorization: Bearer TOKEN (loopctl token create NAME), or the session cookie from POST /session, with X-CSRF-Token on every change."
      },
      "servers": [{"url": "/api/v1"}],
      "components": {
        "securitySchemes": {
          "token": {"type": "http", "scheme": "bearer"},
          "session": {"type": "apiKey", "in": "cookie", "name": "loopweb_session", "description": "From POST /session; changes also need the X-CSRF-Token header it gave."}
        },
        "schemas": {
          "Error": {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]},
          "Sound": {
            "type": "object",
            "description": "A file's record (see PROTOCOL.md) without server paths, with name, folder, url and download.",
            "properties": {
              "id": {"type": "integer"}, "name": {"type": "string"}, "folder": {"type": "string"},
              "url": {"type": "string"}, "download": {"type": "string"}, "hash": {"type": ["string", "null"]},
              "format": {"type": ["string", "null"]}, "duration": {"type": ["number", "null"]},
              "bpm": {"type": ["number", "null"]}, "key": {"type": ["string", "null"]},
              "type": {"type": ["string", "null"], "enum": ["loop", "one-shot", null]}
            }
          },
          "Page": {
            "type": "object",
            "properties": {
              "count": {"type": "null"}, "next": {"type": ["string", "null"]}, "previous": {"type": "null"},
              "results": {"type": "array", "items": {"$ref": "#/components/schemas/Sound"}}
            }
          }
        }
      },
      "security": [{"token": []}, {"session": []}],
      "paths": {
        "/health": {"get": {"security": [], "summary": "Whether loopweb answers.", "responses": {"200": {"description": "{\"status\": \"ok\"}"}}}},
        "/openapi.json": {"get": {"security": [], "summary": "This document.", "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        "/sounds": {"get": {
          "summary": "Search with the query language.",
          "parameters": [
            {"name": "q", "in": "query", "schema": {"type": "string"}},
            {"name": "sort", "in": "query", "schema": {"type": "string"}, "description": "score, or name, bpm, key, duration, loudness, created, random with _asc or _desc"},
            {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 150, "default": 15}},
            {"name": "cursor", "in": "query", "schema": {"type": "string"}},
            {"name": "facets", "in": "query", "schema": {"type": "boolean"}, "description": "true: the first page carries facets (counts per key, BPM band, type, format, tag, folder, and total) and count"},
            {"name": "half_double", "in": "query", "schema": {"type": "boolean"}, "description": "bpm: ranges also match half and double time"},
            {"name": "compatible_keys", "in": "query", "schema": {"type": "boolean"}, "description": "key: also matches Camelot neighbours"},
            {"name": "everywhere", "in": "query", "schema": {"type": "boolean"}, "description": "search the shared catalogue: every server's files any of its users may read, each with host and available (tag:, fav:, in: and take fields are not searched there)"}
          ],
          "responses": {"200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}, "400": {"description": "A bad query"}, "401": {"description": "No or a wrong token"}}
        }},
        "/sounds/{id}": {
          "get": {
            "summary": "One sound.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The sound", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Sound"}}}}, "404": {"description": "No such sound"}}
          },
          "delete": {
            "summary": "Move the file into its root's trash folder (writers); never unlinked at once.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "{\"trash\": [item]}"}, "403": {"description": "Not a writer"}, "404": {"description": "No such sound"}}
          }
        },
        "/sounds/{id}/download": {
          "get": {
            "summary": "The original bytes: strong ETag (SHA-256), Range (206, 416), If-None-Match (304), If-Range.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The file"}, "206": {"description": "A range"}, "304": {"description": "Unchanged"}, "416": {"description": "The range is outside the file"}}
          },
          "head": {
            "summary": "The download's headers.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "Headers only"}}
          }
        },
        "/sounds/{id}/download/link": {"post": {
          "summary": "A download link that needs no login until it expires.",
          "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "expires_in", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 86400, "default": 3600}}
          ],
          "responses": {"201": {"description": "{\"url\", \"expires\"}"}}
        }},
        "/hosts/{host}/sounds/{id}/download": {
          "get": {
            "summary": "A sound another server of the shared catalogue holds, streamed through this one (as everywhere=true links it): its ETag checked against the catalogued SHA-256, a whole file hashed on the way.",
            "parameters": [{"name": "host", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "The file"}, "206": {"description": "A range"}, "404": {"description": "Not in the catalogue, or no catalogue"}, "502": {"description": "The host sent other bytes than the catalogue lists"}, "503": {"description": "The host is not heard from"}}
          },
          "head": {
            "summary": "The download's headers.",
            "parameters": [{"name": "host", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
            "responses": {"200": {"description": "Headers only"}}
          }
        },
        "/peer/sounds/{token}": {
          "get": {"security": [], "summary": "A file for another server of the catalogue, by a request signed with this host's peer key (a minute's life); public files only.", "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The file"}, "404": {"description": "Not a valid request, or not a public file"}, "410": {"description": "Expired"}}},
          "head": {"security": [], "summary": "The file's headers.", "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Headers only"}}}
        },
        "/links/{token}": {
          "get": {"security": [], "summary": "A signed download (as /sounds/{id}/download).", "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The file"}, "404": {"description": "Not a link of this server"}, "410": {"description": "Expired"}}},
          "head": {"security": [], "summary": "The signed download's headers.", "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Headers only"}}}
        },
        "/uploads": {"put": {
          "summary": "Add a file (writers): the body is the file.",
          "parameters": [
            {"name": "name", "in": "query", "required": true, "schema": {"type": "string"}},
            {"name": "folder", "in": "query", "schema": {"type": "string"}},
            {"name": "root", "in": "query", "schema": {"type": "string"}},
            {"name": "artist", "in": "query", "schema": {"type": "string"}}, {"name": "song", "in": "query", "schema": {"type": "string"}},
            {"name": "track", "in": "query", "schema": {"type": "string"}}, {"name": "version", "in": "query", "schema": {"type": "string"}},
            {"name": "X-Content-SHA256", "in": "header", "schema": {"type": "string"}}
          ],
          "requestBody": {"content": {"application/octet-stream": {}}},
          "responses": {"201": {"description": "The sound, with Location"}, "400": {"description": "A bad place or hash"}, "403": {"description": "Not a writer"}, "409": {"description": "A file is already there"}, "413": {"description": "Too large"}}
        },
        "post": {
          "summary": "Add files from a form (writers): multipart/form-data with the fields folder, root, artist, song, track, version first, then file parts (a filename may carry a relative folder). Each file is placed on its own.",
          "requestBody": {"content": {"multipart/form-data": {}}},
          "responses": {"201": {"description": "{\"count\", \"results\": [sound], \"refused\": [{\"name\", \"detail\"}]}"}, "400": {"description": "A malformed body"}, "403": {"description": "Not a writer"}, "409": {"description": "Every file is already there"}, "413": {"description": "A file too large"}, "415": {"description": "Not multipart/form-data"}}
        }},
        "/uploads/sessions": {"post": {
          "summary": "Start a resumable upload (writers): {\"name\", \"size\", \"sha256\", and \"folder\" (with \"root\") or take fields}. Kept a day.",
          "requestBody": {"content": {"application/json": {}}},
          "responses": {"201": {"description": "{\"id\", \"url\", \"offset\", \"size\", \"expires\"}, with Location and Upload-Offset"}, "400": {"description": "A bad name, place or hash"}, "403": {"description": "Not a writer"}, "409": {"description": "A file is already there"}, "413": {"description": "Too large"}, "429": {"description": "Too many unfinished uploads"}}
        }},
        "/uploads/sessions/{id}": {
          "get": {"summary": "How much of the upload arrived.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "{\"id\", \"offset\", \"size\", \"expires\"} and Upload-Offset"}, "404": {"description": "No such upload of yours"}}},
          "head": {"summary": "How much of the upload arrived, in Upload-Offset.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "Upload-Offset"}, "404": {"description": "No such upload of yours"}}},
          "patch": {
            "summary": "Append bytes from Upload-Offset (which must be what arrived so far). The last piece checks the whole file's SHA-256 and puts it in the library (201 with the sound); a body cut short keeps what arrived.",
            "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "Upload-Offset", "in": "header", "required": true, "schema": {"type": "integer"}}],
            "requestBody": {"content": {"application/octet-stream": {}}},
            "responses": {"200": {"description": "Not whole yet: {\"offset\", \"size\"}"}, "201": {"description": "The sound"}, "400": {"description": "Not the announced SHA-256 (nothing kept)"}, "404": {"description": "No such upload of yours"}, "409": {"description": "Wrong offset (Upload-Offset says the right one), or another request is writing it"}, "413": {"description": "More than announced"}}
          },
          "delete": {"summary": "Give up an upload.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"204": {"description": "Gone"}, "404": {"description": "No such upload of yours"}}}
        },
        "/session": {
          "post": {
            "security": [], "summary": "Log in with {\"name\", \"password\"} as JSON: sets the session cookie; the body gives the account and the CSRF token.",
            "requestBody": {"content": {"application/json": {}}},
            "responses": {"200": {"description": "{\"account\", \"csrf\", \"expires\", \"catalogue\"}: catalogue is this server's host name in the shared catalogue, null without one"}, "401": {"description": "Wrong name or password"}, "415": {"description": "Not JSON"}, "429": {"description": "Too many failed logins, with Retry-After"}}
          },
          "get": {"summary": "Who is logged in, and the CSRF token.", "responses": {"200": {"description": "{\"account\", \"csrf\", \"catalogue\"}"}}},
          "delete": {"summary": "Log out (the cookie's session ends).", "responses": {"204": {"description": "Logged out"}, "400": {"description": "Not a cookie login"}}}
        },
        "/invitations/{token}": {"post": {
          "security": [], "summary": "Accept an invitation with {\"password\"}: makes the account and logs it in.",
          "parameters": [{"name": "token", "in": "path", "required": true, "schema": {"type": "string"}}],
          "requestBody": {"content": {"application/json": {}}},
          "responses": {"201": {"description": "As POST /session"}, "400": {"description": "A password that is too short or long"}, "404": {"description": "No such invitation"}}
        }},
        "/sounds/{id}/preview": {
          "get": {"summary": "What a browser plays at once: the original WAV, FLAC, Ogg or MP3; anything else decoded to a 16-bit WAV while sent. Range, ETag and If-None-Match as downloads. With bpm and/or key: a loop rendered at that tempo (pitch kept) and in that key, as a WAV (X-Tempo-Ratio, X-Transpose-Semitones).", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}, {"name": "bpm", "in": "query", "schema": {"type": "number", "minimum": 20, "maximum": 400}}, {"name": "key", "in": "query", "schema": {"type": "string"}, "description": "Am, F#, 8A..."}, {"name": "download", "in": "query", "schema": {"type": "integer", "enum": [1]}}], "responses": {"200": {"description": "Audio"}, "206": {"description": "A range"}, "422": {"description": "Cannot be previewed"}}},
          "head": {"summary": "The preview's headers.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "Headers only"}}}
        },
        "/sounds/{id}/peaks": {"get": {
          "summary": "Min and max per pixel and channel, as audiowaveform writes them.",
          "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "samples_per_pixel", "in": "query", "schema": {"type": "integer", "default": 256}, "description": "256 times a power of two"},
            {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "dat"], "default": "json"}}
          ],
          "responses": {"200": {"description": "audiowaveform JSON (version 2) or .dat"}, "400": {"description": "A bad resolution or format"}}
        }},
        "/sounds/{id}/similar": {"get": {
          "summary": "The nearest sounds by the similarity vector, each with its distance.",
          "parameters": [
            {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}},
            {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 150, "default": 15}},
            {"name": "where", "in": "query", "schema": {"type": "string"}, "description": "A query the results must match too"}
          ],
          "responses": {"200": {"description": "{\"count\", \"results\"}"}}
        }},
        "/upload": {"post": {"summary": "AudioServer-style upload: as POST /uploads (multipart/form-data).", "requestBody": {"content": {"multipart/form-data": {}}}, "responses": {"201": {"description": "{\"count\", \"results\", \"refused\"}"}, "403": {"description": "Not a writer"}}}},
        "/download": {"get": {"summary": "AudioServer-style download of the one sound with this file name (no folder).", "parameters": [{"name": "name", "in": "query", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The bytes"}, "400": {"description": "No name, or a path"}, "404": {"description": "No such name"}, "409": {"description": "Several sounds have this name (their ids are given)"}}}},
        "/info": {"get": {"summary": "AudioServer-style: the one sound with this file name.", "parameters": [{"name": "name", "in": "query", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "The sound"}, "404": {"description": "No such name"}, "409": {"description": "Several sounds have this name"}}}},
        "/list": {"get": {"summary": "AudioServer-style list, shortest first.", "parameters": [{"name": "maxduration", "in": "query", "schema": {"type": "number"}}, {"name": "page_size", "in": "query", "schema": {"type": "integer"}}], "responses": {"200": {"description": "{count, next, previous, results}"}}}},
        "/delete": {"delete": {"summary": "AudioServer-style delete (writers): the one sound with this file name, into the trash.", "parameters": [{"name": "name", "in": "query", "required": true, "schema": {"type": "string"}}], "responses": {"200": {"description": "{\"trash\": [item]}"}, "403": {"description": "Not a writer"}, "404": {"description": "No such name"}, "409": {"description": "Several sounds have this name"}}}},
        "/events": {"get": {
          "summary": "The library's changes as Server-Sent Events (added, changed, moved, removed; resync when changes were missed), for the files this account may read. Each event's id is a sequence number: send the last one seen as Last-Event-ID (or ?after=) to resume.",
          "parameters": [{"name": "Last-Event-ID", "in": "header", "schema": {"type": "integer"}}, {"name": "after", "in": "query", "schema": {"type": "integer"}}],
          "responses": {"200": {"description": "text/event-stream; data: {\"sequence\", \"kind\", \"id\", \"url\"}", "content": {"text/event-stream": {}}}, "400": {"description": "Not a sequence number"}, "429": {"description": "Too many streams for this account"}}
        }},
        "/accounts": {"get": {"summary": "Every account with its role (admins).", "responses": {"200": {"description": "{\"count\", \"results\": [{\"name\", \"role\", \"unix_user\"}]}"}, "403": {"description": "Not an admin"}}}},
        "/accounts/{name}": {
          "patch": {"summary": "Give an account another role (admins, not their own): {\"role\": \"reader|writer|admin\"}; in force from its next request.", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"content": {"application/json": {}}}, "responses": {"200": {"description": "{\"name\", \"role\", \"unix_user\"}"}, "403": {"description": "Not an admin, or the admin's own account"}, "404": {"description": "No such account"}}},
          "delete": {"summary": "Remove an account (admins, not their own): its tokens and sessions end; without a Unix user of its own, its favourites and private collections go too (shared collections stay).", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"204": {"description": "Removed"}, "403": {"description": "Not an admin, or the admin's own account"}, "404": {"description": "No such account"}}}
        },
        "/accounts/invitations": {"post": {"summary": "An invitation link for a new account (admins): {\"name\", \"role\"}; the link opens the web app, which asks for a password.", "requestBody": {"content": {"application/json": {}}}, "responses": {"201": {"description": "{\"name\", \"url\", \"expires\"}"}, "403": {"description": "Not an admin"}, "409": {"description": "The name is taken"}}}},
        "/tokens": {"post": {"summary": "An API token for the account asking, shown once: {\"label\"}.", "requestBody": {"content": {"application/json": {}}}, "responses": {"201": {"description": "{\"account\", \"token\"}"}}}},
        "/rpc": {"post": {
          "summary": "One JSON-RPC 2.0 call of loopd's protocol (what loopctl --server sends), made for this account: find, similar, get, tag, favourite, collections, collection.create|delete|add|remove|move|share|show. Files by id or query only; records carry paths inside the library. Errors are JSON-RPC errors with loopd's codes.",
          "requestBody": {"content": {"application/json": {}}},
          "responses": {"200": {"description": "{\"jsonrpc\": \"2.0\", \"id\", \"result\"} or {..., \"error\": {\"code\", \"message\"}}"}, "401": {"description": "Not logged in"}, "413": {"description": "Over 256 KiB"}, "415": {"description": "Not JSON"}}
        }},
        "/trash": {"get": {"summary": "What is in the trash (writers).", "responses": {"200": {"description": "{\"count\", \"results\": [{\"id\", \"name\", \"folder\", \"size\", \"hash\", \"deleted\", \"deleted_by\"}]}"}, "403": {"description": "Not a writer"}}}},
        "/trash/{id}/restore": {"post": {
          "summary": "Put a deleted file back where it was (writers).",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
          "responses": {"200": {"description": "The sound"}, "404": {"description": "Not in the trash"}, "409": {"description": "A file is there again"}}
        }},
        "/sounds/{id}/favourite": {
          "put": {"summary": "Mark a favourite.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"id\", \"favourite\": true}"}}},
          "delete": {"summary": "Unmark a favourite.", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"id\", \"favourite\": false}"}}}
        },
        "/sounds/{id}/tags": {"post": {
          "summary": "Add and remove tags (writers): {\"add\": [], \"remove\": []}.",
          "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
          "requestBody": {"content": {"application/json": {}}},
          "responses": {"200": {"description": "{\"id\", \"tags\"}"}, "403": {"description": "Not a writer"}}
        }},
        "/favourites": {"get": {"summary": "Your favourites, newest first; with everywhere=true, those kept in the shared catalogue over every server's sounds (each with host and available).", "parameters": [{"name": "everywhere", "in": "query", "schema": {"type": "boolean"}}], "responses": {"200": {"description": "A page", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Page"}}}}, "404": {"description": "everywhere=true without a catalogue"}, "503": {"description": "The catalogue cannot be reached"}}}},
        "/hosts/{host}/sounds/{id}/favourite": {
          "put": {"summary": "Mark a sound of any server of the shared catalogue as your favourite, seen through every server (accounts are matched by name).", "parameters": [{"name": "host", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"host\", \"id\", \"favourite\"}"}, "404": {"description": "Not in the catalogue, or no catalogue"}}},
          "delete": {"summary": "Unmark it.", "parameters": [{"name": "host", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"host\", \"id\", \"favourite\"}"}}}
        },
        "/collections/{name}/hosts/{host}/sounds/{id}": {
          "put": {"summary": "Put a sound of any server in one of your collections kept in the shared catalogue (made with everywhere=true).", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "host", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"changed\"}"}, "404": {"description": "No such collection of yours, or no such sound"}}},
          "delete": {"summary": "Take it out.", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "host", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"changed\"}"}}}
        },
        "/collections": {
          "get": {"summary": "Your collections and the shared ones; with everywhere=true, those kept in the shared catalogue.", "parameters": [{"name": "everywhere", "in": "query", "schema": {"type": "boolean"}}], "responses": {"200": {"description": "{\"count\", \"results\": [{\"name\", \"owner\", \"shared\", \"items\", \"created\"}]}"}}},
          "post": {"summary": "Make a collection (a cart is one): {\"name\", \"shared\"?}; with everywhere=true, in the shared catalogue (made again, it changes whether it is shared).", "parameters": [{"name": "everywhere", "in": "query", "schema": {"type": "boolean"}}], "requestBody": {"content": {"application/json": {}}}, "responses": {"201": {"description": "The collection"}, "409": {"description": "You have one of that name"}}}
        },
        "/collections/{name}": {
          "get": {"summary": "A collection and its sounds; with everywhere=true, the catalogue's (owner= for one shared with you).", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "everywhere", "in": "query", "schema": {"type": "boolean"}}, {"name": "owner", "in": "query", "schema": {"type": "string"}}], "responses": {"200": {"description": "{\"collection\", \"results\"}"}, "404": {"description": "No such collection"}}},
          "patch": {"summary": "Share a collection with everyone, or make a shared one private to its owner again: {\"shared\": bool} (writers).", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}], "requestBody": {"content": {"application/json": {}}}, "responses": {"200": {"description": "{\"name\", \"owner\", \"shared\", \"items\", \"created\"}"}, "403": {"description": "Not a writer"}, "404": {"description": "No such collection"}}},
          "delete": {"summary": "Delete a collection (not its sounds).", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": {"204": {"description": "Deleted"}, "404": {"description": "No such collection"}}}
        },
        "/collections/{name}/sounds/{id}": {
          "put": {"summary": "Put a sound in a collection.", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"changed\"}"}}},
          "delete": {"summary": "Take a sound out of a collection.", "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}], "responses": {"200": {"description": "{\"changed\"}"}}}
        },
        "/collections/{name}/sounds": {"post": {
          "summary": "Put several sounds in a collection at once: {\"sounds\": [id]} (1 to 1,000), at its end in that order.",
          "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
          "requestBody": {"content": {"application/json": {}}},
          "responses": {"200": {"description": "{\"files\", \"changed\"}: changed counts those not in it before"}, "400": {"description": "No sounds, or too many"}, "404": {"description": "No such collection, or no such sound"}}
        }},
        "/collections/{name}/move": {"post": {
          "summary": "Reorder a collection: {\"sounds\": [id], \"before\": id} puts the sounds, in that order, before another of its sounds; {\"sounds\", \"to_start\": true} at its start; without either, at its end. With everywhere=true, one of the account's collections in the shared catalogue, its sounds named {\"host\", \"id\"}.",
          "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}, {"name": "everywhere", "in": "query", "schema": {"type": "boolean"}}],
          "requestBody": {"content": {"application/json": {}}},
          "responses": {"200": {"description": "{\"changed\"}: how many sounds changed place"}, "400": {"description": "before is not in the collection, or is being moved"}, "404": {"description": "No such collection"}}
        }},
        "/collections/{name}/zip": {"get": {
          "summary": "The collection's sounds as one ZIP (stored, ZIP64 when needed), streamed as it is written.",
          "parameters": [{"name": "name", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "application/zip"}, "404": {"description": "No such collection"}}
        }},
        "/uploads/{sha256}": {"get": {
          "summary": "Whether the library already has these bytes.",
          "parameters": [{"name": "sha256", "in": "path", "required": true, "schema": {"type": "string"}}],
          "responses": {"200": {"description": "The sound that has them"}, "404": {"description": "Not in the library"}}
        }}
      }
    }
    """#
}
