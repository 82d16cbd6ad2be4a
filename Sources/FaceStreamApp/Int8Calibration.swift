import Foundation

/// Static activation ranges for `--precision int8` (docs/int8.md): the largest value of each
/// channel of each ReLU output of one model over a set of photos, from `scripts/int8-calibrate`.
/// Where an int8 layer hands its output to the next as bytes, the byte's step is that value / 255.
///
/// Found in this order: a sidecar file next to the model (`MODEL.int8.json` for `MODEL.onnx`), then
/// the built-in table of the models FaceStream ships (`BuiltInCalibrations.swift`, by the model's
/// SHA-256). A model with neither runs int8 with per-run scales only.
public struct Int8Calibration: Sendable, Equatable {
    /// Where a calibration came from, for the run's summary line and `bench`.
    public enum Source: String, Sendable {
        case sidecar
        case builtIn = "built-in"
    }

    /// SHA-256 of the model file it was made for (lower-case hexadecimal).
    public let modelSHA256: String
    /// Number of photos it was computed over.
    public let photos: Int
    /// Largest value per channel, by ReLU output name. Only these values may be handed on as bytes.
    public let maxima: [String: [Float]]
    /// ReLU outputs the script left out because int8 fell below the accuracy bar with them
    /// (informative; the compiler only looks at `maxima`).
    public let dropped: [String]

    /// Limits on a calibration file: larger or longer ones are refused, not read.
    public static let maximumFileBytes = 4 << 20
    public static let maximumTensors = 4096
    public static let maximumChannels = 65536

    /// Reads a calibration from its JSON text. Throws a message (without the file's name) when it
    /// is not one, is over a limit, or holds a value that is negative, not finite or not a number.
    public init(json data: Data) throws(CalibrationError) {
        guard data.count <= Self.maximumFileBytes else {
            throw CalibrationError("larger than \(Self.maximumFileBytes >> 20) MiB")
        }
        let file: File
        do {
            file = try JSONDecoder().decode(File.self, from: data)
        } catch {
            throw CalibrationError(
                "not a FaceStream int8 calibration (JSON with format, version, model_sha256 and tensors)")
        }
        guard file.format == "facestream-int8-calibration" else {
            throw CalibrationError("its \"format\" is \(file.format), not facestream-int8-calibration")
        }
        guard file.version == 1 else { throw CalibrationError("calibration version \(file.version) is not 1") }
        let digest = file.modelSHA256
        guard digest.count == 64, digest.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
            throw CalibrationError("\"model_sha256\" must be 64 lower-case hexadecimal digits")
        }
        guard !file.tensors.isEmpty, file.tensors.count <= Self.maximumTensors else {
            throw CalibrationError("\"tensors\" must hold 1 to \(Self.maximumTensors) ReLU outputs")
        }
        var maxima: [String: [Float]] = [:]
        for (name, values) in file.tensors {
            guard !values.isEmpty, values.count <= Self.maximumChannels else {
                throw CalibrationError("tensor \"\(name)\" must list 1 to \(Self.maximumChannels) values")
            }
            guard values.allSatisfy({ $0 >= 0 && Float($0).isFinite }) else {
                throw CalibrationError("tensor \"\(name)\" holds a value below 0 or too large")
            }
            maxima[name] = values.map { Float($0) }
        }
        modelSHA256 = digest
        photos = max(0, file.photos ?? 0)
        dropped = Array((file.dropped ?? []).prefix(Self.maximumTensors))
        self.maxima = maxima
    }

    /// The file as `scripts/int8-calibrate` writes it (other keys are ignored).
    private struct File: Decodable {
        var format: String
        var version: Int
        var modelSHA256: String
        var photos: Int?
        var dropped: [String]?
        var tensors: [String: [Double]]

        enum CodingKeys: String, CodingKey {
            case format, version, photos, dropped, tensors
            case modelSHA256 = "model_sha256"
        }
    }

    /// What is wrong with a calibration file.
    public struct CalibrationError: Error, CustomStringConvertible, Sendable {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The sidecar path of a model: `MODEL.int8.json` next to `MODEL.onnx`.
    public static func sidecarPath(forModelAt path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingPathExtension().path + ".int8.json"
    }

    /// The calibration for the model at `path` whose file has SHA-256 `digest`: its sidecar when
    /// there is one, else the built-in one, else nil. A sidecar that cannot be read, is not a
    /// calibration or was made for another model is an error (one line naming the file and what
    /// to do), not silently skipped.
    public static func find(forModelAt path: String, sha256 digest: String?) throws(FaceStreamError) -> (
        calibration: Int8Calibration, source: Source
    )? {
        let sidecar = sidecarPath(forModelAt: path)
        if FileManager.default.fileExists(atPath: sidecar) {
            let fix = "make it again with scripts/int8-calibrate, or remove it to use the built-in calibration"
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: sidecar),
                let size = attributes[.size] as? Int, size <= maximumFileBytes,
                let data = FileManager.default.contents(atPath: sidecar)
            else {
                throw FaceStreamError(
                    .badModel,
                    "int8 calibration \(sidecar): cannot be read or is larger than \(maximumFileBytes >> 20) MiB; \(fix)"
                )
            }
            let calibration: Int8Calibration
            do {
                calibration = try Int8Calibration(json: data)
            } catch {
                throw FaceStreamError(.badModel, "int8 calibration \(sidecar): \(error); \(fix)")
            }
            guard calibration.modelSHA256 == digest else {
                throw FaceStreamError(
                    .badModel, "int8 calibration \(sidecar) was made for another model (SHA-256 differs); \(fix)")
            }
            return (calibration, .sidecar)
        }
        guard let digest, let text = builtIn[digest],
            let calibration = try? Int8Calibration(json: Data(text.utf8))
        else { return nil }
        return (calibration, .builtIn)
    }
}
