#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The session-level delegate of a ``URLSessionTransport``'s session: refuses every redirect, and
/// routes each task's response, data and completion to its ``DataTaskState``.
///
/// Session-level on purpose: URLSession on Linux ignores per-task delegates for redirects.
final class URLSessionTransportDelegate: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    // @unchecked: the only mutable state, `states`, is guarded by `lock`.
    private let lock = NSLock()
    private var states: [Int: DataTaskState] = [:]

    func register(_ state: DataTaskState, for task: URLSessionTask) {
        lock.withLock { states[task.taskIdentifier] = state }
    }

    @discardableResult
    func unregister(_ task: URLSessionTask) -> DataTaskState? {
        lock.withLock { states.removeValue(forKey: task.taskIdentifier) }
    }

    private func state(for task: URLSessionTask) -> DataTaskState? {
        lock.withLock { states[task.taskIdentifier] }
    }

    func urlSession(
        _ session: URLSession,
        task: URLSessionTask,
        willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest,
        completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        // Never follow: the 3xx is delivered as the response.
        completionHandler(nil)
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        if state(for: dataTask)?.receive(response) == false {
            // The announced body is too large. (On Linux the disposition is ignored, hence the cancel.)
            dataTask.cancel()
            completionHandler(.cancel)
        } else {
            completionHandler(.allow)
        }
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        if state(for: dataTask)?.append(data) == false {
            dataTask.cancel()
        }
    }

    func urlSession(
        _ session: URLSession,
        dataTask: URLSessionDataTask,
        willCacheResponse proposedResponse: CachedURLResponse,
        completionHandler: @escaping @Sendable (CachedURLResponse?) -> Void
    ) {
        completionHandler(nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        unregister(task)?.complete(error: error)
    }
}
