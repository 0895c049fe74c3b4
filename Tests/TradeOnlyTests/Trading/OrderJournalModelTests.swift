import Foundation
import Testing
import TradeOnly

/// The client's `OrderJournal` against a plain model of its documented behaviour (every undecided
/// entry kept; of the decided ones, the latest `decidedCapacity` by first recording; entries in the
/// order first recorded), over random sequences of records and removals.
@Suite("OrderJournal matches its model")
struct OrderJournalModelTests {
    struct Model {
        var entries: [(id: String, decided: Bool)] = []
        let capacity: Int

        mutating func record(_ id: String, decided: Bool) {
            if let index = entries.firstIndex(where: { $0.id == id }) {
                entries[index].decided = decided
            } else {
                entries.append((id, decided))
            }
            var excess = entries.filter(\.decided).count - capacity
            entries.removeAll { entry in
                guard excess > 0, entry.decided else { return false }
                excess -= 1
                return true
            }
        }

        mutating func remove(_ id: String) {
            entries.removeAll { $0.id == id }
        }
    }

    @Test("random records and removals", arguments: [0, 1, 3, 10] as [Int])
    func random(capacity: Int) throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            let journal = OrderJournal(decidedCapacity: capacity)
            var model = Model(capacity: capacity)
            for _ in 0..<400 {
                let id = "id\(Int.random(in: 0..<40, using: &generator))"
                let clientOrderID = try ClientOrderID(id)
                switch Int.random(in: 0..<10, using: &generator) {
                case 0:
                    journal.remove(clientOrderID)
                    model.remove(id)
                case 1, 2, 3:
                    let state: OrderJournal.State = Bool.random(using: &generator) ? .unknown : .sending
                    journal.record(state, for: clientOrderID)
                    model.record(id, decided: false)
                default:
                    journal.record(.notPlaced, for: clientOrderID)
                    model.record(id, decided: true)
                }
                let actual = journal.entries.map { ($0.clientOrderID.rawValue, $0.state.isDecided) }
                try #require(actual.map(\.0) == model.entries.map(\.id), "order and contents")
                try #require(actual.map(\.1) == model.entries.map(\.decided))
            }
        }
    }

    @Test("recording stays cheap with a full journal (200,000 placements)")
    func cheap() async throws {
        let journal = OrderJournal(decidedCapacity: 1000)
        // The CPU time of the recording thread, not wall-clock time: the machine's load does not
        // count. In chunks that do not suspend (so each is measured on one thread), giving the
        // thread back to the other tests between chunks.
        var used = Duration.zero
        for chunk in 0..<20 {
            let start = threadCPUTime()
            for index in (chunk * 10_000)..<((chunk + 1) * 10_000) {
                let id = try ClientOrderID("cheap\(index)")
                journal.record(.sending, for: id)
                journal.record(.notPlaced, for: id)
            }
            used += threadCPUTime() - start
            await Task.yield()
        }
        #expect(journal.entries.count == 1000)
        #expect(used < .seconds(20), "\(used) of CPU time")
    }
}

/// The CPU time the calling thread has used.
private func threadCPUTime() -> Duration {
    var time = timespec()
    _ = clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return .seconds(Int64(time.tv_sec)) + .nanoseconds(Int64(time.tv_nsec))
}
