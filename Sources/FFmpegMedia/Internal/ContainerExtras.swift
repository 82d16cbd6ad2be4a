internal import CFFmpeg

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// What a copy keeps of its source file besides streams: the chapters and the file's tags.
enum ContainerExtras {
    /// Most chapters copied (a hostile file may declare any number).
    static let chapterLimit = 1_000
    /// File tags written by the muxer itself, not copied.
    static let ownTags = ["encoder", "major_brand", "minor_version", "compatible_brands"]

    /// Copies `demuxer`'s chapters and tags into `muxer` (before its header is written). Best
    /// effort: memory that cannot be had leaves the extras out, never the video.
    static func copy(from demuxer: FormatContext, to muxer: MuxerContext) {
        let source = demuxer.pointer
        let target = muxer.pointer
        av_dict_copy(&target.pointee.metadata, source.pointee.metadata, 0)
        for key in ownTags { av_dict_set(&target.pointee.metadata, key, nil, 0) }
        copyChapters(from: source, to: target)
    }

    /// The output's chapter array and each chapter are av_malloc'ed, zeroed and owned by the output
    /// context from the moment they are stored in it: `avformat_free_context` frees them (and
    /// their tags). Only the fields the muxers read are set.
    private static func copyChapters(
        from source: UnsafeMutablePointer<AVFormatContext>, to target: UnsafeMutablePointer<AVFormatContext>
    ) {
        let count = min(Int(source.pointee.nb_chapters), chapterLimit)
        guard count > 0, target.pointee.nb_chapters == 0, let chapters = source.pointee.chapters else { return }
        let bytes = count * MemoryLayout<UnsafeMutablePointer<AVChapter>?>.stride
        guard let raw = av_malloc(bytes) else { return }
        memset(raw, 0, bytes)
        let array = raw.bindMemory(to: UnsafeMutablePointer<AVChapter>?.self, capacity: count)
        target.pointee.chapters = array
        for index in 0..<count {
            guard let original = chapters[index], let memory = av_malloc(MemoryLayout<AVChapter>.size) else { break }
            memset(memory, 0, MemoryLayout<AVChapter>.size)
            let chapter = memory.bindMemory(to: AVChapter.self, capacity: 1)
            chapter.pointee.id = original.pointee.id
            chapter.pointee.time_base = original.pointee.time_base
            chapter.pointee.start = original.pointee.start
            chapter.pointee.end = original.pointee.end
            av_dict_copy(&chapter.pointee.metadata, original.pointee.metadata, 0)
            array[index] = chapter
            target.pointee.nb_chapters = UInt32(index + 1)
        }
    }
}
