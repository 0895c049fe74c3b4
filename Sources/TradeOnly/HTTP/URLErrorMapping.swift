#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Maps URLSession's errors to ``HTTPTransportError``s, deciding whether the request may have been sent.
///
/// When the code does not prove that nothing was sent, the answer is "may have been sent": for an
/// order, wrongly assuming "not sent" could place it twice.
enum URLErrorMapping {
    static func transportError(for error: any Error, request: HTTPRequest, timeout: Duration) -> HTTPTransportError {
        let code: URLError.Code
        if let urlError = error as? URLError {
            code = urlError.code
        } else {
            let nsError = error as NSError
            // Failable on Linux, not on Apple platforms: the annotation makes both compile.
            let bridged: URLError.Code? = URLError.Code(rawValue: nsError.code)
            guard nsError.domain == NSURLErrorDomain, let bridged else {
                return HTTPTransportError(
                    kind: .other, requestMayHaveBeenSent: true, request: request,
                    reason: "unexpected error from URLSession (\(nsError.domain) \(nsError.code))")
            }
            code = bridged
        }
        return transportError(for: code, request: request, timeout: timeout)
    }

    static func transportError(for code: URLError.Code, request: HTTPRequest, timeout: Duration) -> HTTPTransportError {
        let (kind, mayHaveBeenSent, reason) = classify(code, timeout: timeout)
        return HTTPTransportError(
            kind: kind, requestMayHaveBeenSent: mayHaveBeenSent, request: request, reason: reason,
            urlErrorCode: code.rawValue)
    }

    private static func classify(_ code: URLError.Code, timeout: Duration) -> (HTTPTransportError.Kind, Bool, String) {
        switch code {
        case .timedOut:
            return (.timedOut, true, "no complete response within \(timeout)")
        case .cannotConnectToHost:
            return (.cannotConnect, false, "the connection was refused")
        case .cannotFindHost, .dnsLookupFailed:
            return (.cannotConnect, false, "the host name could not be resolved")
        case .notConnectedToInternet, .internationalRoamingOff, .dataNotAllowed, .callIsActive:
            return (.cannotConnect, false, "no network connection")
        case .networkConnectionLost:
            return (.connectionLost, true, "the connection was lost before the response was complete")
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected,
            .clientCertificateRequired:
            return (.secureConnectionFailed, false, "the TLS handshake failed")
        case .appTransportSecurityRequiresSecureConnection:
            return (.insecureURL, false, "the platform requires a secure connection")
        case .badURL, .unsupportedURL:
            return (.invalidRequest, false, "URLSession refused the URL")
        case .badServerResponse, .cannotParseResponse, .cannotDecodeRawData, .cannotDecodeContentData,
            .zeroByteResource:
            return (.invalidResponse, true, "the server's answer was not a valid HTTP response")
        case .dataLengthExceedsMaximum:
            return (.responseTooLarge, true, "the response is too large")
        case .cancelled:
            return (.cancelled, true, "the request was cancelled")
        case .httpTooManyRedirects, .redirectToNonExistentLocation:
            return (.other, true, "redirect error")
        default:
            return (.other, true, "URLSession failed")
        }
    }
}
