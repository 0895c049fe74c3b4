import Foundation
import Testing

@testable import TradeOnly

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A credentials file that must be refused, and how.
struct BadCredentialsFile: Sendable, CustomTestStringConvertible {
    let name: String
    let text: String
    let kind: CredentialsError.Kind
    let line: Int?
    let words: String

    var testDescription: String { name }

    /// Stands for a secret pasted in the wrong place: it must never appear in an error.
    static let marker = "PASTEDSECRET9c1e"
    static let key = "API_KEY=\(KeysFixtures.apiKey)\n"
    static let secret = "API_SECRET=\(KeysFixtures.secret)\n"

    static let all: [BadCredentialsFile] = [
        BadCredentialsFile(
            name: "a line without '='", text: key + secret + "\(marker)\n", kind: .malformedFile, line: 3,
            words: "is not a comment, a blank line or a KEY=VALUE entry"),
        BadCredentialsFile(
            name: "an unknown key", text: key + "SECRET=\(marker)\n" + secret, kind: .malformedFile, line: 2,
            words: "unknown key"),
        BadCredentialsFile(
            name: "an unknown key that is a pasted secret", text: "\(marker)=\(marker)\n" + key + secret,
            kind: .malformedFile, line: 1, words: "unknown key"),
        BadCredentialsFile(
            name: "a lower-case key", text: key + "api_secret=\(marker)\n", kind: .malformedFile, line: 2,
            words: "unknown key"),
        BadCredentialsFile(
            name: "shell export syntax", text: "export API_KEY=\(marker)\n" + secret, kind: .malformedFile, line: 1,
            words: "unknown key"),
        BadCredentialsFile(
            name: "a space before the key", text: key + " API_SECRET=\(marker)\n", kind: .malformedFile, line: 2,
            words: "white space around the key API_SECRET"),
        BadCredentialsFile(
            name: "a space before '='", text: key + "API_SECRET =\(marker)\n", kind: .malformedFile, line: 2,
            words: "white space around the key API_SECRET"),
        BadCredentialsFile(
            name: "a space after '='", text: key + "API_SECRET= \(marker)\n", kind: .invalidCharacters, line: 2,
            words: "white space before or after it"),
        BadCredentialsFile(
            name: "a trailing space", text: key + "API_SECRET=\(marker) \n", kind: .invalidCharacters, line: 2,
            words: "white space before or after it"),
        BadCredentialsFile(
            name: "a trailing tab", text: key + "API_SECRET=\(marker)\t\n", kind: .invalidCharacters, line: 2,
            words: "white space before or after it"),
        BadCredentialsFile(
            name: "a space inside the value", text: key + "API_SECRET=\(marker) \(marker)\n", kind: .invalidCharacters,
            line: 2, words: "a space"),
        BadCredentialsFile(
            name: "a double-quoted value", text: key + "API_SECRET=\"\(marker)\"\n", kind: .malformedFile, line: 2,
            words: "wrapped in quotes"),
        BadCredentialsFile(
            name: "a single-quoted value", text: key + "API_SECRET='\(marker)'\n", kind: .malformedFile, line: 2,
            words: "wrapped in quotes"),
        BadCredentialsFile(
            name: "a non-ASCII value", text: key + "API_SECRET=\(marker)é\n", kind: .invalidCharacters, line: 2,
            words: "a non-ASCII character"),
        BadCredentialsFile(
            name: "a lone CR inside the value", text: key + "API_SECRET=\(marker)\rX\n", kind: .invalidCharacters,
            line: 2, words: "a carriage return (CR)"),
        BadCredentialsFile(
            name: "an empty value", text: key + "API_SECRET=\n", kind: .emptyValue, line: 2, words: "is empty"),
        BadCredentialsFile(
            name: "a duplicate key", text: key + "API_SECRET=\(marker)\n" + "# again\n" + "API_SECRET=\(marker)\n",
            kind: .malformedFile, line: 4, words: "sets API_SECRET again (first set on line 2)"),
        BadCredentialsFile(
            name: "a duplicate passphrase", text: key + secret + "API_PASSPHRASE=a\nAPI_PASSPHRASE=\(marker)\n",
            kind: .malformedFile, line: 4, words: "sets API_PASSPHRASE again"),
        BadCredentialsFile(
            name: "a missing secret", text: "# only a key\n" + key, kind: .missingValue, line: nil,
            words: "has no API_SECRET line"),
        BadCredentialsFile(
            name: "a missing key", text: "API_SECRET=\(marker)\n", kind: .missingValue, line: nil,
            words: "has no API_KEY line"),
        BadCredentialsFile(name: "an empty file", text: "", kind: .missingValue, line: nil, words: "has no API_KEY line"),
        BadCredentialsFile(
            name: "an indented comment", text: key + secret + "  # \(marker)\n", kind: .malformedFile, line: 3,
            words: "is not a comment"),
    ]
}

