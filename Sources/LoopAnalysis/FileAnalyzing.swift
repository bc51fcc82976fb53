/// Something that analyses a file: in this process (`FileAnalyzer`) or in a
/// worker process where a crash or hang costs one file, not the daemon.
public protocol FileAnalyzing: Sendable {
    func analyze(path: String) -> FileAnalysisOutcome
}

extension FileAnalyzer: FileAnalyzing {}
