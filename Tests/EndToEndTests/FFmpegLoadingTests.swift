import Foundation
import TestSupport
import Testing

/// FFmpeg is opened at run time, only for inputs that need it (videos, streams, non-JPEG pictures):
/// the dynamic loader's own trace (`LD_DEBUG=files`, glibc) shows what the real binary loads, and
/// `FACESTREAM_FFMPEG_DIR` pointing at an empty folder makes the real dlopen fail.
@Suite struct FFmpegLoadingTests {
    static let photo = SharedData.images.appendingPathComponent("imgs/13.jpg").path

    /// One shared object the loader opened: its name and whether the program asked for it (dlopen)
    /// rather than the executable's dependency list.
    struct LoadedLibrary: Equatable {
        var name: String
        var dynamicallyLoaded: Bool
    }

    /// Libraries in the loader's trace (`file=libx.so.1 [0];  needed by ...` or `... dynamically loaded by ...`).
    static func loadedLibraries(_ trace: String) -> [LoadedLibrary] {
        trace.split(separator: "\n").compactMap { line -> LoadedLibrary? in
            guard let start = line.range(of: "file="),
                let end = line.range(of: " [", range: start.upperBound..<line.endIndex)
            else { return nil }
            let name = String(line[start.upperBound..<end.lowerBound])
            if line.contains("dynamically loaded by") { return LoadedLibrary(name: name, dynamicallyLoaded: true) }
            if line.contains("needed by") { return LoadedLibrary(name: name, dynamicallyLoaded: false) }
            return nil  // the same library's "generating link map" line
        }
    }

    /// Paths of the initialisers the loader ran (`calling init: /usr/lib/.../libavformat.so.59`).
    static func initialisedPaths(_ trace: String) -> [String] {
        trace.split(separator: "\n").compactMap { line in
            line.range(of: "calling init: ").map { String(line[$0.upperBound...]) }
        }
    }

    /// stderr without the loader's trace lines (which start with the process id and a tab).
    static func messages(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { !$0.contains("\t") }
    }

    static func isFFmpeg(_ name: String) -> Bool {
        let file = name.split(separator: "/").last.map(String.init) ?? name
        return file.hasPrefix("libavformat") || file.hasPrefix("libavcodec") || file.hasPrefix("libavutil")
            || file.hasPrefix("libswscale")
    }

    @Test func aJPEGPhotoRunNeverLoadsFFmpeg() throws {
        let result = try FaceStreamBinary.run(["detect", Self.photo], environment: ["LD_DEBUG": "files"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 1)
        let libraries = Self.loadedLibraries(result.stderr)
        // The trace is there (libjpeg decodes the photo), and names no FFmpeg library.
        #expect(libraries.contains { $0.name.hasPrefix("libjpeg.so") && !$0.dynamicallyLoaded })
        #expect(!libraries.contains { Self.isFFmpeg($0.name) }, "\(libraries.map(\.name))")
    }

    @Test func aVideoRunOpensFFmpegWithDlopenAndTheFolderVariableFindsIt() throws {
        let dir = try ProcessRunner.temporaryDirectory("ffmpeg-loading")
        defer { try? FileManager.default.removeItem(at: dir) }
        let clip = try VideoFixtures.make("clip.avi", in: dir, codec: VideoFixtures.mjpeg)
        let result = try FaceStreamBinary.run(["detect", clip], environment: ["LD_DEBUG": "files"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n").count == 20)
        let libraries = Self.loadedLibraries(result.stderr)
        let formats = libraries.filter { $0.name.hasPrefix("libavformat.so.") }
        try #require(formats.count == 1, "\(libraries.map(\.name))")
        #expect(formats[0].dynamicallyLoaded)

        // The folder the loader found libavformat in, given explicitly, works the same.
        let path = try #require(Self.initialisedPaths(result.stderr).first { $0.contains("/libavformat.so.") })
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let again = try FaceStreamBinary.run(["detect", clip], environment: ["FACESTREAM_FFMPEG_DIR": folder])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stdout == result.stdout)
    }

    @Test func aMissingFFmpegIsOneErrorLinePerInputAndJPEGStillWorks() throws {
        let dir = try ProcessRunner.temporaryDirectory("ffmpeg-missing")
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("photo.png").path
        try VideoFixtures.ffmpeg(["-i", Self.photo, png])
        let clip = try VideoFixtures.make("clip.avi", in: dir, codec: VideoFixtures.mjpeg)
        let empty = dir.appendingPathComponent("no-ffmpeg").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)

        let result = try FaceStreamBinary.run(
            ["detect", png, Self.photo, clip], environment: ["FACESTREAM_FFMPEG_DIR": empty])
        #expect(result.status == 1, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].contains(#""source":"\#(Self.photo)""#))
        let errors = Self.messages(result.stderr)
        try #require(errors.count == 2, "\(result.stderr)")
        for (error, input) in zip(errors, [png, clip]) {
            #expect(error.contains(input))
            #expect(error.contains("\(empty)/libavutil.so.") && error.contains("cannot open shared object file"))
            #expect(error.contains("apt-get install libavformat") && error.contains("apt-get install ffmpeg"))
        }
    }
}
