"""Would static per-channel int8 activation scales keep issue 15's accuracy bar? A simulation.

Issue 15's 0.5x target needs 8-bit data between layers (docs/performance.md, "Issue 15, session
8"), so the scales of those tensors must be known before the run: static, from a calibration.
This script measures what that costs in accuracy before any kernel is written. It runs ONNX
Runtime on the clean copy of MODEL with fake quantisation: QuantizeLinear + DequantizeLinear
(per channel, uint8) on the input of every convolution of the network's body, and the body
convolutions' weights rounded to int8 per output channel (symmetric, 127 steps, as
`Int8Weights`). The score and box heads (convolutions whose output is not followed by a ReLU,
BatchNormalization, Concat or Add) keep float32 inputs and weights, as in FaceStream.

Calibration: each channel's range over the calibration photos (their minimum and maximum, or
with --percentile P the P-th percentile of the per-photo maxima), widened to hold 0. The
photos are the shared ones (imgs/*.jpg, UltraFace preprocessing); the detections of the fake
quantised model are compared with float32 on the same photos (score > 0.7, NMS IoU 0.3,
matched at IoU >= 0.5), as `scripts/bench-int8` does for `--precision int8`. --holdout K
calibrates on all but every K-th photo and evaluates on those only (out of sample).

Usage: int8_static_sim.py MODEL.onnx [--photos DIR] [--per-tensor] [--percentile P] [--holdout K]
"""
import argparse
import glob
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import helper, numpy_helper, version_converter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_bench import clean_copy  # noqa: E402
from ort_int8 import agreement, detections, photo_tensor  # noqa: E402

BODY_FOLLOWERS = {"Relu", "BatchNormalization", "Concat", "Add"}


