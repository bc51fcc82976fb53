#if canImport(Glibc)
import Glibc
#endif
import Foundation

// Built by `.ci/fuzz` with libFuzzer (coverage instrumentation, AddressSanitizer,
// and the driver from clang's `fuzzer_no_main` runtime): `LOOPFUZZ_TARGET=query
// loopfuzz [libFuzzer options]`. An ordinary build runs each target once on a few
// inputs, so the targets always compile and the command explains itself.

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM calls an executable's entry point `<module>_main`; here it hands over to libFuzzer.
@_cdecl("loopfuzz_main")
func loopfuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    guard let name = ProcessInfo.processInfo.environment["LOOPFUZZ_TARGET"], FuzzTarget(rawValue: name) != nil else {
        FileHandle.standardError.write(Data("Set LOOPFUZZ_TARGET to one of: \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")).\n".utf8))
        return 2
    }
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
        guard let target = ProcessInfo.processInfo.environment["LOOPFUZZ_TARGET"].flatMap(FuzzTarget.init(rawValue:)) else { return 0 }
        target.run(UnsafeBufferPointer(start: data, count: data == nil ? 0 : size))
        return 0
    }
}
#else
@main
struct Loopfuzz {
    static func main() {
        let seeds = ["", "(kick OR snare) -808 bpm:120..128", "((((", "path.real.fulltext:\"/srv\" AND kick*", "RIFF\u{0}\u{0}\u{0}\u{0}WAVE",
                     #"[{"jsonrpc":"2.0","id":1,"method":"echo","params":{"word":"a"}},{"jsonrpc":"2.0","method":"fail"}]"#]
        for target in FuzzTarget.allCases {
            for seed in seeds { Array(seed.utf8).withUnsafeBufferPointer { target.run($0) } }
        }
        print("Every fuzz target ran on \(seeds.count) inputs. To fuzz, build with .ci/fuzz (libFuzzer).")
    }
}
#endif
