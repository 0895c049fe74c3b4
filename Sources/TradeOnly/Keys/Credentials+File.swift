import TradeOnlyCrypto

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

extension Credentials {
    /// The largest credentials file TradeOnly reads: 64 KiB.
    public static let maximumFileSize = 64 * 1024

    /// Reads credentials from a private file of `KEY=VALUE` lines.
    ///
    /// ```
    /// # Binance testnet key of the grid bot
    /// API_KEY=vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A
    /// API_SECRET=NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j
    /// ```
    ///
    /// The keys are `API_KEY`, `API_SECRET` and the optional `API_PASSPHRASE`, each at most once. Lines
    /// starting with `#` and blank lines are ignored; a line may end in `\r\n`. Values are taken
    /// literally: a value with a space around it, or wrapped in quotes, is refused rather than
    /// silently trimmed.
    ///
    /// Like OpenSSH with its configuration and key files, this refuses a file owned by anyone but
    /// the user this process runs as (its effective user) or root (another user could rewrite it:
    /// `chown` fixes it), a file that its group or others may read, write or execute (`chmod 600`
    /// fixes it), anything but a regular file (a symbolic link is followed and its target must be a
    /// regular file, owned and protected as above), and a file larger than ``maximumFileSize``. The
    /// checks are made on the opened file itself (`fstat` on the descriptor that is then read), so
    /// the file cannot be swapped between the check and the read.
    ///
    /// - Parameter path: The file's path.
    /// - Returns: The credentials.
    /// - Throws: ``CredentialsError`` naming the path, and the line number for a bad line. The error
    ///   never contains the text of a line.
    public static func file(atPath path: String) throws -> Credentials {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            let reason = code == ENOENT ? "does not exist" : "cannot be opened (\(errorText(code)))"
            throw CredentialsError(
                .unreadableFile, path: path,
                message: "the credentials file \(path) \(reason): check the path and that this process may read it")
        }
        defer { close(descriptor) }

        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            throw CredentialsError(
                .unreadableFile, path: path,
                message: "the credentials file \(path) cannot be examined (\(errorText(code)))")
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw CredentialsError(
                .notRegularFile, path: path,
                message: "\(path) is not a regular file (it is \(fileTypeName(info.st_mode))): "
                    + "point to the credentials file itself")
        }
        let owner = info.st_uid
        let user = geteuid()
        guard owner == user || owner == 0 else {
            let ownerText = userDescription(owner)
            let userText = userDescription(user)
            let account = userName(user) ?? String(user)
            throw CredentialsError(
                .insecureFileOwner, path: path,
                message: "the credentials file \(path) is owned by \(ownerText), not by \(userText), the user this "
                    + "process runs as (or root): its owner can read it and change the keys this process uses; make it yours with "
                    + "`chown \(account) \(path)` (as root), or copy it into a new file of your own and `chmod 600` that")
        }
        let mode = UInt32(info.st_mode) & 0o777
        guard mode & 0o077 == 0 else {
            var octal = String(mode, radix: 8)
            while octal.count < 4 { octal = "0" + octal }
            throw CredentialsError(
                .insecureFilePermissions, path: path,
                message: "the credentials file \(path) is accessible by its group or by others (mode \(octal)); "
                    + "it must be private to its owner: run `chmod 600 \(path)`")
        }
        guard Int(info.st_size) <= maximumFileSize else {
            throw tooLarge(path)
        }

        // One byte more than the limit, to notice a file that grew since fstat.
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: maximumFileSize + 1, alignment: 1)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        defer {
            secureZero(buffer)
            buffer.deallocate()
        }
        var length = 0
        while length < buffer.count {
            guard let base = buffer.baseAddress else { break }
            let count = read(descriptor, base + length, buffer.count - length)
            if count == 0 { break }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw CredentialsError(
                    .unreadableFile, path: path,
                    message: "the credentials file \(path) cannot be read (\(errorText(code)))")
            }
            length += count
        }
        guard length <= maximumFileSize else { throw tooLarge(path) }
        return try parse(UnsafeRawBufferPointer(rebasing: buffer[0..<length]), path: path)
    }

    private static func tooLarge(_ path: String) -> CredentialsError {
        CredentialsError(
            .fileTooLarge, path: path,
            message: "the credentials file \(path) is larger than \(maximumFileSize / 1024) KiB: "
                + "it should hold only API_KEY, API_SECRET and API_PASSPHRASE lines")
    }

    /// `name (uid N)`, or `uid N` when the user database has no name for it.
    private static func userDescription(_ uid: uid_t) -> String {
        userName(uid).map { "\($0) (uid \(uid))" } ?? "uid \(uid)"
    }

    /// The login name of `uid` from the user database, read with the thread-safe `getpwuid_r`.
    private static func userName(_ uid: uid_t) -> String? {
        var size = 1024
        while size <= 1 << 20 {
            var buffer = [CChar](repeating: 0, count: size)
            // The entry's strings point into `buffer`: read them while it is held.
            let outcome: (code: Int32, name: String?) = buffer.withUnsafeMutableBufferPointer { storage in
                guard let base = storage.baseAddress else { return (EINVAL, nil) }
                var entry = passwd()
                var result: UnsafeMutablePointer<passwd>?
                let code = getpwuid_r(uid, &entry, base, storage.count, &result)
                guard code == 0, result != nil, let name = entry.pw_name else { return (code, nil) }
                return (code, String(cString: name))
            }
            if outcome.code == ERANGE {
                size *= 4
                continue
            }
            guard let name = outcome.name, !name.isEmpty else { return nil }
            return name
        }
        return nil
    }

    private static func errorText(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text)
    }

    private static func fileTypeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a named pipe"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    /// Parses `KEY=VALUE` lines without ever making a `String` of the secret or passphrase.
    static func parse(_ bytes: UnsafeRawBufferPointer, path: String) throws -> Credentials {
        let knownKeys = ["API_KEY", "API_SECRET", "API_PASSPHRASE"]
        var values: [String: (value: Range<Int>, line: Int)] = [:]
        let newline = UInt8(ascii: "\n")
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        var lineStart = 0
        var lineNumber = 0
        while lineStart < bytes.count {
            lineNumber += 1
            let lineEnd = bytes[lineStart...].firstIndex(of: newline) ?? bytes.count
            defer { lineStart = lineEnd + 1 }
            var end = lineEnd
            if end > lineStart, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = lineStart..<end
            if bytes[line].allSatisfy(blank) || bytes[lineStart] == UInt8(ascii: "#") {
                continue
            }
            let place = "line \(lineNumber) of \(path)"
            guard let equals = bytes[line].firstIndex(of: UInt8(ascii: "=")) else {
                throw CredentialsError(
                    .malformedFile, path: path, line: lineNumber,
                    message: "\(place) is not a comment, a blank line or a KEY=VALUE entry "
                        + "(the line is not shown in case it holds a secret)")
            }
            // Compared as bytes: the text before '=' may be a secret pasted by mistake.
            let keyBytes = bytes[lineStart..<equals]
            guard let key = knownKeys.first(where: { $0.utf8.elementsEqual(keyBytes) }) else {
                let trimmedStart = keyBytes.firstIndex(where: { !blank($0) }) ?? keyBytes.endIndex
                let trimmedEnd = keyBytes.lastIndex(where: { !blank($0) }).map { $0 + 1 } ?? trimmedStart
                let trimmedBytes = bytes[trimmedStart..<max(trimmedStart, trimmedEnd)]
                if let trimmed = knownKeys.first(where: { $0.utf8.elementsEqual(trimmedBytes) }) {
                    throw CredentialsError(
                        .malformedFile, field: trimmed, path: path, line: lineNumber,
                        message: "\(place) has white space around the key \(trimmed): write \(trimmed)=value, "
                            + "with nothing before the key or around the '='")
                }
                throw CredentialsError(
                    .malformedFile, path: path, line: lineNumber,
                    message: "\(place) has an unknown key (the key is not shown in case the line holds a secret): "
                        + "the keys are API_KEY, API_SECRET and API_PASSPHRASE")
            }
            if let first = values[key] {
                throw CredentialsError(
                    .malformedFile, field: key, path: path, line: lineNumber,
                    message: "\(place) sets \(key) again (first set on line \(first.line)): keep exactly one \(key) line")
            }
            let value = (equals + 1)..<end
            if let first = value.first, let last = value.last {
                if blank(bytes[first]) || blank(bytes[last]) {
                    throw CredentialsError(
                        .invalidCharacters, field: key, path: path, line: lineNumber,
                        message: "the value of \(key) on \(place) has white space before or after it: "
                            + "values are not trimmed; remove the white space")
                }
                let quotes: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "'")]
                if value.count >= 2, quotes.contains(bytes[first]), bytes[first] == bytes[last] {
                    throw CredentialsError(
                        .malformedFile, field: key, path: path, line: lineNumber,
                        message: "the value of \(key) on \(place) is wrapped in quotes: "
                            + "values are taken literally; remove the quotes")
                }
            }
            try Credentials.validate(
                UnsafeRawBufferPointer(rebasing: bytes[value]), field: key, path: path, line: lineNumber)
            values[key] = (value, lineNumber)
        }

        func required(_ key: String) throws -> UnsafeRawBufferPointer {
            guard let entry = values[key] else {
                throw CredentialsError(
                    .missingValue, field: key, path: path,
                    message: "the credentials file \(path) has no \(key) line: add \(key)=<value>")
            }
            return UnsafeRawBufferPointer(rebasing: bytes[entry.value])
        }
        let apiKey = String(decoding: try required("API_KEY"), as: UTF8.self)
        let secret = Secret(copying: try required("API_SECRET"))
        let passphrase = values["API_PASSPHRASE"].map { Secret(copying: UnsafeRawBufferPointer(rebasing: bytes[$0.value])) }
        let names = FieldNames(apiKey: "API_KEY", secret: "API_SECRET", passphrase: "API_PASSPHRASE", path: path)
        return try Credentials(apiKey: apiKey, secret: secret, passphrase: passphrase, names: names)
    }
}
