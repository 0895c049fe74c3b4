extension Symbol {
    /// What the symbol names, in words: `a spot market`, `a perpetual on BTC/USDT settled in USDC`.
    /// Empty for a symbol that is not well formed.
    var marketDescription: String {
        guard isValid else { return "" }
        let pair = base + "/" + quote
        switch kind {
        case .spot: return "a spot market"
        case .linearPerpetual: return "a perpetual on \(pair) settled in its quote asset"
        case .inversePerpetual: return "an inverse perpetual on \(pair) settled in its base asset"
        case nil: return "a perpetual on \(pair) settled in \(settle ?? "")"
        }
    }

    /// The refusal of a symbol a client cannot trade, saying which of two things is wrong: the
    /// spelling is not a unified symbol, or it is one (`BTC/USDT:USDC`) that this client does not trade.
    ///
    /// - Parameters:
    ///   - client: Who refuses, for the message: `TradeOnly's Binance client`.
    ///   - supported: What the client does trade, for the message:
    ///     `spot markets (BTC/USDT) and USDⓈ-M perpetuals settled in their quote asset (BTC/USDT:USDT)`.
    ///   - exchange: The exchange's name (`binance`).
    /// - Returns: An ``ExchangeError`` of kind ``ExchangeError/Kind/invalidRequest`` with rule
    ///   ``Instrument/Rule/symbol`` and this symbol.
    package func refusal(by client: String, supported: String, exchange: String) -> ExchangeError {
        let message: String
        if isValid {
            message =
                "\(rawValue) is a valid unified symbol (\(marketDescription)), but \(client) does not trade it; "
                + "it trades \(supported)"
        } else {
            message =
                "'\(rawValue)' is not a unified symbol: write spot markets as BASE/QUOTE (BTC/USDT) and "
                + "perpetuals as BASE/QUOTE:SETTLE (BTC/USDT:USDT); \(client) trades \(supported)"
        }
        return ExchangeError(.invalidRequest, message: message, exchange: exchange, rule: Instrument.Rule.symbol, symbol: self)
    }

    /// Runs `body`, which asks the exchange about this symbol's market, and names the symbol in the
    /// ``ExchangeError/Kind/invalidRequest`` the exchange answers with (`Invalid symbol.`, `params
    /// error: symbol invalid`): the unified spelling and the id it was sent as.
    ///
    /// - Parameters:
    ///   - exchangeSymbol: The exchange's id for the symbol, as sent (`FOOUSDT`).
    ///   - body: The request.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws; an exchange's `invalidRequest` with the symbol named.
    package func naming<Result>(sentAs exchangeSymbol: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch var error as ExchangeError where error.kind == .invalidRequest && error.code != nil {
            if !error.message.contains(rawValue) {
                error.message = "\(rawValue) (sent as \(exchangeSymbol)): " + error.message
            }
            if error.symbol == nil { error.symbol = self }
            throw error
        }
    }
}
