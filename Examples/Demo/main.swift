// tradeonly-demo: the README's main command.
//
// For now it shows the first two layers of the safety model with no key and no network: two made-up
// keys are checked against canned exchange reports; the one that can withdraw is refused, the
// trade-only one is accepted.
import TradeOnly

/// An inspector that answers with a fixed report, as an exchange would.
struct CannedInspector: KeyInspector {
    let report: KeyReport
    func inspect(_ credentials: Credentials) async throws -> KeyReport { report }
}

func line(_ text: String = "") { print(text) }

line("TradeOnly demo: verifying keys before a bot may use them")
line(String(repeating: "=", count: 60))

let tradeOnlyReport = KeyReport(
    exchange: "binance",
    permissions: [.read, .spotTrade, .futuresTrade],
    isIPRestricted: true,
    ipWhitelist: ["203.0.113.7"]
)
let withdrawingReport = KeyReport(
    exchange: "binance",
    permissions: [.read, .spotTrade, .withdraw, .universalTransfer],
    isIPRestricted: true,
    ipWhitelist: ["203.0.113.7"],
    hints: [.withdraw: "disable 'Enable Withdrawals' in API Management"]
)

do {
    let risky = try Credentials(
        apiKey: "demoRiskyKey0000000000000000000000000000000000000000000000000001",
        secret: Secret("made-up-secret-for-the-demo-1"))
    line()
    line("1. A key that can withdraw: \(risky.maskedAPIKey)")
    do {
        _ = try await SafeKey.verify(risky, using: CannedInspector(report: withdrawingReport))
        line("   accepted — this must never happen")
        exit(1)
    } catch let error as ExchangeError where error.kind == .unsafeKey {
        line("   REFUSED, as it should be:")
        for part in error.message.split(separator: ";") {
            line("   - " + part.trimmingCharacters(in: .whitespaces))
        }
    }

    let safe = try Credentials(
        apiKey: "demoTradeKey0000000000000000000000000000000000000000000000000002",
        secret: Secret("made-up-secret-for-the-demo-2"))
    line()
    line("2. A trade-only key: \(safe.maskedAPIKey)")
    let key = try await SafeKey.verify(safe, using: CannedInspector(report: tradeOnlyReport))
    let permissions = key.permissions.map { String(describing: $0) }.sorted().joined(separator: ", ")
    line("   accepted: \(permissions)")
    line("   printing the key shows no secret: \(key)")
    line()
    line("Done.")
} catch {
    line("demo failed: \(error)")
    exit(1)
}
