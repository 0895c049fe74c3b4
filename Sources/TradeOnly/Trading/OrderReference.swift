/// How to name one existing order to query or cancel it: by the exchange's id or by our client order id,
/// always with its symbol, because most exchanges need the market to find an order (Binance `symbol`,
/// OKX `instId`, Bybit `category` + `symbol`, Gate `currency_pair`).
///
/// ```swift
/// try await client.cancel(.clientID(id, on: "BTC/USDT"))
/// try await client.cancel(.exchangeID("28", on: "BTC/USDT"))
/// try await client.cancel(order.reference)        // from an Order you already have
/// ```
///
/// Prefer the client id after a timeout (the exchange id is unknown then); prefer the exchange id for
/// orders read back from the exchange (``Order/reference`` uses it, because an order placed elsewhere
/// may have a client id outside ``ClientOrderID``'s alphabet, and Gate forgets client ids of unfilled
/// orders 60 seconds after they are cancelled).
public enum OrderReference: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The order id the exchange assigned (Binance `orderId`, Bybit `orderId`, OKX `ordId`, Gate `id`).
    case exchangeID(String, on: Symbol)
    /// The client order id the order was placed with (Binance `newClientOrderId`, Bybit `orderLinkId`,
    /// OKX `clOrdId`, Gate `text` without its `t-` prefix).
    case clientID(ClientOrderID, on: Symbol)

    /// The market the order is on.
    public var symbol: Symbol {
        switch self {
        case .exchangeID(_, let symbol), .clientID(_, let symbol): return symbol
        }
    }

    /// The exchange's order id, if this reference uses it.
    public var exchangeOrderID: String? {
        if case .exchangeID(let id, _) = self { return id }
        return nil
    }

    /// The client order id, if this reference uses it.
    public var clientOrderID: ClientOrderID? {
        if case .clientID(let id, _) = self { return id }
        return nil
    }

    /// `BTC/USDT #28` for an exchange id, `BTC/USDT [toAbc…]` for a client id.
    public var description: String {
        switch self {
        case .exchangeID(let id, let symbol): return "\(symbol) #\(id)"
        case .clientID(let id, let symbol): return "\(symbol) [\(id)]"
        }
    }

    private enum CodingKeys: String, CodingKey {
        case symbol, exchangeOrderID, clientOrderID
    }

    /// Decodes `{"symbol": …, "exchangeOrderID": …}` or `{"symbol": …, "clientOrderID": …}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let symbol = try container.decode(Symbol.self, forKey: .symbol)
        if let id = try container.decodeIfPresent(String.self, forKey: .exchangeOrderID) {
            self = .exchangeID(id, on: symbol)
        } else if let id = try container.decodeIfPresent(ClientOrderID.self, forKey: .clientOrderID) {
            self = .clientID(id, on: symbol)
        } else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: decoder.codingPath,
                    debugDescription: "an order reference needs an exchangeOrderID or a clientOrderID"
                )
            )
        }
    }

    /// Encodes the symbol and the one id this reference uses.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(symbol, forKey: .symbol)
        switch self {
        case .exchangeID(let id, _): try container.encode(id, forKey: .exchangeOrderID)
        case .clientID(let id, _): try container.encode(id, forKey: .clientOrderID)
        }
    }
}
