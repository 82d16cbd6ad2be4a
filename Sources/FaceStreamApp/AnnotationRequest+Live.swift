import DetectionSinks

extension AnnotationRequest {
    /// The request for one input: the lookahead's default filled in (0.5 s for files, none for
    /// live sources) and fail-closed kept for live sources only (a file waits for its detector,
    /// so its frames never pass unanalysed because the detector fell behind).
    func resolved(live: Bool) -> AnnotationRequest {
        var request = self
        if request.hiding.lookahead == nil {
            request.hiding.lookahead = live ? .zero : .milliseconds(Int(HidingOptions.defaultFileLookahead * 1000))
        }
        if !live { request.hiding.failClosedAfter = nil }
        return request
    }
}
