#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The state of one request of a ``URLSessionTransport``: collects the response and body, enforces the
/// size cap and the deadline, and resumes the waiting Swift task exactly once.
final class DataTaskState: @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `lock`.

    /// Why the transport itself cancelled the URLSession task.
    enum AbortReason {
        case cancelled
        case timedOut
        case responseTooLarge
    }

    private let lock = NSLock()
    private let request: HTTPRequest
    private let timeout: Duration
    private let maximumResponseSize: Int

    private var continuation: CheckedContinuation<HTTPResponse, any Error>?
    private var started = false
    private var finished = false
    private var abortReason: AbortReason?
    private var response: HTTPURLResponse?
    private var body = Data()
    private var deadline: DispatchWorkItem?

    /// Where deadlines fire: a serial queue of its own.
    private static let deadlineQueue = DispatchQueue(label: "TradeOnly.URLSessionTransport.deadline")

    init(request: HTTPRequest, timeout: Duration, maximumResponseSize: Int) {
        self.request = request
        self.timeout = timeout
        self.maximumResponseSize = maximumResponseSize
    }

    /// Stores the continuation and arms the deadline. Returns `false` (and fails the continuation with
    /// a "not sent" cancellation) if the Swift task was cancelled before the request started; the
    /// caller must then not resume the URLSession task.
    func start(_ continuation: CheckedContinuation<HTTPResponse, any Error>, task: URLSessionTask) -> Bool {
        lock.lock()
        if abortReason != nil {
            finished = true
            lock.unlock()
            continuation.resume(
                throwing: HTTPTransportError(
                    kind: .cancelled, requestMayHaveBeenSent: false, request: request,
                    reason: "the task was cancelled before the request started"))
            return false
        }
        self.continuation = continuation
        started = true
        let deadline = DispatchWorkItem { [weak self, weak task] in
            if self?.abort(.timedOut) == true {
                task?.cancel()
            }
        }
        self.deadline = deadline
        lock.unlock()
        // Not DispatchQueue.global(): on Linux, Swift's global executor runs tasks on its threads (one
        // per core), and the deadline would fire late while CPU-bound tasks hold them.
        Self.deadlineQueue.asyncAfter(deadline: .now() + timeout.dispatchInterval, execute: deadline)
        return true
    }

    /// Records why the transport cancels the task. Returns `true` if the URLSession task should be
    /// cancelled now (it has not finished and no earlier reason was recorded).
    func abort(_ reason: AbortReason) -> Bool {
        lock.withLock {
            guard !finished, abortReason == nil else { return false }
            abortReason = reason
            return started
        }
    }

    /// Records the response head. Returns `false` if its announced length exceeds the cap.
    func receive(_ response: URLResponse) -> Bool {
        lock.withLock {
            self.response = response as? HTTPURLResponse
            guard request.method != .head, response.expectedContentLength > Int64(maximumResponseSize) else {
                return true
            }
            if abortReason == nil { abortReason = .responseTooLarge }
            return false
        }
    }

    /// Appends body bytes. Returns `false` (and keeps nothing more) once the cap is exceeded.
    func append(_ data: Data) -> Bool {
        lock.withLock {
            guard abortReason != .responseTooLarge else { return false }
            guard body.count + data.count <= maximumResponseSize else {
                if abortReason == nil { abortReason = .responseTooLarge }
                return false
            }
            body.append(data)
            return true
        }
    }

    /// Resumes the waiting Swift task with the response or the mapped error.
    func complete(error: (any Error)?) {
        lock.lock()
        guard let continuation else {
            lock.unlock()
            return
        }
        self.continuation = nil
        finished = true
        deadline?.cancel()
        deadline = nil
        let result = outcome(error: error)
        body = Data()
        lock.unlock()
        continuation.resume(with: result)
    }

    /// Must be called with `lock` held.
    private func outcome(error: (any Error)?) -> Result<HTTPResponse, any Error> {
        if abortReason == .responseTooLarge {
            return .failure(
                HTTPTransportError(
                    kind: .responseTooLarge, requestMayHaveBeenSent: true, request: request,
                    reason: "the response body exceeds \(maximumResponseSize) bytes"))
        }
        // A complete response wins over a cancellation or deadline that came too late to stop it.
        if error == nil, let response {
            return .success(HTTPResponse(status: response.statusCode, headers: Self.headers(of: response), body: body))
        }
        switch abortReason {
        case .timedOut:
            return .failure(
                HTTPTransportError(
                    kind: .timedOut, requestMayHaveBeenSent: true, request: request,
                    reason: "no complete response within \(timeout)"))
        case .cancelled:
            return .failure(
                HTTPTransportError(
                    kind: .cancelled, requestMayHaveBeenSent: true, request: request,
                    reason: "the task was cancelled while the request was in flight"))
        case .responseTooLarge, nil:
            break
        }
        guard let error else {
            return .failure(
                HTTPTransportError(
                    kind: .invalidResponse, requestMayHaveBeenSent: true, request: request,
                    reason: "the response is not an HTTP response"))
        }
        return .failure(URLErrorMapping.transportError(for: error, request: request, timeout: timeout))
    }

    private static func headers(of response: HTTPURLResponse) -> HTTPHeaders {
        let pairs = response.allHeaderFields.compactMap { key, value -> (String, String)? in
            guard let name = key as? String else { return nil }
            return (name, value as? String ?? "\(value)")
        }
        return HTTPHeaders(pairs.sorted { $0.0.lowercased() < $1.0.lowercased() })
    }
}

extension Duration {
    /// The duration as a Dispatch interval, in nanoseconds.
    var dispatchInterval: DispatchTimeInterval {
        let components = components
        let nanoseconds = components.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !nanoseconds.overflow else { return .never }
        let total = nanoseconds.partialValue.addingReportingOverflow(components.attoseconds / 1_000_000_000)
        guard !total.overflow, let value = Int(exactly: max(total.partialValue, 0)) else { return .never }
        return .nanoseconds(value)
    }
}
