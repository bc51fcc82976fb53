import Testing
@testable import LoopDaemon

@Suite struct IndexingProgressTests {
    @Test func countsTheCurrentBurstOfWork() {
        var progress = IndexingProgress()
        #expect(progress.line(waiting: 0, stored: 40, files: 40, errors: 0, roots: 1) == "watching 40 files in 1 root; 0 errors")
        // A burst of 5,000 begins with 40 files already stored.
        #expect(progress.line(waiting: 5000, stored: 40, files: 40, errors: 0, roots: 2) == "indexing 0 of 5,000; 0 errors")
        #expect(progress.line(waiting: 3796, stored: 1244, files: 1244, errors: 3, roots: 2) == "indexing 1,204 of 5,000; 3 errors")
        #expect(progress.line(waiting: 0, stored: 5040, files: 5040, errors: 1, roots: 2) == "watching 5,040 files in 2 roots; 1 error")
        // The next burst counts from zero again.
        #expect(progress.line(waiting: 10, stored: 5040, files: 5040, errors: 1, roots: 2) == "indexing 0 of 10; 1 error")
    }

    @Test func groupsThousands() {
        #expect(IndexingProgress.grouped(0) == "0")
        #expect(IndexingProgress.grouped(999) == "999")
        #expect(IndexingProgress.grouped(1000) == "1,000")
        #expect(IndexingProgress.grouped(1234567) == "1,234,567")
    }
}
