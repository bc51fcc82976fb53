#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real nginx from Debian on 127.0.0.1, in the foreground with its config, temporary files and
/// log in a temporary folder, passing `/PREFIX/` to a backend as a reverse proxy in front of loopweb
/// would (the `X-Forwarded-*` headers set, no buffering, large bodies allowed).
public final class NginxProxy: @unchecked Sendable {
    public let folder = TemporaryDirectory("nginx")
    public let port: Int
    private let process: SpawnedProcess

    public static var unavailableReason: String? {
        FileManager.default.isExecutableFile(atPath: "/usr/sbin/nginx") ? nil : "/usr/sbin/nginx is missing (apt install nginx-light)"
    }

    /// Serves `http://127.0.0.1:PORT/PREFIX/...` from `backend` (`http://127.0.0.1:N`).
    public init(port: Int = SambaServer.freePort(), prefix: String, backend: String, maxBodyBytes: Int = 200 << 20) throws {
        self.port = port
        let base = folder.path
        for name in ["body", "proxy", "fastcgi", "uwsgi", "scgi"] { _ = folder.makeDirectory(name) }
        // As root the workers would become nobody, who cannot use this folder.
        let user = getuid() == 0 ? "user root root;" : ""
        let config = """
            \(user)
            pid \(base)/nginx.pid;
            error_log stderr notice;
            worker_processes 1;
            events { worker_connections 1024; }
            http {
                access_log off;
                client_body_temp_path \(base)/body;
                proxy_temp_path \(base)/proxy;
                fastcgi_temp_path \(base)/fastcgi;
                uwsgi_temp_path \(base)/uwsgi;
                scgi_temp_path \(base)/scgi;
                client_max_body_size \(maxBodyBytes);
                server {
                    listen 127.0.0.1:\(port);
                    location /\(prefix)/ {
                        proxy_pass \(backend)/;
                        proxy_http_version 1.1;
                        proxy_set_header Host $host:$server_port;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header X-Forwarded-Prefix /\(prefix);
                        proxy_buffering off;
                        proxy_request_buffering off;
                        proxy_read_timeout 1h;
                    }
                }
            }
            """
        try config.write(toFile: base + "/nginx.conf", atomically: true, encoding: .utf8)
        process = try SpawnedProcess("/usr/sbin/nginx", ["-p", base, "-c", base + "/nginx.conf", "-g", "daemon off;"], environment: ProcessInfo.processInfo.environment)
        guard process.standardError.wait(timeout: 20, until: { $0.joined().contains("start worker process") }) else {
            throw SambaServer.Failure(description: "nginx did not start: \(process.standardError.all.joined())")
        }
    }

    public var log: String { process.standardError.all.joined() }

    public func stop() {
        process.terminate()
    }

    deinit { stop() }
}
