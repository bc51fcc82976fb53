import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOPosix
import LoopAPI
import LoopCore

/// What a page needs to audition a sound: a preview the browser plays at once, its peaks for the
/// waveform, and the sounds like it.
struct AuditionRoutes: Sendable {
    let sounds: SoundRoutes

    func add(to group: RouterGroup<WebContext>) {
        group.get("sounds/:id/preview") { request, context in try await preview(request, context, sendBody: true) }
        group.head("sounds/:id/preview") { request, context in try await preview(request, context, sendBody: false) }
        group.get("sounds/:id/peaks") { request, context in try await peaks(request, context) }
        group.get("sounds/:id/similar") { request, context in try await similar(request, context) }
    }

    /// Formats every browser plays as they are.
    static let playable: Set<AudioFormat> = [.wav, .flac, .ogg, .mp3]

    /// `GET|HEAD /sounds/{id}/preview`: the original for WAV, FLAC, Ogg and MP3; anything else
    /// decoded to a 16-bit WAV while it is sent, with ranges, so a player can seek in it.
    func preview(_ request: Request, _ context: WebContext, sendBody: Bool) async throws -> Response {
        let record = try await sounds.record(context)
        guard let file = OpenedFile(path: record.path) else { throw APIError(.notFound, "No such sound: \(record.id) cannot be read now.") }
        let tag = SoundRoutes.entityTag(record, file)
        if let target = try Self.projectTarget(request) {
            return try await rendered(record, tag: tag, at: target, request, sendBody: sendBody)
        }
        if let format = record.format, Self.playable.contains(format) {
            let headers: HTTPFields = [.contentType: SoundRoutes.mediaType(format), .cacheControl: "private, max-age=3600"]
            return try RangedReply.make(request, size: file.size, tag: tag, headers: headers, sendBody: sendBody, body: { file.body($0, pacedBy: context.eventLoop) })
        }
        // Decoded only once loopd's worker read the file without failing: a file that crashes or
        // confuses the decoder stays out of loopweb.
        guard record.error == nil, record.duration != nil else {
            throw APIError(.unprocessableContent, "This sound cannot be previewed: \(record.error ?? "it has not been analysed yet").")
        }
        guard let decoded = DecodedPreview(path: record.path) else {
            throw APIError(.unprocessableContent, "This sound cannot be previewed: it could not be decoded, or would be over 4 GiB as WAV.")
        }
        let headers: HTTPFields = [.contentType: "audio/wav", .cacheControl: "private, max-age=3600"]
        // The decoded bytes follow from the original's: its tag, marked as the WAV of it.
        let previewTag = tag.map { String($0.dropLast()) + "-pcm16\"" }
        return try RangedReply.make(request, size: decoded.size, tag: previewTag, headers: headers, sendBody: sendBody, body: { decoded.body($0, pacedBy: context.eventLoop) })
    }

