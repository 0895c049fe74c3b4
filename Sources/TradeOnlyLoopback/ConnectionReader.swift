/// Buffered, bounded reads from one connection.
///
/// The buffer never holds more than what the current request needs plus one read: reads are at most
/// ``chunkSize`` bytes, and callers stop reading once their limit is reached.
struct ConnectionReader {
    /// The outcome of a read.
    enum ReadResult {
        case data
        case endOfFile
        case timedOut
        case failed
    }

    static let chunkSize = 64 * 1024

    let descriptor: Int32
    let timeoutMilliseconds: Int32
    private var buffer: [UInt8] = []
    private var start = 0

    init(descriptor: Int32, timeoutMilliseconds: Int32) {
        self.descriptor = descriptor
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// The bytes received and not yet consumed.
    var available: ArraySlice<UInt8> { buffer[start...] }

    /// Waits for more bytes (at most the timeout) and appends them.
    mutating func read() -> ReadResult {
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        switch Socket.waitReadable(descriptor, milliseconds: timeoutMilliseconds) {
        case .timedOut: return .timedOut
        case .failed: return .failed
        case .readable: break
        }
        let received = Socket.receive(descriptor, into: &buffer, upTo: Self.chunkSize)
        if received > 0 { return .data }
        return received == 0 ? .endOfFile : .failed
    }

    /// Removes and returns the first `count` available bytes; `count` must not exceed `available.count`.
    mutating func consume(_ count: Int) -> ArraySlice<UInt8> {
        let slice = buffer[start..<(start + count)]
        start += count
        return slice
    }

    /// Drops the first `count` available bytes.
    mutating func skip(_ count: Int) {
        start += count
    }

    /// Reads until at least `count` bytes are available. Returns the failing result, or `nil` on success.
    mutating func fill(to count: Int) -> ReadResult? {
        while available.count < count {
            let result = read()
            guard case .data = result else { return result }
        }
        return nil
    }

    /// Returns the offset (from the start of `available`) of the first CRLF at or after `from`, or `nil`.
    func firstCRLF(from offset: Int = 0) -> Int? {
        let bytes = available
        var index = bytes.startIndex + offset
        while index + 1 < bytes.endIndex {
            if bytes[index] == cr, bytes[index + 1] == lf { return index - bytes.startIndex }
            index += 1
        }
        return nil
    }

    /// Returns the offset (from the start of `available`) of the first CRLF CRLF at or after `from`, or `nil`.
    func firstEmptyLine(from offset: Int = 0) -> Int? {
        let bytes = available
        var index = bytes.startIndex + offset
        while index + 3 < bytes.endIndex {
            if bytes[index] == cr, bytes[index + 1] == lf, bytes[index + 2] == cr, bytes[index + 3] == lf {
                return index - bytes.startIndex
            }
            index += 1
        }
        return nil
    }
}
