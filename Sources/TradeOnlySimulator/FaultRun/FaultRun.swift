import Foundation
import TradeOnly

/// A fault-injection run: drives many order placements and cancels through an exchange client against
/// a ``SimulatedExchange`` that injects random faults, then checks that no order was placed twice and
/// that every order the exchange holds is one the bot knows about.
///
/// The faults are the ones that cost users money: answers lost after the order was executed, 5xx
/// before and after execution, transport timeouts (the request lost on its way, or its answer lost),
/// connections that cannot open, 429 with `Retry-After`, malformed JSON and HTML error pages (before
/// and after execution), and clock skews of ±3 s and ±40 s that change while the bot runs.
///
/// The run is exchange-agnostic: the caller builds the client, given the run's ``Connection``
/// (transport, base URL, clock, sleeper, credentials), and returns it with a `reconcile` function
/// (how the client settles an order whose outcome was unknown):
///
/// ```swift
/// let run = FaultRun(.binance, configuration: .init(orders: 2_000, seed: 7)) { connection in
///     let binance = Binance(environment: .local(connection.baseURL), transport: connection.transport, …)
///     let key = try await SafeKey.verify(connection.credentials, using: binance.keyInspector)
///     let client = binance.client(key)
///     return FaultRun.Subject(client: client) { id, symbol in try await client.reconcile(id, on: symbol) }
/// }
/// let report = await run.run()
/// #expect(report.duplicates == 0 && report.lost == 0)
/// ```
///
/// It is fast: the exchange and the client share one ``FixedTimeSource``, and every wait (retry
/// back-off, `Retry-After`, rate-limit budgets, reconciliation) goes through an ``AdvancingSleeper``
/// that moves that clock instead of sleeping, so thousands of operations take seconds. With
/// ``Configuration/overSocket`` the client talks to a ``SimulatorServer`` over a real loopback socket
/// through `URLSessionTransport` (the waits are still simulated; only the round trips are real).
///
/// What the bot does, per operation: place a limit order far from the price (to rest) or a market
/// order (to fill at once), with a client order id it chose (every other operation) or one the client
/// generates; settle an unknown outcome with `reconcile` (up to ``Configuration/reconcileAttempts``
/// times, ``Configuration/reconcileInterval`` apart); place again, with the same client order id, an order the client reported as certainly not
/// placed (up to ``Configuration/placementAttempts`` attempts); cancel a resting order (by exchange id
/// or client order id, alternately), again on an unknown outcome. After the last operation the faults
/// stop and every order still unknown is settled. Then the exchange's orders are checked against what
/// the bot was told; see ``Report``.
public struct FaultRun: Sendable {
    /// What a run does.
    public struct Configuration: Sendable, Hashable {
        /// How many orders to place (each limit order that rests is then cancelled).
        public var orders: Int
        /// The seed of every random choice: the exchange's faults, the transport's faults, clock skews.
        /// The same seed gives the same run (with ``concurrency`` 1, in process).
        public var seed: UInt64
        /// The share of requests that get a fault, 0…1, spread evenly over the kinds of fault.
        public var faultRate: Double
        /// Whether reads get faults too (the default), or only writes (placements and cancels): for a
        /// client whose own retries of failed reads wait for real, the safety properties being about
        /// writes anyway.
        public var faultsReads: Bool
        /// The markets traded, in turn. Their rules come from the client (`instrument(_:)`).
        public var symbols: [Symbol]
        /// Whether the client reaches the exchange through a ``SimulatorServer`` on a loopback socket
        /// (with `URLSessionTransport`) instead of in process.
        public var overSocket: Bool
        /// How many operations run at once. 1 (the default) makes the run reproducible.
        public var concurrency: Int
        /// After how many operations the exchange's clock skew changes (to 0, ±3 s or ±40 s).
        public var clockSkewInterval: Int
        /// The `Retry-After` of injected 429s, in seconds.
        public var retryAfterSeconds: Int
        /// How far the clock moves between two operations, in seconds (the bot's own pace).
        public var operationInterval: TimeInterval
        /// How often the bot calls `reconcile` for an unknown outcome before leaving it for the end.
        public var reconcileAttempts: Int
        /// How long the bot waits (on the run's clock) before calling `reconcile` again, in seconds.
        public var reconcileInterval: TimeInterval
        /// How often the bot places an order that was certainly not placed, with the same client order id.
        public var placementAttempts: Int
        /// When the run starts (the exchange's and the client's clock).
        public var start: Date

