/// Recognises loopback hosts: the only hosts plain `http://` may go to.
enum LoopbackHost {
    /// Tells whether a URL host is `localhost`, an IPv4 address in `127.0.0.0/8` written as four
    /// decimal numbers, or the IPv6 loopback address `::1` (with or without brackets).
    ///
    /// Anything else, including shorthand forms such as `127.1` and names that merely start with
    /// `127.`, is not loopback: when in doubt the answer is no.
    static func isLoopback(_ host: String) -> Bool {
        var host = host.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        if host == "localhost" {
            return true
        }
        if host.contains(":") {
            return isIPv6Loopback(host)
        }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        var octets: [Int] = []
        for part in parts {
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int(part), value <= 255
            else { return false }
            octets.append(value)
        }
        return octets.first == 127
    }

    /// `::1` in any of its spellings (`0:0:0:0:0:0:0:1`, `::0:1`, …); no zone identifiers.
    private static func isIPv6Loopback(_ host: String) -> Bool {
        let halves = host.components(separatedBy: "::")
        guard halves.count <= 2 else { return false }
        func groups(_ text: String) -> [Int]? {
            if text.isEmpty { return [] }
            var values: [Int] = []
            for group in text.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = Int(group, radix: 16) else { return nil }
                values.append(value)
            }
            return values
        }
        let all: [Int]
        if halves.count == 2 {
            guard let head = groups(halves[0]), let tail = groups(halves[1]), head.count + tail.count <= 7 else {
                return false
            }
            all = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else {
            guard let only = groups(halves[0]), only.count == 8 else { return false }
            all = only
        }
        return all == [0, 0, 0, 0, 0, 0, 0, 1]
    }
}
