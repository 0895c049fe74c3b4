#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Owns the URLSession of a ``URLSessionTransport`` and invalidates it when the last copy of the
/// transport is released (a session keeps its delegate alive until it is invalidated).
final class URLSessionBox: Sendable {
    private let session: URLSession
    private let delegate: URLSessionTransportDelegate
    /// The delegate queue's dispatch queue: `OperationQueue.underlyingQueue` holds it `unowned(unsafe)`,
    /// so the box keeps it alive for as long as the session.
    private let delegateDispatchQueue: DispatchQueue

    init(timeout: TimeInterval, proxy: URLSessionTransport.Proxy?) {
        let configuration = URLSessionConfiguration.ephemeral
        // Honoured on Apple platforms; ignored by swift-corelibs-foundation, whose libcurl reads the
        // environment instead (URLSessionTransport refuses what that would send to a proxy).
        configuration.connectionProxyDictionary = URLSessionTransport.connectionProxyDictionary(for: proxy)
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        configuration.urlCredentialStorage = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let delegate = URLSessionTransportDelegate()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        queue.name = "TradeOnly.URLSessionTransport.delegate"
        // A serial queue of its own: on Linux an OperationQueue otherwise runs on
        // DispatchQueue.global(), on whose threads (one per core) Swift's global executor runs tasks,
        // and responses would wait while CPU-bound tasks hold them.
        let dispatchQueue = DispatchQueue(label: "TradeOnly.URLSessionTransport.delegate")
        queue.underlyingQueue = dispatchQueue
        self.delegateDispatchQueue = dispatchQueue
        self.delegate = delegate
        self.session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: queue)
    }

    deinit {
        session.finishTasksAndInvalidate()
    }

    /// Runs one data task and waits for its outcome, honouring cancellation and the deadline.
    func perform(
        _ request: HTTPRequest,
        urlRequest: URLRequest,
        timeout: Duration,
        maximumResponseSize: Int
    ) async throws -> HTTPResponse {
        let task = session.dataTask(with: urlRequest)
        let state = DataTaskState(
            request: request, timeout: timeout, maximumResponseSize: maximumResponseSize)
        delegate.register(state, for: task)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if state.start(continuation, task: task) {
                    task.resume()
                } else {
                    delegate.unregister(task)
                    task.cancel()
                }
            }
        } onCancel: {
            if state.abort(.cancelled) {
                task.cancel()
            }
        }
    }
}
