import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
@testable import LoopWeb
import Testing

/// The router in process (HummingbirdTesting), for what needs no loopd: the open routes, the
/// refusals before loopd is asked, and the headers every reply carries. Everything that reaches
/// loopd is tested end to end with real processes (EndToEndTests' WebTests).
@Suite struct RouterTests {
    /// loopd is never reached here: its socket does not exist.
    let settings = WebSettings(
        loopd: LoopdGateway(socketPath: "/nonexistent/loopd.sock"), links: PublicLinks(publicURL: "https://samples.example.org/s"),
        secret: Data(repeating: 1, count: 32), maxUploadBytes: 1000
    )

    func withApp(_ test: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: WebApplication.router(settings))
        try await app.test(.router, test)
    }

    @Test func healthAndTheAPIDescriptionNeedNoLogin() async throws {
        try await withApp { client in
            try await client.execute(uri: "/api/v1/health", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body) == #"{"status":"ok"}"#)
                #expect(response.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
            }
            try await client.execute(uri: "/api/v1/openapi.json", method: .get) { response in
                let document = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                #expect(response.status == .ok && (document?["paths"] as? [String: Any])?.count ?? 0 > 20)
            }
        }
    }

    @Test func everythingElseIsRefusedBeforeLoopdIsAsked() async throws {
        try await withApp { client in
            for (uri, method) in [("/api/v1/sounds", HTTPRequest.Method.get), ("/api/v1/uploads", .put), ("/api/v1/events", .get), ("/api/v1/trash", .get)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status == .unauthorized, "\(method) \(uri)")
                    #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
                    let detail = (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])?["detail"] as? String
                    #expect(detail?.isEmpty == false, "errors are {\"detail\": ...}")
                }
            }
            try await client.execute(uri: "/api/v1/sounds", method: .get, headers: [.authorization: "Basic abc"]) { response in
                #expect(response.status == .unauthorized)
            }
            // A login is JSON only: a form posted from another site cannot log anyone in.
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"], body: ByteBuffer(string: "name=a&password=b")) { response in
                #expect(response.status == .unsupportedMediaType)
            }
        }
    }

    @Test func aSignedLinkThatWasChangedIsRefusedWithoutLoopd() async throws {
        try await withApp { client in
            let token = SignedLinks(key: settings.secret).token(id: 7, expires: Int64(Date().timeIntervalSince1970) + 60)
            var changed = Array(token)
            changed[changed.count - 1] = changed.last == "A" ? "B" : "A"
            try await client.execute(uri: "/api/v1/links/" + String(changed), method: .get) { response in
                #expect(response.status == .notFound)
            }
        }
    }
}
