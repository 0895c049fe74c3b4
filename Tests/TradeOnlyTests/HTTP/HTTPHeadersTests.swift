import Testing

@testable import TradeOnly

@Suite("HTTPHeaders")
struct HTTPHeadersTests {
    @Test("looks names up case-insensitively")
    func caseInsensitiveLookup() {
        let headers: HTTPHeaders = ["Content-Type": "application/json", "X-MBX-APIKEY": "key"]
        #expect(headers["content-type"] == "application/json")
        #expect(headers["CONTENT-TYPE"] == "application/json")
        #expect(headers["x-mbx-apikey"] == "key")
        #expect(headers["Accept"] == nil)
        #expect(headers.contains("x-MBX-apikey"))
    }

    @Test("keeps insertion order and the original spelling of names")
    func orderAndSpelling() {
        var headers: HTTPHeaders = ["b-Second": "2", "A-first": "1"]
        headers["c-THIRD"] = "3"
        headers.add(name: "a-FIRST", value: "1b")
        #expect(headers.map(\.name) == ["b-Second", "A-first", "c-THIRD", "a-FIRST"])
        #expect(headers.map(\.value) == ["2", "1", "3", "1b"])
        #expect(headers.values(for: "a-first") == ["1", "1b"])
        #expect(headers["A-First"] == "1, 1b")
        #expect(headers.count == 4)
    }

    @Test("setting replaces every field of a name in place; setting nil removes them")
    func replaceAndRemove() {
        var headers: HTTPHeaders = ["Accept": "a", "X-One": "1", "accept": "b", "X-Two": "2"]
        headers["ACCEPT"] = "c"
        #expect(headers.map(\.name) == ["ACCEPT", "X-One", "X-Two"])
        #expect(headers["accept"] == "c")
        headers.replace(name: "X-Three", value: "3")
        #expect(headers.map(\.name).last == "X-Three")
        headers["x-one"] = nil
        #expect(!headers.contains("X-One"))
        headers.remove(name: "x-two")
        #expect(headers.map(\.name) == ["ACCEPT", "X-Three"])
    }

    @Test("a dictionary literal with a repeated name keeps both fields, in order")
    func literalWithRepeatedNames() {
        let headers: HTTPHeaders = ["Set-Cookie": "a=1", "Vary": "Accept", "set-cookie": "b=2"]
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(Array(headers).count == 3)
        #expect(HTTPHeaders().isEmpty)
    }

    @Test("equality compares names case-insensitively, values exactly, and order")
    func equality() {
        let lhs: HTTPHeaders = ["Content-Type": "json", "X-A": "1"]
        #expect(lhs == ["content-type": "json", "x-a": "1"])
        #expect(lhs.hashValue == (["CONTENT-TYPE": "json", "X-A": "1"] as HTTPHeaders).hashValue)
        #expect(lhs != ["Content-Type": "JSON", "X-A": "1"])
        #expect(lhs != ["X-A": "1", "Content-Type": "json"])
    }

    @Test(
        "validate() refuses values with CR, LF, NUL or other control characters",
        arguments: ["abc\r\nX-Injected: 1", "abc\nX-Injected: 1", "abc\rdef", "abc\0def", "a\u{7F}", "a\u{1B}[31m"])
    func refusesInjectedValues(value: String) throws {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        headers["X-Note"] = value
        let error = try #require(throws: HTTPTransportError.self) { try headers.validate() }
        #expect(error.kind == .invalidRequest)
        #expect(!error.requestMayHaveBeenSent)
        #expect(error.description.contains("X-Note"))
        #expect(!error.description.contains("abc"))
    }

    @Test("validate() refuses names that are not HTTP tokens", arguments: ["", "X Bad", "X:Bad", "X-Bad\r\nInjected", "Ünicode"])
    func refusesInvalidNames(name: String) throws {
        let headers = HTTPHeaders([(name, "value")])
        let error = try #require(throws: HTTPTransportError.self) { try headers.validate() }
        #expect(error.kind == .invalidRequest)
        #expect(!error.description.contains("Injected"))
    }

    @Test("validate() accepts ordinary fields, tabs and non-ASCII values")
    func acceptsValidFields() throws {
        let headers: HTTPHeaders = [
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            "X-Tab": "a\tb",
            "X-Text": "café ünïcödé",
            "X_odd.name!#$%&'*+-^`|~": "",
        ]
        try headers.validate()
    }

    @Test("description, debugDescription and dump hide sensitive values")
    func printingRedacts() {
        let headers: HTTPHeaders = ["X-MBX-APIKEY": "topsecretkey", "ok-access-passphrase": "pass-phrase", "Accept": "*/*"]
        var dumped = ""
        dump(headers, to: &dumped)
        for text in [headers.description, headers.debugDescription, "\(headers)", dumped] {
            #expect(!text.contains("topsecretkey"))
            #expect(!text.contains("pass-phrase"))
            #expect(text.contains("<redacted>"))
            #expect(text.contains("*/*"))
        }
        // Redaction is only for display: the values themselves are intact.
        #expect(headers["X-MBX-APIKEY"] == "topsecretkey")
        #expect(headers.redacted()["x-mbx-apikey"] == "<redacted>")
        #expect(headers.redacted()["Accept"] == "*/*")
    }
}