@Suite("Credentials from a file")
struct CredentialsFileTests {
    @Test("a private file with comments, blank lines and CRLF line ends loads")
    func goodFileLoads() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            """
            # Binance testnet key of the grid bot\r
            \r

            API_KEY=\(KeysFixtures.apiKey)\r
            API_SECRET=\(KeysFixtures.secret)
            #API_PASSPHRASE=commented out
            \t
            """)
        let credentials = try Credentials.file(atPath: path)
        #expect(credentials.apiKey == KeysFixtures.apiKey)
        #expect(KeysFixtures.bytes(of: credentials.secret) == Array(KeysFixtures.secret.utf8))
        #expect(!credentials.hasPassphrase)
    }

    @Test("a passphrase, a value with '=' in it, and no final line break")
    func passphraseAndEqualsSign() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(
            "API_PASSPHRASE=\(KeysFixtures.passphrase)\nAPI_SECRET=c2VjcmV0==\nAPI_KEY=\(KeysFixtures.apiKey)",
            mode: 0o400)
        let credentials = try Credentials.file(atPath: path)
        #expect(KeysFixtures.bytes(of: credentials.secret) == Array("c2VjcmV0==".utf8))
        #expect(credentials.passphrase.map(KeysFixtures.bytes) == Array(KeysFixtures.passphrase.utf8))
    }

    @Test(
        "a file the group or others may access is refused with 'chmod 600'",
        arguments: ["0644", "0640", "0604", "0660", "0606", "0610", "0601", "0744", "0777", "0620"])
    func looseModeRefused(octal: String) throws {
        let mode = try #require(Int(octal, radix: 8))
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret, mode: mode)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
        #expect(error?.kind == .insecureFilePermissions)
        #expect(error?.path == path)
        #expect(error?.description.contains("chmod 600 \(path)") == true)
        #expect(error?.description.contains("mode \(octal)") == true)
    }

    @Test("owner-only modes load", arguments: ["0600", "0400", "0700", "0500"])
    func ownerOnlyModesLoad(octal: String) throws {
        let mode = try #require(Int(octal, radix: 8))
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret, mode: mode)
        #expect(try Credentials.file(atPath: path).apiKey == KeysFixtures.apiKey)
    }

    @Test("a bad file is refused with its line number, never its text:", arguments: BadCredentialsFile.all)
    func badFileRefused(file: BadCredentialsFile) throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(file.text)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
        guard let error else { return }
        #expect(error.kind == file.kind)
        #expect(error.line == file.line)
        #expect(error.path == path)
        #expect(error.description.contains(file.words), "\(error.description)")
        #expect(error.description.contains(path))
        if let line = file.line { #expect(error.description.contains("line \(line) of")) }
        for text in KeysFixtures.renderings(of: error) {
            #expect(!text.contains(BadCredentialsFile.marker))
            #expect(!text.contains(KeysFixtures.secret))
            #expect(!text.contains(KeysFixtures.apiKey))
        }
    }

    @Test("a missing file is refused, naming the path")
    func missingFile() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("absent")
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
        #expect(error?.kind == .unreadableFile)
        #expect(error?.description.contains(path) == true)
        #expect(error?.description.contains("does not exist") == true)
    }

    @Test("a directory, and a symbolic link to a directory, are refused as not regular files")
    func directoriesRefused() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let link = directory.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: directory.url.path)
        for path in [directory.url.path, link] {
            let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
            #expect(error?.kind == .notRegularFile)
            #expect(error?.description.contains("a directory") == true)
        }
    }

    @Test("a named pipe is refused at once, without waiting for a writer")
    func namedPipeRefused() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path("pipe")
        #expect(mkfifo(path, 0o600) == 0)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
        #expect(error?.kind == .notRegularFile)
    }

    @Test("a symbolic link to a private file is followed; the target's mode is what counts")
    func symlinkToFileFollowed() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let target = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret, named: "target")
        let link = directory.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        #expect(try Credentials.file(atPath: link).apiKey == KeysFixtures.apiKey)

        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: target)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: link) }
        #expect(error?.kind == .insecureFilePermissions)
    }

    @Test("a file over 64 KiB is refused; one of exactly 64 KiB is read")
    func sizeCap() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let content = BadCredentialsFile.key + BadCredentialsFile.secret
        let padding = Credentials.maximumFileSize - content.utf8.count - 2
        let exact = content + "#" + String(repeating: "x", count: padding) + "\n"
        #expect(exact.utf8.count == Credentials.maximumFileSize)
        let exactPath = try directory.write(exact, named: "exact")
        #expect(try Credentials.file(atPath: exactPath).apiKey == KeysFixtures.apiKey)

        let hugePath = try directory.write(exact + "#", named: "huge")
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: hugePath) }
        #expect(error?.kind == .fileTooLarge)
        #expect(error?.description.contains("64 KiB") == true)

        let megabytePath = try directory.write(Data(count: 1 << 20), named: "megabyte")
        #expect(throws: CredentialsError.self) { try Credentials.file(atPath: megabytePath) }
    }
}

