/// A frame numbered after the source queue and selected for analysis.
struct AnalysisTicket<Frame: PipelineFrame>: Sendable {
    var sequence: Int
    var frame: Frame
}
