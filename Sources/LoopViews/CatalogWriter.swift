#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LoopCore
import LoopIndex

/// `catalog.html`, one self-contained page (no network, no server) listing
/// the library with search, filters, waveforms and a play button, and
/// `catalog.csv` for spreadsheets. Both go in the views folder and link to
/// the files relatively, so they work from the mounted share on any computer.
public enum CatalogWriter {
    /// Writes both files atomically (temporary name, then rename); returns the failure as a sentence.
    public static func write(_ files: [ViewSource.File], root: String, into folder: String) -> String? {
        // By path, case-insensitively (a plain comparison: locale-aware sorting costs seconds at 100,000 files).
        let sorted = files.map { (key: $0.path.lowercased(), file: $0) }.sorted { $0.key < $1.key }.map(\.file)
        let relativePrefix = relativePrefix(from: folder, to: root)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try atomicWrite(html(sorted, root: root, linkPrefix: relativePrefix), to: folder + "/catalog.html")
            try atomicWrite(csv(sorted, root: root), to: folder + "/catalog.csv")
            return nil
        } catch {
            return "Cannot write the catalogue in \(folder): \(error.localizedDescription)."
        }
    }

    /// "../" per folder between the views folder and the root.
    static func relativePrefix(from folder: String, to root: String) -> String {
        let depth = RelativePath.of(folder, in: root).split(separator: "/").count
        return String(repeating: "../", count: depth)
    }

    static func csv(_ files: [ViewSource.File], root: String) -> String {
        func field(_ text: String) -> String {
            text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var lines = ["id,path,type,bpm,key,duration_seconds,format,bytes,instruments,tags"]
        for file in files {
            lines.append([
                String(file.id), field(RelativePath.of(file.path, in: root)), file.type?.rawValue ?? "",
                file.bpm.map { $0 == $0.rounded() ? String(Int($0)) : String(format: "%.2f", $0) } ?? "", file.key ?? "",
                file.duration.map { String(format: "%.3f", $0) } ?? "", file.format?.rawValue ?? "", String(file.size),
                field(file.instruments.joined(separator: " ")), field(file.tags.joined(separator: " ")),
            ].joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static func html(_ files: [ViewSource.File], root: String, linkPrefix: String) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var data = "["
        data.reserveCapacity(files.count * 200)
        let prefixLength = root == "/" ? 1 : root.utf8.count + 1
        for (index, file) in files.enumerated() {
            if index > 0 { data += ",\n" }
            let relative = file.path.utf8.count > prefixLength ? String(decoding: file.path.utf8.dropFirst(prefixLength), as: UTF8.self) : file.path
            var wave = [UInt8]()
            wave.reserveCapacity(file.overview.count * 2)
            for value in file.overview {
                wave.append(hexDigits[Int(value >> 4)])
                wave.append(hexDigits[Int(value & 15)])
            }
            data += "[" + JSONLiteral.string(relative)
            data += "," + JSONLiteral.string(file.type?.rawValue) + "," + JSONLiteral.number(file.bpm) + "," + JSONLiteral.string(file.key)
            data += "," + JSONLiteral.number(file.duration.map { ($0 * 100).rounded() / 100 }) + "," + JSONLiteral.string((file.instruments + file.tags).joined(separator: " "))
            data += ",\"" + String(decoding: wave, as: UTF8.self) + "\"]"
        }
        data += "]"
        data = scriptSafe(data)
        return template
            .replacingOccurrences(of: "@LINK_PREFIX@", with: scriptSafe(JSONLiteral.string(linkPrefix)))
            .replacingOccurrences(of: "@COUNT@", with: String(files.count))
            .replacingOccurrences(of: "@DATA@", with: data)
    }

    /// JSON made safe inside a `<script>` element: a name is data any share user
    /// chooses, and `</script>` or `<!--` in it would change the page's markup. These
    /// characters can only stand inside JSON strings, where `\\uXXXX` means the same.
    /// U+2028 and U+2029 are escaped too, for older parsers that end lines there.
    static func scriptSafe(_ json: String) -> String {
        let bytes = Array(json.utf8)
        var safe = [UInt8]()
        safe.reserveCapacity(bytes.count + bytes.count / 16)
        var index = 0
        // Bytes, not scalars: a catalogue of 100,000 files is tens of megabytes.
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "<"): safe += Array(#"\u003c"#.utf8)
            case UInt8(ascii: ">"): safe += Array(#"\u003e"#.utf8)
            case UInt8(ascii: "&"): safe += Array(#"\u0026"#.utf8)
            case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                safe += Array((bytes[index + 2] == 0xA8 ? #"\u2028"# : #"\u2029"#).utf8)
                index += 2
            default: safe.append(byte)
            }
            index += 1
        }
        return String(decoding: safe, as: UTF8.self)
    }

    private static func atomicWrite(_ text: String, to path: String) throws {
        let temporary = (path as NSString).deletingLastPathComponent + "/.\((path as NSString).lastPathComponent).\(getpid()).tmp"
        try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: reason])
        }
    }

    static let template = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Sample library</title>
        <style>
        body{font:14px system-ui,sans-serif;margin:0;background:#f6f6f4;color:#222}
        header{position:sticky;top:0;background:#222;color:#eee;padding:10px 14px;display:flex;gap:10px;flex-wrap:wrap;align-items:center}
        header input,header select{font:inherit;padding:4px 6px;border-radius:4px;border:0}
        #q{flex:1;min-width:200px}
        .bpm{width:5em}
        table{border-collapse:collapse;width:100%}
        td,th{padding:4px 8px;text-align:left;border-bottom:1px solid #ddd;white-space:nowrap}
        td.name{white-space:normal}
        th{background:#eee;position:sticky;top:52px}
        button{cursor:pointer;border:0;background:#3a7;color:#fff;border-radius:50%;width:26px;height:26px}
        svg{display:block}
        #status{padding:6px 14px;color:#555}
        </style></head><body>
        <header><strong>Samples</strong>
        <input id="q" type="search" placeholder="Search names, folders, tags" autofocus>
        BPM <input id="bpmMin" class="bpm" type="number" placeholder="min"> – <input id="bpmMax" class="bpm" type="number" placeholder="max">
        <select id="key"><option value="">Any key</option></select>
        <select id="type"><option value="">Any type</option><option value="loop">Loops</option><option value="one-shot">One-shots</option></select>
        </header>
        <div id="status"></div>
        <table><thead><tr><th></th><th>Name</th><th>Waveform</th><th>Type</th><th>BPM</th><th>Key</th><th>Length</th><th>Tags</th></tr></thead>
        <tbody id="rows"></tbody></table>
        <audio id="player"></audio>
        <script id="data" type="application/json">@DATA@</script>
        <script>
        "use strict";
        // Each row: [path below the root, type, bpm, key, seconds, tags, waveform as hex bytes]. @COUNT@ files.
        const LINK_PREFIX = @LINK_PREFIX@;
        const ROWS = JSON.parse(document.getElementById("data").textContent);
        const SHOWN = 500;
        const $ = id => document.getElementById(id);
        const keys = [...new Set(ROWS.map(r => r[3]).filter(k => k))].sort();
        for (const k of keys) { const o = document.createElement("option"); o.value = o.textContent = k; $("key").appendChild(o); }
        const haystack = ROWS.map(r => (r[0] + " " + r[5]).toLowerCase());
        function href(path) { return LINK_PREFIX + path.split("/").map(encodeURIComponent).join("/"); }
        function wave(hex) {
          const n = hex.length / 2, w = 120, h = 24;
          let d = "";
          for (let i = 0; i < n; i++) { const v = parseInt(hex.substr(i * 2, 2), 16) / 255 * h / 2; const x = (i + 0.5) * w / n; d += `M${x.toFixed(1)} ${(h / 2 - v).toFixed(1)}V${(h / 2 + v).toFixed(1)}`; }
          return `<svg width="${w}" height="${h}"><path d="${d}" stroke="#3a7" stroke-width="${Math.max(1, w / n - 0.5)}"/></svg>`;
        }
        function escapeHTML(s) { return String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\\"": "&quot;", "'": "&#39;"}[c])); }
        function render() {
          const words = $("q").value.toLowerCase().split(/\\s+/).filter(w => w);
          const min = parseFloat($("bpmMin").value), max = parseFloat($("bpmMax").value);
          const key = $("key").value, type = $("type").value;
          const matches = [];
          for (let i = 0; i < ROWS.length; i++) {
            const r = ROWS[i];
            if (type && r[1] !== type) continue;
            if (key && r[3] !== key) continue;
            if (!isNaN(min) && !(r[2] >= min)) continue;
            if (!isNaN(max) && !(r[2] <= max)) continue;
            if (!words.every(w => haystack[i].includes(w))) continue;
            matches.push(r);
          }
          $("rows").innerHTML = matches.slice(0, SHOWN).map(r => {
            const name = r[0].split("/").pop();
            return `<tr class="row"><td><button data-src="${escapeHTML(href(r[0]))}" title="Play">▶</button></td>` +
              `<td class="name"><a href="${escapeHTML(href(r[0]))}">${escapeHTML(name)}</a><br><small>${escapeHTML(r[0])}</small></td>` +
              `<td>${wave(r[6])}</td><td>${escapeHTML(r[1] || "")}</td><td>${r[2] == null ? "" : r[2]}</td><td>${escapeHTML(r[3] || "")}</td>` +
              `<td>${r[4] == null ? "" : r[4].toFixed(2) + " s"}</td><td>${escapeHTML(r[5])}</td></tr>`;
          }).join("");
          $("status").textContent = matches.length > SHOWN ? `${matches.length} of ${ROWS.length} match; the first ${SHOWN} are shown.` : `${matches.length} of ${ROWS.length} match.`;
        }
        $("rows").addEventListener("click", e => {
          const src = e.target.dataset && e.target.dataset.src;
          if (!src) return;
          const player = $("player");
          if (player.getAttribute("src") === src && !player.paused) { player.pause(); return; }
          player.src = src; player.play();
        });
        for (const id of ["q", "bpmMin", "bpmMax", "key", "type"]) $(id).addEventListener("input", render);
        render();
        </script></body></html>
        """
}