/// Who owns the credentials file. Giving a file to another user needs root (CI runs the tests as
/// root); without it these tests are skipped, with the reason shown in the test report.
@Suite("Credentials files: the owner")
struct CredentialsFileOwnerTests {
    static let isRoot = geteuid() == 0
    static let skipReason: Comment = "needs root to give a file to another user (chown): skipped, not run as root"
    /// `nobody` on most systems; any uid other than root's and this process's will do.
    static let otherUser: uid_t = 65534

    static func owner(of path: String) -> uid_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_uid : nil
    }

    @Test("a file owned by this process's user loads")
    func ownFileLoads() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret)
        #expect(Self.owner(of: path) == geteuid())
        #expect(try Credentials.file(atPath: path).apiKey == KeysFixtures.apiKey)
    }

    @Test(
        "a file owned by another user is refused, whatever its mode, naming its owner and `chown`",
        .enabled(if: isRoot, skipReason), arguments: ["0600", "0400", "0644"])
    func otherUsersFileRefused(octal: String) throws {
        let mode = try #require(Int(octal, radix: 8))
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret, mode: mode)
        #expect(chown(path, Self.otherUser, Self.otherUser) == 0)
        #expect(Self.owner(of: path) == Self.otherUser)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
        #expect(error?.kind == .insecureFileOwner)
        #expect(error?.path == path)
        let text = error?.description ?? ""
        #expect(text.contains("is owned by"), "\(text)")
        #expect(text.contains("uid \(Self.otherUser)"), "\(text)")
        #expect(text.contains("uid 0"), "\(text)")
        #expect(text.contains("`chown root \(path)`"), "\(text)")
        for rendering in KeysFixtures.renderings(of: error) {
            #expect(!rendering.contains(KeysFixtures.secret))
            #expect(!rendering.contains(KeysFixtures.apiKey))
        }
    }

    @Test(
        "a symbolic link to another user's file is refused: the target's owner counts, not the link's",
        .enabled(if: isRoot, skipReason))
    func symlinkToOtherUsersFileRefused() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let target = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret, named: "target")
        #expect(chown(target, Self.otherUser, Self.otherUser) == 0)
        let link = directory.path("link")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: link) }
        #expect(error?.kind == .insecureFileOwner)

        // And the other way round: another user's link to a file of root's is fine.
        let own = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret, named: "own")
        let theirLink = directory.path("their-link")
        try FileManager.default.createSymbolicLink(atPath: theirLink, withDestinationPath: own)
        #expect(lchown(theirLink, Self.otherUser, Self.otherUser) == 0)
        #expect(try Credentials.file(atPath: theirLink).apiKey == KeysFixtures.apiKey)
    }

    @Test("a root-owned private file loads", .enabled(if: isRoot, skipReason))
    func rootsFileLoads() throws {
        let directory = try KeysTemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(BadCredentialsFile.key + BadCredentialsFile.secret)
        #expect(chown(path, 0, 0) == 0)
        #expect(Self.owner(of: path) == 0)
        #expect(try Credentials.file(atPath: path).apiKey == KeysFixtures.apiKey)
        // A root-owned file with a loose mode is still refused for its mode.
        #expect(chmod(path, 0o640) == 0)
        let error = #expect(throws: CredentialsError.self) { try Credentials.file(atPath: path) }
        #expect(error?.kind == .insecureFilePermissions)
    }
}
