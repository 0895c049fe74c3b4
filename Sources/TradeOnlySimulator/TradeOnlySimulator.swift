// TradeOnlySimulator: an in-process exchange that speaks the exchanges' real wire formats, so bots and
// clients can be tested end to end without a real exchange and without money.
//
// - SimulatedExchange.swift      the venue (an actor): setup, inspection, faults, request handling
// - Engine/                      keys, balances, orders, fills, positions; matching; klines; configuration
// - Wire/                        the raw request/response values, JSON, and the WireProtocol / Dialect mechanism
// - Binance/, Bybit/             one folder per exchange: authentication, routes, endpoints, error shapes
// - Faults/                      FaultPlan (deterministic, SplitMix64) and its per-request decisions
// - Transport/                   SimulatedTransport (in process) and SimulatorServer (loopback HTTP/1.1)
// - State/                       SimulatorState (JSON) and the standard exchange
