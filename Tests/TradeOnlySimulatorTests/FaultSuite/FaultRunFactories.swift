import Foundation
import TradeOnly
import TradeOnlyBinance
import TradeOnlyBybit
import TradeOnlySimulator
import TradeOnlyTestSupport

/// The clients a ``FaultRun`` drives (the real ones from TradeOnlyTestSupport, shared with
/// `tradeonly-bench faults`), and the deliberately broken variants below.
typealias FaultRunFactories = FaultRunSubjects

// MARK: Deliberately broken clients: each property must fail against one.

/// Forwards everything to a client, except what a broken variant changes.
protocol ForwardingClient: ExchangeClient {
    var base: any ExchangeClient { get }
}

extension ForwardingClient {
    var exchangeName: String { base.exchangeName }
    func serverTime() async throws -> Date { try await base.serverTime() }
    func instruments(_ kind: MarketKind) async throws -> [Instrument] { try await base.instruments(kind) }
    func instrument(_ symbol: Symbol) async throws -> Instrument { try await base.instrument(symbol) }
    func ticker(_ symbol: Symbol) async throws -> Ticker { try await base.ticker(symbol) }
    func orderBook(_ symbol: Symbol, depth: Int) async throws -> OrderBook { try await base.orderBook(symbol, depth: depth) }
    func balances(for kind: MarketKind) async throws -> [Balance] { try await base.balances(for: kind) }
    func positions() async throws -> [Position] { try await base.positions() }
    func cancel(_ order: OrderReference) async throws -> Order { try await base.cancel(order) }
    func order(_ order: OrderReference) async throws -> Order { try await base.order(order) }
    func openOrders(for symbol: Symbol) async throws -> [Order] { try await base.openOrders(for: symbol) }
    func fills(for symbol: Symbol, limit: Int) async throws -> [Fill] { try await base.fills(for: symbol, limit: limit) }
    func perform(_ request: ExchangeRequest) async throws -> HTTPResponse { try await base.perform(request) }
    var journal: OrderJournal { base.journal }
    func reconcile(_ clientOrderID: ClientOrderID, on symbol: Symbol?) async throws -> Order {
        try await base.reconcile(clientOrderID, on: symbol)
    }
}

/// Broken: a transport that sends a write again when it failed after it may have been sent (what
/// libcurl does on a reused keep-alive connection, see URLSessionTransport). Expect duplicates.
struct ResendingTransport: HTTPTransport {
    let base: any HTTPTransport
    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        do {
            return try await base.send(request)
        } catch let error as HTTPTransportError where error.requestMayHaveBeenSent && request.method != .get {
            return try await base.send(request)
        }
    }
}

/// Broken: reports an unknown outcome as a rejection, dropping the order it may have placed.
/// Expect lost orders.
struct ForgetfulClient: ForwardingClient {
    let base: any ExchangeClient
    func place(_ order: OrderRequest) async throws -> Order {
        do {
            return try await base.place(order)
        } catch var error as ExchangeError where error.kind == .outcomeUnknown {
            error.kind = .orderRejected
            error.retry = .doNotRetry
            throw error
        }
    }
}

/// Broken: reports unknown outcomes without their client order id. Expect unknowns without id.
struct AnonymousUnknownClient: ForwardingClient {
    let base: any ExchangeClient
    func place(_ order: OrderRequest) async throws -> Order {
        do {
            return try await base.place(order)
        } catch var error as ExchangeError where error.kind == .outcomeUnknown {
            error.clientOrderID = nil
            throw error
        }
    }
}

/// Broken: reports a placement that failed as placed, with a made-up order. Expect phantoms.
struct BoastfulClient: ForwardingClient {
    let base: any ExchangeClient
    func place(_ order: OrderRequest) async throws -> Order {
        do {
            return try await base.place(order)
        } catch let error as ExchangeError {
            let id = (error.clientOrderID ?? order.clientOrderID)?.rawValue ?? "made-up"
            return Order(
                exchangeOrderID: "999999999", clientOrderID: id, symbol: order.symbol, side: order.side, type: order.type,
                status: .new, price: order.price, quantity: order.quantity)
        }
    }
}

/// Broken: says a cancel succeeded without sending it. Expect cancel mismatches.
struct LazyCancelClient: ForwardingClient {
    let base: any ExchangeClient
    func place(_ order: OrderRequest) async throws -> Order { try await base.place(order) }
    func cancel(_ order: OrderReference) async throws -> Order {
        var current = try await base.order(order)
        current.status = .cancelled
        return current
    }
}

extension FaultRunFactories {
    /// A factory whose client is wrapped in a broken variant.
    static func broken(
        _ factory: @escaping @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject,
        wrap: @escaping @Sendable (any ExchangeClient) -> any ExchangeClient
    ) -> @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject {
        { connection in
            var subject = try await factory(connection)
            subject.client = wrap(subject.client)
            return subject
        }
    }

    /// A factory whose client sends through a ``ResendingTransport``: expect duplicates.
    static func resending(
        _ factory: @escaping @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject
    ) -> @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject {
        { connection in
            try await factory(connection.replacingTransport(ResendingTransport(base: connection.transport)))
        }
    }

    /// A factory whose reconcile answers "not found" without asking: expect lost orders.
    static func hastyReconcile(
        _ factory: @escaping @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject
    ) -> @Sendable (FaultRun.Connection) async throws -> FaultRun.Subject {
        { connection in
            var subject = try await factory(connection)
            subject.reconcile = { id, symbol in
                throw ExchangeError(.orderNotFound, message: "broken: not asked", clientOrderID: id, symbol: symbol)
            }
            return subject
        }
    }
}
