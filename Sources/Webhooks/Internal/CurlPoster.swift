internal import CCurl
import VideoCore

/// One libcurl easy handle that POSTs bodies to one URL, reused for every request of a webhook
/// output (keep-alive). Belongs to the output's delivery thread: every call comes from there.
///
/// Fixed at creation: http and https only, no redirects, no signals (threads), the per-attempt
/// timeout for connecting and for the whole transfer, the answer's body read up to
/// `WebhookLimits.maximumResponseBytes` and discarded, nothing printed by libcurl.
final class CurlPoster {
    /// The handle; freed in deinit with curl_easy_cleanup.
    private let handle: UnsafeMutableRawPointer
    /// libcurl's last error text (CURLOPT_ERRORBUFFER); must outlive the handle, freed after it.
    private let errorText: UnsafeMutablePointer<CChar>
    /// What the callbacks see: reached through an unretained pointer that stays valid because
    /// `self` holds the context for as long as the handle exists.
    private let context: TransferContext

    /// State the C callbacks read and write during `curl_easy_perform`, on the calling thread.
    final class TransferContext {
        var responseBytes = 0
        let stop: StopSignal

        init(stop: StopSignal) {
            self.stop = stop
        }
    }

    /// A handle for `url`, each attempt bounded by `timeout`, abandoned once `stop` fires. Requires
    /// a successful `ccurl_load` (`CurlLibrary.load()`); nil when libcurl cannot make a handle.
    init?(url: String, userAgent: String, timeout: Duration, stop: StopSignal) {
        guard let handle = ccurl_easy_init() else { return nil }
        self.handle = handle
        errorText = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorText.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        context = TransferContext(stop: stop)
        let milliseconds = max(1, Int(timeout.wholeMilliseconds))
        // Strings are copied by libcurl (CURLOPT_URL, _USERAGENT, _PROTOCOLS_STR); the error buffer
        // and the context are not, and live as long as the handle (see above).
        var settings: [CURLcode] = [
            ccurl_setopt_pointer(handle, CURLOPT_URL, url),
            ccurl_setopt_pointer(handle, CURLOPT_USERAGENT, userAgent),
            ccurl_setopt_pointer(handle, CURLOPT_PROTOCOLS_STR, "http,https"),
            ccurl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0),
            ccurl_setopt_long(handle, CURLOPT_NOSIGNAL, 1),
            ccurl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds),
            ccurl_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds),
            ccurl_setopt_long(handle, CURLOPT_POST, 1),
            ccurl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorText),
        ]
        let opaqueContext = Unmanaged.passUnretained(context).toOpaque()
        // Every byte of the answer's body comes here: counted, discarded, and the transfer ends
        // (CURLE_WRITE_ERROR) past the limit; the status line has been read by then.
        settings.append(
            ccurl_setopt_write_function(handle) { _, size, count, user in
                guard let user else { return 0 }
                let context = Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue()
                context.responseBytes += size * count
                return context.responseBytes > WebhookLimits.maximumResponseBytes ? 0 : size * count
            })
        settings.append(ccurl_setopt_pointer(handle, CURLOPT_WRITEDATA, opaqueContext))
        // Called about once a second (and on every transfer step): a non-zero result abandons the
        // transfer, which is how a stopping output ends an attempt before its timeout.
        settings.append(
            ccurl_setopt_progress_function(handle) { user, _, _, _, _ in
                guard let user else { return 0 }
                return Unmanaged<TransferContext>.fromOpaque(user).takeUnretainedValue().stop.isFired ? 1 : 0
            })
        settings.append(ccurl_setopt_pointer(handle, CURLOPT_XFERINFODATA, opaqueContext))
        settings.append(ccurl_setopt_long(handle, CURLOPT_NOPROGRESS, 0))
        // Every option above exists in libcurl 7.85 (checked by ccurl_load): a failure here is a
        // broken invariant, not bad input.
        precondition(settings.allSatisfy { $0 == CURLE_OK }, "libcurl refused a webhook handle option: \(settings)")
    }

    deinit {
        ccurl_easy_cleanup(handle)
        errorText.deallocate()
    }

    /// POSTs `body` with `headers` ("Name: value" each) and waits for the answer, at most the
    /// timeout (or until the stop signal fires).
    func post(_ body: [UInt8], headers: [String]) -> HTTPOutcome {
        var list: UnsafeMutablePointer<curl_slist>?
        // The list is copied into libcurl's nodes by curl_slist_append and freed after the transfer.
        defer { ccurl_slist_free_all(list) }
        // "Expect:" keeps libcurl from asking for 100-continue (receivers need not support it).
        for header in headers + ["Expect:"] {
            guard let longer = ccurl_slist_append(list, header) else { return .failedForGood("out of memory") }
            list = longer
        }
        context.responseBytes = 0
        errorText[0] = 0
        let code = body.withUnsafeBufferPointer { bytes -> CURLcode in
            // CURLOPT_POSTFIELDS is not copied: the body's memory is valid only inside this
            // closure, so the options pointing at it and the header list are set and used here.
            _ = ccurl_setopt_long(handle, CURLOPT_POSTFIELDSIZE, bytes.count)
            _ = ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, bytes.baseAddress)
            _ = ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
            let result = ccurl_easy_perform(handle)
            _ = ccurl_setopt_pointer(handle, CURLOPT_POSTFIELDS, nil)
            _ = ccurl_setopt_pointer(handle, CURLOPT_HTTPHEADER, nil)
            return result
        }
        var status = 0
        _ = ccurl_response_code(handle, &status)
        return classify(code, status: status)
    }

    private func classify(_ code: CURLcode, status: Int) -> HTTPOutcome {
        if code == CURLE_OK || (code == CURLE_WRITE_ERROR && status > 0) { return .answered(status: status) }
        let detail = errorText[0] != 0 ? String(cString: errorText) : String(cString: ccurl_easy_strerror(code))
        switch code {
        case CURLE_OPERATION_TIMEDOUT: return .timedOut
        case CURLE_ABORTED_BY_CALLBACK: return .cancelled
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CACERT_BADFILE, CURLE_OUT_OF_MEMORY:
            return .failedForGood(detail)
        default: return .connectionFailed(detail)
        }
    }
}

/// libcurl, opened once per process on first use.
enum CurlLibrary {
    /// Opens libcurl and initialises it (once); throws what is missing.
    static func load() throws(WebhookOutputError) {
        if let reason = ccurl_load() {
            throw WebhookOutputError(
                "webhooks need libcurl: \(String(cString: reason)); install the libcurl4 package (Debian)")
        }
    }
}
