// TradeOnlySimulator: an in-process exchange that speaks the exchanges' wire formats.
