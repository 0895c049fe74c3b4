// TradeOnlyTestSupport: what the tests of every module (and `tradeonly-bench faults`) share.
//
// Not a product, and no library product depends on it. It holds:
//
// - the endpoint lists of the exchanges' reference (`BinanceReference`, `BybitReference`), stored as
//   JSON resources in `Resources/` and read by a typed loader;
// - `pathTricks(_:)`, the spellings of a path a server may read as the path itself;
// - the hostile middlewares (`FabricatingMiddleware`) and the seeded `TableRandom` of the table tests;
// - `FaultRunSubjects`, the real clients a fault-injection run drives;
// - `PayloadLoader`, the one loader of recorded payloads: each test target passes its own bundle
//   (`Bundle.module`), so each keeps its own `Payloads/` folder.
//
// It does not import Testing: a resource that cannot be read is a thrown `TestResourceError` naming the
// file, which Swift Testing records as the test's failure.
