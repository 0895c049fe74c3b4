import Foundation
import TradeOnly

extension BybitClient {
    /// Settles an order whose outcome was unknown (an ``ExchangeError/Kind/outcomeUnknown`` error), by
    /// asking Bybit for it by client order id (`orderLinkId`) with the back-off of
    /// ``Bybit/Configuration/reconciliation``. Never places anything.
    ///
    /// Bybit refuses any request older than its receive window before matching it, so once
    /// ``Bybit/Configuration/recvWindow`` plus a second has passed since the order was last sent, an
    /// order Bybit does not know can no longer execute. "Since it was last sent" is, for an order in the
    /// ``journal``, when its placement ended; for an order the journal does not have (placed before a
    /// restart, or by another client that has stopped), when this call started.
    ///
    /// - Parameters:
    ///   - clientOrderID: The id the order was sent with (``ExchangeError/clientOrderID``).
    ///   - symbol: The order's market, or `nil` to take it from the ``journal`` (an order this client
    ///     placed). After a restart, pass it (``ExchangeError/symbol``).
    /// - Returns: The order, if Bybit has it. The journal records it.
    /// - Throws: ``ExchangeError`` of kind ``ExchangeError/Kind/orderNotFound`` if Bybit does not have
    ///   it and can no longer execute it (safe to place again with the same id; the journal records it as
    ///   not placed), of kind ``ExchangeError/Kind/outcomeUnknown`` if Bybit still cannot tell (or the
    ///   placement is still in flight in this client), or of kind
    ///   ``ExchangeError/Kind/invalidRequest`` if the symbol is unknown (not given and not in the
    ///   journal, or not a market Bybit lists).
    public func reconcile(_ clientOrderID: ClientOrderID, on symbol: Symbol?) async throws -> Order {
        try access.requireSigning()
        let client = self
        return try await OrderReconciliation.settleUnknownOrder(
            clientOrderID, on: symbol, exchange: Bybit.exchangeName, journal: journal, policy: reconciliation,
            receiveWindow: receiveWindow, timeSource: timeSource, sleeper: sleeper,
            market: { symbol in try await client.listedMarket(symbol).symbol },
            lookup: { id, symbol in
                try await client.findOrder(try await client.listedMarket(symbol), by: .clientID(id, on: symbol))
            })
    }

    /// The market under the name Bybit lists it by, so that an unknown market is refused rather than
    /// asked about; if the instruments cannot be read right now, the market by its usual spelling.
    func listedMarket(_ symbol: Symbol) async throws -> BybitMarket {
        let mapped = try market(symbol)
        do {
            return mapped.listed(as: try await instrument(for: mapped).exchangeSymbol)
        } catch let error as ExchangeError where error.kind == .invalidRequest {
            throw error
        } catch {
            return mapped
        }
    }
}
