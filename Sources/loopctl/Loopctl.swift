#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import Foundation
import LoopCore

@main
struct Loopctl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "loopctl",
        abstract: "Search and inspect the OpenLoop sample library through loopd.",
        discussion: """
            The daemon's socket is taken from --socket, then $LOOPD_SOCKET, then loopd's default place. \
            With --server URL --token T (or $LOOPD_SERVER and $LOOPD_TOKEN), search, info, similar, get, add, \
            fav, tag, collection, export and pull run on a loopweb server instead, as the token's account; \
            files are then named by id or by a query. --socket, --server, --token and --json may come \
            before or after the command name.

            \(ExitCodes.summary)

            Shell completions: loopctl --generate-completion-script bash|zsh|fish.
            """,
        version: "0.1.0",
        subcommands: [
            StatusCommand.self, SearchCommand.self, InfoCommand.self,
            SimilarCommand.self, DupesCommand.self, WaveformCommand.self,
            TagCommand.self, FavouriteCommand.self, CollectionCommand.self, EverywhereCommand.self, ExportCommand.self,
            AddCommand.self, GetCommand.self, TakesCommand.self, VerifyCommand.self, BackupCommand.self,
            ViewCommand.self, RescanCommand.self, SyncCommand.self, WatchCommand.self, DeleteCommand.self, TrashCommand.self, PullCommand.self, WhoamiCommand.self, UserCommand.self, TokenCommand.self,
        ]
    )

    static func main() {
        // File names may be bytes that are not UTF-8: read argv losslessly.
        let arguments = (1..<Int(CommandLine.argc)).compactMap { index -> String? in
            guard let argument = CommandLine.unsafeArgv[index] else { return nil }
            return FileName.decode(UnsafeRawBufferPointer(start: argument, count: strlen(argument)))
        }
        do {
            var command = try parseAsRoot(GlobalArguments.hoisted(arguments))
            try command.run()
        } catch {
            // swift-argument-parser's usage errors exit 64; loopctl's documented code is 2.
            let code = exitCode(for: error)
            if code == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitCodes.usage)
            }
            exit(withError: error)
        }
    }
}

/// Moves the global options written before the command name to after it,
/// where each command's `GlobalOptions` parses them: `loopctl --json status`
/// becomes `loopctl status --json`, and `loopctl --socket S collection create X`
/// becomes `loopctl collection create --socket S X` (after the whole command path).
enum GlobalArguments {
    /// The global options that take a value.
    static let withValue = ["--socket", "--server", "--token"]

    static func hoisted(_ arguments: [String], root: any ParsableCommand.Type = Loopctl.self) -> [String] {
        var globals: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--json" {
                globals.append(argument)
            } else if Self.withValue.contains(argument), index + 1 < arguments.count {
                globals.append(contentsOf: [argument, arguments[index + 1]])
                index += 1
            } else if Self.withValue.contains(where: { argument.hasPrefix($0 + "=") }) {
                globals.append(argument)
            } else {
                break
            }
            index += 1
        }
        guard !globals.isEmpty, index < arguments.count else { return arguments }
        var command = root
        var path: [String] = []
        while index < arguments.count,
              let subcommand = command.configuration.subcommands.first(where: { $0._commandName == arguments[index] || $0.configuration.aliases.contains(arguments[index]) }) {
            path.append(arguments[index])
            command = subcommand
            index += 1
        }
        // Not a command: leave the word first, so the parser names it as the unknown one.
        guard !path.isEmpty else { return [arguments[index]] + globals + arguments[(index + 1)...] }
        return path + globals + arguments[index...]
    }
}
