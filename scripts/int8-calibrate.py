#!/usr/bin/env python3
"""int8 calibration: per-channel largest values of an UltraFace model's ReLU outputs.

Runs ONNX Runtime (float32) on every JPEG of --photos, preprocessed as UltraFace expects (resized
to the model's input, (x - 127) / 128, RGB, NCHW), with every ReLU output made a graph output, and
keeps for each ReLU output and channel the largest value seen. `facestream --precision int8`
turns these into static scales (value / 255 per step, zero point 0: a ReLU output is never below
0) where a layer hands bytes to the next (docs/int8.md). The file names the model's SHA-256, so
that it is never applied to another model.

Then it checks the result with FaceStream itself (--binary, built if missing): `detect
--precision int8` with the calibration against `detect` in fp32 on the same photos, matched as
`scripts/bench-int8` does (score > 0.7, IoU >= 0.5). If precision or recall falls below 0.98 or
the mean IoU below 0.95 (issue 15's bar), it drops the inputs of the score and box heads'
depthwise convolutions and checks again, then also the depthwise convolutions' outputs (whose
links use one step for a whole tensor); if that fails too, it writes no calibration. The file
records what it dropped and the agreement it measured.

    int8-calibrate.py MODEL.onnx --photos DIR [--out FILE] [--binary PATH]
    int8-calibrate.py --builtin [--shared DIR] [--binary PATH]
"""
import argparse
import glob
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

ort.set_default_logger_severity(3)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Benchmarks"))
from ort_int8 import compare_boxes  # noqa: E402
BUILTIN_MODELS = ["version-RFB-320", "version-slim-320", "version-RFB-640"]
GENERATED = os.path.join(ROOT, "Sources", "FaceStreamApp", "BuiltInCalibrations.swift")


def photo_tensor(path, width, height):
    image = Image.open(path).convert("RGB").resize((width, height), Image.BILINEAR)
    x = (np.asarray(image, dtype=np.float32) - 127.0) / 128.0
    return x.transpose(2, 0, 1)[None].copy()


def calibrate(model_path, photos):
    with open(model_path, "rb") as handle:
        digest = hashlib.sha256(handle.read()).hexdigest()
    model = onnx.load(model_path)
    # Initializers listed as graph inputs (the shipped files do this) would be feedable; drop them.
    names = {i.name for i in model.graph.initializer}
    kept = [i for i in model.graph.input if i.name not in names]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    relus = [node.output[0] for node in model.graph.node if node.op_type == "Relu"]
    del model.graph.output[:]
    for name in relus:
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "relu-outputs.onnx")
        onnx.save(model, path)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    feed = session.get_inputs()[0]
    height, width = feed.shape[2], feed.shape[3]
    largest = None
    for photo in photos:
        values = session.run(relus, {feed.name: photo_tensor(photo, width, height)})
        maxima = [v.max(axis=(0, 2, 3)) for v in values]
        largest = maxima if largest is None else [np.maximum(a, b) for a, b in zip(largest, maxima)]
    tensors = {name: [float("%.4g" % v) for v in values] for name, values in zip(relus, largest)}
    return {
        "format": "facestream-int8-calibration",
        "version": 1,
        "model": os.path.basename(model_path),
        "model_sha256": digest,
        "photos": len(photos),
        "statistic": "largest value per channel of each ReLU output",
        "tensors": tensors,
    }


def depthwise_outputs(model_path):
    """ReLU outputs whose value a grouped (depthwise) convolution computes."""
    graph = onnx.load(model_path).graph
    producer = {out: node for node in graph.node for out in node.output}
    names = []
    for node in graph.node:
        if node.op_type != "Relu":
            continue
        source = producer.get(node.input[0])
        if source is not None and source.op_type == "BatchNormalization":
            source = producer.get(source.input[0])
        groups = [a.i for a in source.attribute if a.name == "group"] if source is not None else []
        if source is not None and source.op_type == "Conv" and groups and groups[0] > 1:
            names.append(node.output[0])
    return names


def head_inputs(model_path):
    """Values read by the depthwise convolutions of the score and box heads: those whose ReLU
    output a convolution reads that is followed by neither a ReLU, BatchNormalization, Concat nor
    Add (a head's last 1x1, whose output goes to the box decoding)."""
    graph = onnx.load(model_path).graph
    readers = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)
    body = {"Relu", "BatchNormalization", "Concat", "Add"}

    def is_head(conv):
        follow = readers.get(conv.output[0], [])
        return bool(follow) and not any(n.op_type in body for n in follow)

    names = set()
    for node in graph.node:
        groups = [a.i for a in node.attribute if a.name == "group"]
        if node.op_type != "Conv" or not groups or groups[0] == 1:
            continue
        value = node.output[0]
        for after in readers.get(value, []):
            if after.op_type == "BatchNormalization":
                value = after.output[0]
        for relu in (n for n in readers.get(value, []) if n.op_type == "Relu"):
            if any(n.op_type == "Conv" and is_head(n) for n in readers.get(relu.output[0], [])):
                names.add(node.input[0])
    return sorted(names)