    /// `GET /sounds/{id}/peaks?samples_per_pixel=256&format=json|dat`: min and max per pixel and
    /// channel, as audiowaveform writes them (JSON, or its binary .dat).
    func peaks(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try SoundRoutes.id(context)
        let parameters = request.uri.queryParameters
        var samplesPerPixel: Int?
        if let text = parameters.get("samples_per_pixel") {
            guard let value = Int(text), value >= 256, value <= 1 << 24, value.nonzeroBitCount == 1 else {
                throw APIError(.badRequest, "samples_per_pixel must be 256 times a power of two (256, 512, 1024, ...).")
            }
            samplesPerPixel = value
        }
        let format = parameters.get("format") ?? "json"
        guard format == "json" || format == "dat" else { throw APIError(.badRequest, "format must be json or dat.") }
        let reply = try await sounds.loopd.call(LoopMethod.peaks, PeaksParams(file: FileReference(id: id), samplesPerPixel: samplesPerPixel), for: context.account)
        guard let peaks = reply.peaks else { throw APIError(.badGateway, "loopd sent peaks loopweb could not read.") }
        if format == "dat" {
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: ByteBuffer(bytes: peaks.datFile)))
        }
        return SoundJSON.response(peaks.audiowaveformJSON)
    }

    /// `GET /sounds/{id}/similar?page_size=&where=`: the nearest sounds by the similarity vector,
    /// each with its distance.
    func similar(_ request: Request, _ context: WebContext) async throws -> Response {
        let id = try SoundRoutes.id(context)
        let parameters = request.uri.queryParameters
        var limit = SoundRoutes.defaultPageSize
        if let text = parameters.get("page_size") {
            guard let value = Int(text), (1...SoundRoutes.maxPageSize).contains(value) else {
                throw APIError(.badRequest, "page_size must be a number from 1 to \(SoundRoutes.maxPageSize).")
            }
            limit = value
        }
        let filter = parameters.get("where")
        guard (filter?.utf8.count ?? 0) <= SoundRoutes.maxQueryLength else { throw APIError(.badRequest, "The filter is too long.") }
        let matches = try await sounds.loopd.call(LoopMethod.similar, SimilarRequest(id: id, where: filter, limit: limit), for: context.account)
        return SoundJSON.page(matches.map(\.record), count: matches.count, next: nil, base: sounds.links.base(of: request)) { index in
            ",\"distance\":" + JSONLiteral.number(matches[index].distance)
        }
    }

    /// `?bpm=124&key=Am` (either or both): the project's tempo and key; nil when neither is asked.
    static func projectTarget(_ request: Request) throws -> ProjectTarget? {
        let parameters = request.uri.queryParameters
        var target = ProjectTarget()
        if let text = parameters.get("bpm") {
            guard let bpm = Double(text), (20...400).contains(bpm) else { throw APIError(.badRequest, "bpm must be a tempo from 20 to 400.") }
            target.bpm = bpm
        }
        if let text = parameters.get("key") {
            guard let key = MusicalKey(nameOrCamelot: text) else { throw APIError(.badRequest, "'\(text)' is not a key; write e.g. Am, F# or 8A.") }
            target.key = key
        }
        return target.bpm == nil && target.key == nil ? nil : target
    }

    /// The sound at the project's tempo (its pitch kept) and in its key, rendered whole as a WAV
    /// (with ranges); `?download=1` names it for saving. A one-shot keeps its length; a sound
    /// without a tempo or key keeps that as it is.
    func rendered(_ record: SampleRecord, tag: String?, at target: ProjectTarget, _ request: Request, sendBody: Bool) async throws -> Response {
        guard record.error == nil, record.duration != nil else {
            throw APIError(.unprocessableContent, "This sound cannot be rendered: \(record.error ?? "it has not been analysed yet").")
        }
        let ratio = record.type == .loop ? target.tempoRatio(from: record.bpm) : 1
        let semitones = target.semitones(from: record.key.flatMap(MusicalKey.init(nameOrCamelot:)))
        let path = record.path
        let bytes: [UInt8]
        do {
            bytes = try await NIOThreadPool.singleton.runIfActive { try ProjectRendering.render(path: path, tempoRatio: ratio, semitones: semitones) }
        } catch let failure as ProjectRendering.Failure {
            throw APIError(.unprocessableContent, "This sound cannot be rendered: \(failure.description).")
        }
        var headers: HTTPFields = [.contentType: "audio/wav", .cacheControl: "private, max-age=3600"]
        headers[HTTPField.Name("X-Tempo-Ratio")!] = String(format: "%.6f", ratio)
        headers[HTTPField.Name("X-Transpose-Semitones")!] = String(semitones)
        if request.uri.queryParameters.get("download") == "1" {
            let (name, _) = SoundJSON.nameAndFolder(record.path, in: record.root)
            let stem = (name as NSString).deletingPathExtension
            let suffix = [target.bpm.map { "\(Int($0.rounded())) BPM" }, target.key?.name].compactMap { $0 }.joined(separator: " ")
            headers[.contentDisposition] = SoundRoutes.disposition(name: "\(stem) (\(suffix)).wav")
        }
        let renderedTag = tag.map { String($0.dropLast()) + String(format: "-x%.6f-t%d\"", ratio, semitones) }
        let buffer = ByteBuffer(bytes: bytes)
        return try RangedReply.make(request, size: Int64(bytes.count), tag: renderedTag, headers: headers, sendBody: sendBody) { range in
            ResponseBody(byteBuffer: buffer.getSlice(at: Int(range.lowerBound), length: Int(range.count)) ?? ByteBuffer())
        }
    }
}
