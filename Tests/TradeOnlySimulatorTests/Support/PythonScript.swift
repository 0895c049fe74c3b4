import Foundation

/// The Python cross-check script (`python3 signed_request.py PORT KEY SECRET [binance|bybit]`): signs
/// requests with Python's own `hmac` module from the exchanges' documented rules, sharing nothing with
/// the Swift code. Kept here as text, written to a temporary file by the tests, because the package
/// manifest declares no resources for this test target (SwiftPM warns about undeclared files).
let pythonCrossCheckScript = #"""
    #!/usr/bin/env python3
    """Cross-check of the simulator's signature verification with Python's own hmac module.

    usage: python3 signed_request.py PORT KEY SECRET [binance|bybit]

    Sends one correctly signed request and one with a wrong signature to a tradeonly-sim on
    127.0.0.1:PORT, and prints one JSON line: {"good": [status, code], "bad": [status, code]}.
    The request is built from the exchange's documented rule, with nothing shared with the Swift code.
    """
    import hashlib
    import hmac
    import json
    import sys
    import urllib.error
    import urllib.parse
    import urllib.request


    def fetch(request):
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            body = error.read()
            try:
                return error.code, json.loads(body)
            except ValueError:
                return error.code, None


    def server_time(base, path, key):
        _, body = fetch(urllib.request.Request(base + path))
        return body["serverTime"] if key == "binance" else int(body["time"])


    def binance(base, api_key, secret):
        results = []
        for wrong in (False, True):
            timestamp = server_time(base, "/api/v3/time", "binance")
            query = urllib.parse.urlencode({"omitZeroBalances": "true", "recvWindow": "5000", "timestamp": timestamp})
            signature = hmac.new((secret + ("x" if wrong else "")).encode(), query.encode(), hashlib.sha256).hexdigest()
            request = urllib.request.Request(
                base + "/api/v3/account?" + query + "&signature=" + signature, headers={"X-MBX-APIKEY": api_key})
            status, body = fetch(request)
            results.append([status, (body or {}).get("code", 0) if isinstance(body, dict) else 0])
        return results


    def bybit(base, api_key, secret):
        results = []
        for wrong in (False, True):
            timestamp = str(server_time(base, "/v5/market/time", "bybit"))
            query = "accountType=UNIFIED"
            payload = timestamp + api_key + "5000" + query
            signature = hmac.new((secret + ("x" if wrong else "")).encode(), payload.encode(), hashlib.sha256).hexdigest()
            request = urllib.request.Request(
                base + "/v5/account/wallet-balance?" + query,
                headers={"X-BAPI-API-KEY": api_key, "X-BAPI-TIMESTAMP": timestamp, "X-BAPI-RECV-WINDOW": "5000",
                         "X-BAPI-SIGN": signature})
            status, body = fetch(request)
            results.append([status, body.get("retCode") if isinstance(body, dict) else None])
        return results


    def main():
        if len(sys.argv) < 4:
            print(__doc__, file=sys.stderr)
            return 2
        port, api_key, secret = sys.argv[1], sys.argv[2], sys.argv[3]
        exchange = sys.argv[4] if len(sys.argv) > 4 else "binance"
        base = "http://127.0.0.1:" + port
        good, bad = (bybit if exchange == "bybit" else binance)(base, api_key, secret)
        print(json.dumps({"good": good, "bad": bad}))
        return 0


    if __name__ == "__main__":
        sys.exit(main())
    """#
