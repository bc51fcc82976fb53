import LoopCore
internal import TOMLKit

/// A resolved configuration written back as a config file (`loopd --print-config`):
/// every section and key `ConfigFile` reads, so the output read again gives the same configuration.
public enum ConfigPrinter {
    public static func toml(_ config: DaemonConfig) -> String {
        let document = TOMLTable()
        let library = TOMLTable()
        library["roots"] = TOMLArray(config.roots)
        library["extensions"] = TOMLArray(config.extensions.sorted())
        library["follow_symlinks"] = config.followSymlinks
        library["follow_outside"] = config.followOutside
        if !config.templates.isEmpty {
            library["templates"] = TOMLTable(config.templates.mapValues { $0.description as TOMLValueConvertible })
        }
        document["library"] = library

        let access = TOMLTable()
        if let writers = config.writersGroup { access["writers"] = writers }
        access["visibility"] = config.visibility.rawValue
        document["access"] = access

        document["state"] = TOMLTable(["dir": config.stateDirectory])
        document["rpc"] = TOMLTable([
            "socket": config.socketPath,
            "socket_mode": "0" + String(config.socketMode, radix: 8),
        ])
        document["analysis"] = TOMLTable([
            "workers": config.workers,
            "deadline_seconds": Int(config.analysisDeadline.seconds.rounded()),
        ])
        document["watch"] = TOMLTable([
            "settle_ms": Int(config.settleWindow.milliseconds.rounded()),
            "poll_seconds": Int(config.pollInterval.seconds.rounded()),
        ])

        let ignore = TOMLTable()
        ignore["patterns"] = TOMLArray(config.ignore.patterns)
        ignore["hidden"] = config.ignore.skipHidden
        if let marker = config.ignore.marker { ignore["marker"] = marker }
        document["ignore"] = ignore

        let views = TOMLTable()
        views["enabled"] = config.views != nil
        if let settings = config.views {
            views["folder"] = settings.folder
            views["links"] = settings.links.rawValue
            if !settings.searches.isEmpty {
                views["searches"] = TOMLTable(settings.searches.mapValues { $0 as TOMLValueConvertible })
            }
        }
        document["views"] = views

        let spotlight = TOMLTable()
        spotlight["enabled"] = config.spotlight != nil
        if let endpoint = config.spotlight {
            spotlight["address"] = endpoint.address
            spotlight["port"] = endpoint.port
        }
        document["spotlight"] = spotlight

        document["limits"] = TOMLTable([
            "line_bytes": config.limits.lineBytes,
            "batch_calls": config.limits.batchCalls,
            "reply_bytes": config.limits.replyBytes,
            "connections": config.limits.connections,
            "connections_per_user": config.limits.connectionsPerUser,
        ])
        return document.convert(to: .toml)
    }
}