def body_convolutions(model):
    consumers = {}
    for node in model.graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    body = []
    for node in model.graph.node:
        if node.op_type != "Conv":
            continue
        follow = consumers.get(node.output[0], [])
        if follow and all(n.op_type in BODY_FOLLOWERS for n in follow):
            body.append(node)
    return body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--photos", default=os.path.join(os.path.dirname(__file__), "../../shared/images/imgs"))
    parser.add_argument("--per-tensor", action="store_true", help="one scale per tensor instead of per channel")
    parser.add_argument("--percentile", type=float, default=None)
    parser.add_argument("--holdout", type=int, default=0)
    parser.add_argument("--mixed", action="store_true",
                        help="per channel only for the inputs of grouped (depthwise) convolutions, per tensor elsewhere")
    parser.add_argument("--fold", action="store_true",
                        help="round the weights as a kernel that folds the input channels' scales into them")
    args = parser.parse_args()
    photos = sorted(glob.glob(os.path.join(args.photos, "*.jpg")))
    with tempfile.TemporaryDirectory() as tmp:
        model = version_converter.convert_version(onnx.load(clean_copy(args.model, tmp)), 13)
        shape = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
        tensors = [photo_tensor(p, shape[3], shape[2]) for p in photos]
        if args.holdout:
            calibrate = [t for i, t in enumerate(tensors) if i % args.holdout]
            evaluate = [t for i, t in enumerate(tensors) if not i % args.holdout]
        else:
            calibrate = evaluate = tensors
        body = body_convolutions(model)
        inputs = sorted({n.input[0] for n in body})
        grouped = {n.input[0] for n in body if any(a.name == "group" and a.i > 1 for a in n.attribute)}
        # Pass 1: per-channel ranges of the body convolutions' inputs.
        probe = onnx.ModelProto()
        probe.CopyFrom(model)
        del probe.graph.output[:]
        for name in inputs:
            probe.graph.output.append(helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
        path = os.path.join(tmp, "probe.onnx")
        onnx.save(probe, path)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        feed = session.get_inputs()[0].name
        highs = {n: [] for n in inputs}
        lows = {n: [] for n in inputs}
        for t in calibrate:
            for name, value in zip(inputs, session.run(inputs, {feed: t})):
                per_tensor = args.per_tensor or (args.mixed and name not in grouped)
                axes = (0, 1, 2, 3) if per_tensor else (0, 2, 3)
                highs[name].append(value.max(axis=axes))
                lows[name].append(value.min(axis=axes))
        # Pass 2: the fake quantised model.
        initializers = {i.name: i for i in model.graph.initializer}
        nodes = []
        scales = {}
        for name in inputs:
            high = np.stack(highs[name])
            low = np.stack(lows[name])
            if args.percentile is not None:
                high = np.percentile(high, args.percentile, axis=0)
                low = np.percentile(low, 100 - args.percentile, axis=0)
            else:
                high, low = high.max(axis=0), low.min(axis=0)
            high, low = np.maximum(high, 0), np.minimum(low, 0)
            scale = np.maximum((high - low) / 255, 1e-12).astype(np.float32)
            zero = np.clip(np.round(-low / scale), 0, 255).astype(np.uint8)
            scales[name] = scale.reshape(-1)
            s, z = name + "_qscale", name + "_qzero"
            shape = (-1,) if scale.size > 1 else ()
            model.graph.initializer.extend([numpy_helper.from_array(scale.reshape(shape), s),
                                            numpy_helper.from_array(zero.reshape(shape), z)])
            nodes.append(helper.make_node("QuantizeLinear", [name, s, z], [name + "_q"], axis=1))
            nodes.append(helper.make_node("DequantizeLinear", [name + "_q", s, z], [name + "_fq"], axis=1))
        for node in body:
            w = numpy_helper.to_array(initializers[node.input[1]])
            group = 1
            for a in node.attribute:
                if a.name == "group":
                    group = a.i
            if args.fold and group == 1 and scales[node.input[0]].size > 1:
                # The kernel multiplies the integer sums by the weights' scale only, so each input
                # channel's scale is part of the weight that is rounded.
                s = scales[node.input[0]].reshape(1, -1, 1, 1)
                ws = w * s
                sw = np.abs(ws.reshape(w.shape[0], -1)).max(axis=1) / 127
                sw = np.where(sw > 0, sw, 1).reshape(-1, 1, 1, 1)
                initializers[node.input[1]].CopyFrom(
                    numpy_helper.from_array((np.round(ws / sw) * sw / s).astype(np.float32), node.input[1]))
                node.input[0] = node.input[0] + "_fq"
                continue
            node.input[0] = node.input[0] + "_fq"
            sw = np.abs(w.reshape(w.shape[0], -1)).max(axis=1) / 127
            sw = np.where(sw > 0, sw, 1).reshape(-1, 1, 1, 1)
            initializers[node.input[1]].CopyFrom(
                numpy_helper.from_array((np.round(w / sw) * sw).astype(np.float32), node.input[1]))
        model.graph.node.extend(nodes)
        # Topological order: the new nodes must precede their consumers.
        ordered, ready = [], {i.name for i in model.graph.input} | {i.name for i in model.graph.initializer}
        pending = list(model.graph.node)
        while pending:
            rest = []
            for node in pending:
                if all(not i or i in ready for i in node.input):
                    ordered.append(node)
                    ready.update(node.output)
                else:
                    rest.append(node)
            if len(rest) == len(pending):
                sys.exit("int8_static_sim: graph has a cycle")
            pending = rest
        del model.graph.node[:]
        model.graph.node.extend(ordered)
        fake = os.path.join(tmp, "fake.onnx")
        onnx.save(model, fake)
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
        fq = ort.InferenceSession(fake, options, providers=["CPUExecutionProvider"])
        fp = ort.InferenceSession(clean_copy(args.model, tmp), providers=["CPUExecutionProvider"])
        result = agreement([detections(fp, t) for t in evaluate], [detections(fq, t) for t in evaluate])
    mode = "per-tensor" if args.per_tensor else "per-channel for depthwise inputs, per-tensor elsewhere" if args.mixed else "per-channel"
    if args.fold:
        mode += ", input scales folded into the weights"
    if args.percentile is not None:
        mode += f", percentile {args.percentile}"
    print(f"{os.path.basename(args.model)} static {mode}, {len(body)} body convolutions, "
          f"{len(calibrate)} calibration / {len(evaluate)} evaluation photos: {result}")


if __name__ == "__main__":
    main()