def agreement(binary, model_path, calibration, photos):
    """FaceStream int8 with `calibration` (as a sidecar beside a copy of the model) against fp32."""
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, os.path.basename(model_path))
        shutil.copy(model_path, model)
        with open(os.path.splitext(model)[0] + ".int8.json", "w") as handle:
            json.dump(calibration, handle)
        runs = []
        for extra in ([], ["--precision", "int8"]):
            result = subprocess.run([binary, "detect", "--model", model] + extra + photos,
                                    capture_output=True, text=True, check=True)
            runs.append([json.loads(line) for line in result.stdout.splitlines()])
        return compare_boxes([[f["box"] for f in r["faces"]] for r in runs[0]],
                             [[f["box"] for f in r["faces"]] for r in runs[1]])


def meets_bar(result):
    return result["precision"] >= 0.98 and result["recall"] >= 0.98 and result["mean_iou"] >= 0.95


def checked(binary, model_path, result, photos):
    """`result` as it meets the accuracy bar: whole, without the heads' inputs, without those and
    the depthwise outputs, or None."""
    heads = head_inputs(model_path)
    stages = [("all", []), ("without the heads' inputs", heads),
              ("without the heads' inputs and the depthwise outputs", heads + depthwise_outputs(model_path))]
    for label, names in stages:
        dropped = sorted({name for name in names if name in result["tensors"]})
        trial = dict(result, tensors={k: v for k, v in result["tensors"].items() if k not in dropped})
        measured = agreement(binary, model_path, trial, photos)
        print(f"  {label} ({len(trial['tensors'])} ReLU outputs): {measured}")
        if meets_bar(measured):
            return dict(trial, agreement=measured, dropped=dropped)
    print("  below the bar at every stage: no calibration")
    return None


def photos_in(directory):
    photos = sorted(glob.glob(os.path.join(directory, "*.jpg")))
    if not photos:
        sys.exit(f"int8-calibrate: no .jpg photos in {directory}")
    return photos


def wrapped_json(result, width=100):
    """The calibration as JSON lines of at most about `width` characters (for the Swift source)."""
    head = {k: v for k, v in result.items() if k != "tensors"}
    lines = ["{"]
    for key, value in head.items():
        line = json.dumps(key) + ":" + json.dumps(value, separators=(",", ":")) + ","
        if len(line) > width and isinstance(value, list):
            lines.append(json.dumps(key) + ":[")
            items = [json.dumps(v) for v in value]
            for start in range(0, len(items), 8):
                lines.append(",".join(items[start:start + 8]) + ("," if start + 8 < len(items) else ""))
            lines.append("],")
        else:
            lines.append(line)
    lines.append('"tensors":{')
    names = list(result["tensors"])
    for index, name in enumerate(names):
        line = json.dumps(name) + ":["
        values = [json.dumps(v) for v in result["tensors"][name]]
        for k, value in enumerate(values):
            piece = value + ("," if k + 1 < len(values) else "]")
            if len(line) + len(piece) > width:
                lines.append(line)
                line = ""
            line += piece
        lines.append(line + ("," if index + 1 < len(names) else ""))
    lines.append("}}")
    return lines


def write_builtin(shared, binary):
    photos = photos_in(os.path.join(shared, "images", "imgs"))
    lines = [
        "// Generated by scripts/int8-calibrate --builtin; do not edit. Each entry is the sidecar file",
        "// that script writes (docs/int8.md) for one model, keyed by the model file's SHA-256.",
        "",
        "extension Int8Calibration {",
        "    /// The calibrations of the models FaceStream ships, by the model file's SHA-256.",
        "    static let builtIn: [String: String] = [",
    ]
    for name in BUILTIN_MODELS:
        path = os.path.join(shared, "models", name + ".onnx")
        print(f"{name}:")
        result = checked(binary, path, calibrate(path, photos), photos)
        if result is None:
            continue
        lines.append(f'        "{result["model_sha256"]}":  // {name}.onnx, {len(photos)} photos')
        # The layout `swift format` keeps: the opening delimiter under the key, the text and the
        # closing delimiter at the key's indentation.
        lines.append('            #"""')
        lines += ["        " + line for line in wrapped_json(result)]
        lines.append('        """#,')
        print(f"{name}: {len(result['tensors'])} ReLU outputs, {sum(len(v) for v in result['tensors'].values())} channels")
    lines += ["    ]", "}", ""]
    with open(GENERATED, "w") as handle:
        handle.write("\n".join(lines))
    print(f"wrote {os.path.relpath(GENERATED, ROOT)}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?")
    parser.add_argument("--photos")
    parser.add_argument("--out")
    parser.add_argument("--builtin", action="store_true")
    parser.add_argument("--shared", default=os.environ.get("FACESTREAM_SHARED", os.path.join(ROOT, "..", "shared")))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "facestream"))
    args = parser.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "facestream"], cwd=ROOT, check=True)
    if args.builtin:
        write_builtin(args.shared, args.binary)
        return
    if not args.model or not args.photos:
        parser.error("give MODEL.onnx and --photos DIR, or --builtin")
    photos = photos_in(args.photos)
    print(f"{os.path.basename(args.model)}:")
    result = checked(args.binary, args.model, calibrate(args.model, photos), photos)
    if result is None:
        sys.exit("int8-calibrate: the calibration does not keep int8 within the accuracy bar; none written")
    out = args.out or os.path.splitext(args.model)[0] + ".int8.json"
    with open(out, "w") as handle:
        json.dump(result, handle, indent=1)
        handle.write("\n")
    print(f"wrote {out}: {len(result['tensors'])} ReLU outputs over {result['photos']} photos")


if __name__ == "__main__":
    main()
