/// What `--snapshots` (or a stream's `snapshots` keys) asks for.
public struct SnapshotRequest: Sendable, Equatable {
    /// Snapshots kept per stream when `keep` is not given in the daemon's configuration.
    public static let daemonDefaultKeep = 1000

    /// The folder the files are written to; it must exist and be writable.
    public var folder: String
    /// Newest files of this source kept in the folder (older ones of the same source are
    /// deleted); 0 keeps all.
    public var keep: Int
    /// Margin on each side of the face box, as a fraction of the box's width and height.
    public var margin: Float
    /// The source's part of the file names (reduced by `StreamName.reduced` when named); nil:
    /// made from the input's name.
    public var sourceName: String?

    /// A request for snapshots in `folder`.
    public init(folder: String, keep: Int = 0, margin: Float = 0.25, sourceName: String? = nil) {
        self.folder = folder
        self.keep = keep
        self.margin = margin
        self.sourceName = sourceName
    }
}