        /// Creates a configuration.
        ///
        /// - Parameters:
        ///   - orders: How many orders to place. Defaults to 2000.
        ///   - seed: The seed. Defaults to 1.
        ///   - faultRate: The share of requests that get a fault. Defaults to 0.25.
        ///   - faultsReads: Whether reads get faults too. Defaults to `true`.
        ///   - symbols: The markets. Defaults to `BTC/USDT` and `BTC/USDT:USDT`.
        ///   - overSocket: Whether to go through a real socket. Defaults to `false`.
        ///   - concurrency: How many operations run at once. Defaults to 1.
        ///   - clockSkewInterval: Operations between clock-skew changes. Defaults to 40.
        ///   - retryAfterSeconds: The `Retry-After` of injected 429s. Defaults to 1.
        ///   - operationInterval: Seconds between operations. Defaults to 0.05.
        ///   - reconcileAttempts: `reconcile` calls per unknown outcome. Defaults to 3.
        ///   - reconcileInterval: Seconds between two `reconcile` calls (simulated). Defaults to 10.
        ///   - placementAttempts: Attempts per order. Defaults to 3.
        ///   - start: The start time. Defaults to 2023-11-14T22:13:20Z.
        public init(
            orders: Int = 2000,
            seed: UInt64 = 1,
            faultRate: Double = 0.25,
            faultsReads: Bool = true,
            symbols: [Symbol] = ["BTC/USDT", "BTC/USDT:USDT"],
            overSocket: Bool = false,
            concurrency: Int = 1,
            clockSkewInterval: Int = 40,
            retryAfterSeconds: Int = 1,
            operationInterval: TimeInterval = 0.05,
            reconcileAttempts: Int = 3,
            reconcileInterval: TimeInterval = 10,
            placementAttempts: Int = 3,
            start: Date = Date(timeIntervalSince1970: 1_700_000_000)
        ) {
            self.orders = max(0, orders)
            self.seed = seed
            self.faultRate = faultRate.isFinite ? min(1, max(0, faultRate)) : 0
            self.faultsReads = faultsReads
            self.symbols = symbols
            self.overSocket = overSocket
            self.concurrency = max(1, concurrency)
            self.clockSkewInterval = max(1, clockSkewInterval)
            self.retryAfterSeconds = max(0, retryAfterSeconds)
            self.operationInterval = operationInterval.isFinite ? max(0, operationInterval) : 0
            self.reconcileAttempts = max(1, reconcileAttempts)
            self.reconcileInterval = reconcileInterval.isFinite ? max(0, reconcileInterval) : 0
            self.placementAttempts = max(1, placementAttempts)
            self.start = start
        }
    }

    /// What the client factory gets: how to reach the simulated exchange, the shared clock and
    /// sleeper, and the key to trade with.
    public struct Connection: Sendable {
        /// The exchange (for inspection; the client must go through ``transport``).
        public let exchange: SimulatedExchange
        /// The wire protocol the exchange speaks.
        public let dialect: Dialect
        /// The transport the client must use: it injects the transport-level faults.
        public let transport: any HTTPTransport
        /// The base URL to give the client (`http://127.0.0.1:<port>` over a socket; any loopback
        /// address in process, where requests are routed by path).
        public let baseURL: URL
        /// The clock shared with the exchange: give it to the client as its time source.
        public let timeSource: FixedTimeSource
        /// Moves ``timeSource`` instead of waiting: give it to the client for every wait.
        public let sleeper: AdvancingSleeper
        /// The simulator's trade-only key (read, spot and futures trading).
        public let key: SimulatedKey
        /// A seed for anything random in the client (retry jitter).
        public let seed: UInt64

        /// The same connection with another transport in front of the exchange, for example one that
        /// wraps ``transport`` to record or alter what the client sends.
        ///
        /// - Parameter transport: The transport the client is to use.
        /// - Returns: The connection with that transport.
        public func replacingTransport(_ transport: any HTTPTransport) -> Connection {
            Connection(
                exchange: exchange, dialect: dialect, transport: transport, baseURL: baseURL, timeSource: timeSource,
                sleeper: sleeper, key: key, seed: seed)
        }

        /// ``key`` as credentials.
        ///
        /// - Throws: If the key cannot be held as credentials (never for the simulator's keys).
        public var credentials: Credentials {
            get throws { try Credentials(apiKey: key.apiKey, secret: Secret(key.secret)) }
        }
    }

    /// The client under test and how it settles an unknown outcome.
    public struct Subject: Sendable {
        /// The client.
        public var client: any ExchangeClient
        /// Settles an order whose placement had an unknown outcome, by client order id: returns the
        /// order if the exchange has it; throws ``ExchangeError/Kind/orderNotFound`` if it does not
        /// and can no longer execute it; throws anything else (``ExchangeError/Kind/outcomeUnknown``)
        /// if it still cannot tell. Must never place anything.
        public var reconcile: @Sendable (ClientOrderID, Symbol) async throws -> Order

        /// Creates a subject.
        ///
        /// - Parameters:
        ///   - client: The client.
        ///   - reconcile: How it settles an unknown outcome.
        public init(
            client: any ExchangeClient, reconcile: @escaping @Sendable (ClientOrderID, Symbol) async throws -> Order
        ) {
            self.client = client
            self.reconcile = reconcile
        }
    }

    /// The exchange simulated.
    public let dialect: Dialect
    /// What the run does.
    public let configuration: Configuration
    private let makeSubject: @Sendable (Connection) async throws -> Subject

    /// Creates a run.
    ///
    /// - Parameters:
    ///   - dialect: The exchange to simulate (``Dialect/binance``, ``Dialect/bybit``).
    ///   - configuration: What the run does.
    ///   - makeSubject: Builds the client for a connection (called once, before any fault).
    public init(
        _ dialect: Dialect, configuration: Configuration = Configuration(),
        makeSubject: @escaping @Sendable (Connection) async throws -> Subject
    ) {
        self.dialect = dialect
        self.configuration = configuration
        self.makeSubject = makeSubject
    }

    /// A reconciliation policy suited to the simulated exchange, which answers at once: ask right
    /// away, then again as soon as the receive window (plus the core's one-second margin) has passed,
    /// when a "not found" decides; keep asking, more slowly, while faults hide the answer.
    ///
    /// - Parameter receiveWindow: The client's receive window, in seconds.
    /// - Returns: The policy.
    public static func reconciliationPolicy(receiveWindow: TimeInterval) -> ReconciliationPolicy {
        let window = max(0, receiveWindow) + 1
        return ReconciliationPolicy(deadline: 4 * window + 10, initialDelay: window, maximumDelay: 2 * window)
    }

    /// Runs: sets up the exchange and the client, drives the operations with faults, settles what is
    /// unknown without faults, and checks the exchange's orders. Never throws: a failure to set up is
    /// in ``Report/setupError``.
    ///
    /// - Returns: The report.
    public func run() async -> Report {
        await FaultRunDriver(dialect: dialect, configuration: configuration, makeSubject: makeSubject).run()
    }
}
