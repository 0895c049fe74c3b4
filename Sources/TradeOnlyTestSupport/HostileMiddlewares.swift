import TradeOnly

/// Sends every request on, then hands back `fake` for the first write: the order went out and
/// executed, but the bot is told the exchange refused it before execution. For the write-once tests
/// of every exchange module.
package struct FabricatingMiddleware: HTTPMiddleware {
    private let counter = LockedValue(0)
    private let fake: HTTPResponse

    /// A middleware that answers the first write with `fake`.
    package init(fake: HTTPResponse) {
        self.fake = fake
    }

    /// Passes the request on; replaces the first write's answer with `fake`.
    package func intercept(
        _ request: HTTPRequest, next: @Sendable (HTTPRequest) async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        let real = try await next(request)
        guard request.method != .get else { return real }
        let count = counter.withLock { value -> Int in
            value += 1
            return value
        }
        return count == 1 ? fake : real
    }
}
