// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "OpenLoop",
    products: [
        .executable(name: "loopd", targets: ["loopd"]),
        .executable(name: "loopctl", targets: ["loopctl"]),
        .executable(name: "loopbench", targets: ["loopbench"]),
        .executable(name: "loopweb", targets: ["loopweb"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        // Without its swift-configuration support, which loopweb does not use (its flags and
        // config file are LoopConfig's): 47 fewer files for every clean build to compile.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // C libraries from Debian, reached through module maps.
        .systemLibrary(
            name: "CSndFile",
            pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]
        ),
        // zlib's CRC-32 for ZIP archives (several times faster than a byte-wise table).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        // Time-stretching and transposing for auditions at a project's tempo and key (loopweb only).
        .systemLibrary(
            name: "CSoundTouch",
            providers: [.apt(["libsoundtouch-dev"])]
        ),

        // The reference the loudness meter is tested against; loopd does not link it.
        .systemLibrary(
            name: "CEbur128",
            pkgConfig: "libebur128",
            providers: [.apt(["libebur128-dev"])]
        ),

        // Models, paths, queries, limits and read permissions. No I/O beyond stat and the user database.
        .target(name: "LoopCore"),
        // Every JSON-RPC method with its params and result types: what loopd and its clients share.
        .target(name: "LoopAPI", dependencies: ["LoopCore"], exclude: ["PROTOCOL.md"]),
        // loopd's configuration: the TOML file, flags and defaults merged into one checked value.
        .target(
            name: "LoopConfig",
            dependencies: ["LoopCore", .product(name: "TOMLKit", package: "TOMLKit")]
        ),
        // Content hashes, verified copies and ZIP archives: what loopd hashes and loopctl copies.
        .target(
            name: "LoopFiles",
            dependencies: ["LoopCore", "CZlib", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // Decoding and the block-fed analyzers.
        .target(
            name: "LoopAnalysis",
            dependencies: ["LoopCore", "LoopFiles", "CSndFile"]
        ),
        // Writes generated audio with libsndfile, for tests and the benchmark.
        .target(name: "LoopSynth", dependencies: ["CSndFile"]),
        // Temporary folders, event waits and binary lookup shared by the test targets.
        .target(
            name: "LoopTestSupport",
            dependencies: ["LoopCore", "LoopSynth", .product(name: "Crypto", package: "swift-crypto"), .product(name: "_CryptoExtras", package: "swift-crypto")]
        ),
        // SQLite schema, migrations, writes and queries.
        .target(
            name: "LoopIndex",
            dependencies: [
                "LoopCore", "LoopAPI",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The raw statement API, for the scan's bulk read.
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]
        ),
        // The Elasticsearch search endpoint Samba's Spotlight service asks (Finder search on the share).
        .target(
            name: "LoopSpotlight",
            dependencies: [
                "LoopCore", "LoopAPI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The views tree ("smart folders" of links inside a share) and the catalogue page.
        .target(name: "LoopViews", dependencies: ["LoopCore", "LoopAPI", "LoopIndex"]),
        // inotify, tree walking and the coalescing change queue.
        .target(
            name: "LoopWatch",
            dependencies: [
                "LoopCore",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ]
        ),
        // JSON-RPC 2.0 without a server: wire types, the dispatcher, the blocking socket client.
        .target(name: "LoopRPC", dependencies: ["LoopCore", "LoopAPI"]),
        // JSON-RPC over SwiftNIO: loopd's socket server and the async connections loopweb and the
        // publisher hold. Apart, so that what needs no event loop (loopctl, the fuzzers) builds none.
        .target(
            name: "LoopRPCNIO",
            dependencies: [
                "LoopCore", "LoopAPI", "LoopRPC",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        // systemd integration: readiness and watchdog (sd_notify), socket activation, journald logging.
        .target(
            name: "LoopSystemd",
            dependencies: ["LoopCore", "CSystemd", .product(name: "Logging", package: "swift-log")]
        ),
        // The daemon's engine: wires watcher -> queue -> analysis workers -> index writer -> RPC.
        .target(
            name: "LoopDaemon",
            dependencies: [
                "LoopCore", "LoopAPI", "LoopConfig", "LoopAnalysis", "LoopFiles", "LoopIndex", "LoopViews", "LoopWatch", "LoopRPC", "LoopRPCNIO", "LoopSystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                // bcrypt for passwords (its C core only; the rest of the package is loopweb's).
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "loopd",
            dependencies: [
                "LoopDaemon", "LoopConfig", "LoopAnalysis", "LoopSystemd",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "loopctl",
            dependencies: [
                "LoopCore", "LoopAPI", "LoopRPC", "LoopFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The shared catalogue on PostgreSQL: its schema, the host's records published to it, searches in it.
        .target(
            name: "LoopCatalog",
            dependencies: [
                "LoopCore", "LoopAPI", "LoopRPC", "LoopRPCNIO",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The network face: the library over HTTP for accounts with a token, talking to loopd over its socket.
        .target(
            name: "LoopWeb",
            dependencies: [
                "LoopCore", "LoopAPI", "LoopRPC", "LoopRPCNIO", "LoopFiles", "LoopSpotlight", "LoopCatalog",
                // libsndfile, to decode previews of what browsers do not play.
                "LoopAnalysis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                // Fetching another server's file for a download asked of this one.
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // RS256 for a reverse proxy's signed assertion of its user (Cloudflare Access's JWT).
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                "CSoundTouch",
            ],
            // The web app: plain JavaScript modules, CSS and HTML, served as they are.
            resources: [.copy("App")]
        ),
        .executableTarget(
            name: "loopweb",
            dependencies: [
                "LoopWeb", "LoopCore", "LoopRPC", "LoopRPCNIO", "LoopCatalog",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "loopbench",
            dependencies: [
                "LoopCore", "LoopAPI", "LoopRPC", "LoopRPCNIO", "LoopSynth", "LoopAnalysis", "LoopFiles", "LoopIndex", "LoopViews", "LoopSpotlight", "LoopTestSupport", "LoopCatalog",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["essentia-compare.py"]
        ),

        // Fuzz targets for the parsers, the file readers and the JSON-RPC dispatcher (see `.ci/fuzz`).
        .executableTarget(
            name: "loopfuzz",
            dependencies: ["LoopCore", "LoopAPI", "LoopAnalysis", "LoopRPC"]
        ),

        .testTarget(name: "LoopCoreTests", dependencies: ["LoopCore", "LoopAPI", "LoopTestSupport"]),
        .testTarget(name: "LoopConfigTests", dependencies: ["LoopConfig", "LoopCore", "LoopTestSupport"]),
        // libebur128 is the reference the loudness meter is held to.
        .testTarget(name: "LoopAnalysisTests", dependencies: ["LoopAnalysis", "LoopCore", "LoopSynth", "LoopTestSupport", "CEbur128"]),
        .testTarget(name: "LoopIndexTests", dependencies: ["LoopIndex", "LoopAPI", "LoopCore", "LoopTestSupport"]),
        .testTarget(name: "LoopWatchTests", dependencies: ["LoopWatch", "LoopCore", "LoopTestSupport"]),
        .testTarget(
            name: "LoopDaemonTests",
            dependencies: [
                "LoopDaemon", "LoopAnalysis", "LoopAPI", "LoopCore", "LoopIndex", "LoopRPC", "LoopWatch", "LoopTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "LoopSystemdTests", dependencies: ["LoopSystemd", "LoopTestSupport", .product(name: "Logging", package: "swift-log")]),
        .testTarget(name: "LoopRPCTests", dependencies: ["LoopRPC", "LoopRPCNIO", "LoopAPI", "LoopCore", "LoopTestSupport"]),
        .testTarget(name: "LoopFilesTests", dependencies: ["LoopFiles", "LoopTestSupport"]),
        .testTarget(
            name: "LoopWebTests",
            dependencies: ["LoopWeb", "LoopAPI", "LoopTestSupport", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
        .testTarget(name: "LoopCatalogTests", dependencies: ["LoopCatalog", "LoopAPI", "LoopCore", "LoopTestSupport", .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "LoopViewsTests", dependencies: ["LoopViews", "LoopAPI", "LoopIndex", "LoopCore"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["LoopCore", "LoopAPI", "LoopRPC", "LoopIndex", "LoopAnalysis", "LoopFiles", "LoopSynth", "LoopTestSupport", "loopd", "loopctl", "loopweb",
                           .product(name: "Crypto", package: "swift-crypto")]
        ),
    ],
    swiftLanguageModes: [.v6]
)

// Extension members are visible only in files that import their module
// (SE-0444): TOMLKit's subscripts on Array once captured `words[i]` in the
// name parser, allocating a TOML node per call that was never freed.
for target in package.targets where target.type != .system {
    target.swiftSettings = (target.swiftSettings ?? []) + [.enableUpcomingFeature("MemberImportVisibility")]
}

// The analyzers and the test-audio generator are optimised in debug builds too: the tests render
// and analyse many minutes of audio, which unoptimised code does several times more slowly.
for target in package.targets where ["LoopAnalysis", "LoopSynth"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-O"], .when(configuration: .debug))]
}
