// TradeOnlyBybit: Bybit v5.
