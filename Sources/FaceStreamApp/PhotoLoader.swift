import FFmpegMedia
import Foundation
import JPEGCodec
import VideoCore

/// Reads one photo into RGB: JPEG with libjpeg-turbo (bit-identical to the reference decoder),
/// everything else with FFmpeg's image decoders. Errors are one line naming the reason; the caller
/// adds the input name.
public struct PhotoLoader: Sendable {
    /// Refuse files above this size before reading them (a photo is never this big).
    public static let maximumFileBytes = 512 << 20

    public init() {}

    public func load(path: String) throws(FaceStreamError) -> RGBImage {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw FaceStreamError(.missingInput, "no such file")
        }
        guard !isDirectory.boolValue else { throw FaceStreamError(.missingInput, "is a directory, not a photo") }
        let bytes: [UInt8]
        do {
            let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            let size = try handle.seekToEnd()
            guard size <= UInt64(Self.maximumFileBytes) else {
                throw FaceStreamError(.missingInput, "file is \(size) bytes, too large for a photo")
            }
            try handle.seek(toOffset: 0)
            bytes = [UInt8](try handle.readToEnd() ?? Data())
        } catch let error as FaceStreamError {
            throw error
        } catch {
            throw FaceStreamError(.missingInput, "cannot read: \(Self.reason(error))")
        }
        guard !bytes.isEmpty else { throw FaceStreamError(.missingInput, "empty file") }
        if bytes.count >= 3, bytes[0] == 0xFF, bytes[1] == 0xD8, bytes[2] == 0xFF {
            do {
                return try JPEGDecoder.decode(bytes)
            } catch {
                throw FaceStreamError(.missingInput, Self.explain(error))
            }
        }
        do {
            return try FFmpegImageDecoder.decode(contentsOf: path)
        } catch {
            throw FaceStreamError(.missingInput, Self.explain(error))
        }
    }

    /// One line a user can act on, with the decoder's own words in brackets.
    static func explain(_ error: ImageDecodingError) -> String {
        switch error.code {
        case .emptyInput: "empty file"
        case .corruptData:
            "damaged or truncated JPEG (libjpeg: \(error.message)); the file is incomplete, copy it again"
        case .malformed: "not a valid JPEG (libjpeg: \(error.message))"
        case .tooLarge: "JPEG too large to decode (\(error.message))"
        case .unsupportedColorSpace: "JPEG colour space not supported (\(error.message))"
        case .encodingFailed: "JPEG encoding failed (\(error.message))"
        }
    }

    static func explain(_ error: FFmpegError) -> String {
        switch error.kind {
        case .invalidData, .noPicture, .unsupported:
            "not an image FaceStream can read (FFmpeg: \(error.message)); use JPEG, PNG or another format FFmpeg decodes"
        case .cannotOpen: "cannot open (\(error.message))"
        case .unavailable: error.message
        default: "cannot decode (FFmpeg: \(error.message))"
        }
    }

    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
