"""ONNX Runtime's own static int8 quantisation of an UltraFace model, next to its fp32 "clean" copy.

  ort_int8.py MODEL.onnx --photos DIR [--threads N] [--runs N] [--out-dir DIR]

Quantises the clean copy (initializers removed from the graph inputs, as ort_bench.py) with
onnxruntime.quantization.quantize_static: QDQ format, int8 weights per channel, uint8 activations,
MinMax calibration (after an upgrade to opset 13, which per-channel scales need) over every JPEG in --photos (resized to the model's input, (x - 127) / 128,
RGB, NCHW: UltraFace's preprocessing). Prints one JSON object per variant (clean, ort-int8) with
the median/min of `session.run` on the same fixed input as ort_bench.py, and one object comparing
the int8 detections with fp32 on the photos (score > 0.7, NMS IoU 0.3, boxes matched at IoU >=
0.5): precision, recall and mean IoU of matched boxes, as the FaceStream int8 tests measure.
Needs onnxruntime, onnx, numpy and pillow (scripts/bench-int8 makes the venv).
"""
import argparse
import glob
import json
import logging
import os
import tempfile

import numpy as np
import onnx
import onnxruntime as ort
from onnx import version_converter
from onnxruntime import quantization as q
from PIL import Image

from ort_bench import bench, clean_copy, fixed_input

ort.set_default_logger_severity(3)
# The quantiser warns about every BatchNorm scale (rank 1, no channel axis) and suggests its
# pre-processing step; neither changes the result.
logging.getLogger().setLevel(logging.ERROR)


def photo_tensor(path, width, height):
    image = Image.open(path).convert("RGB").resize((width, height), Image.BILINEAR)
    x = (np.asarray(image, dtype=np.float32) - 127.0) / 128.0
    return x.transpose(2, 0, 1)[None].copy()


class PhotoReader(q.CalibrationDataReader):
    def __init__(self, name, tensors):
        self.items = iter([{name: t} for t in tensors])

    def get_next(self):
        return next(self.items, None)


def nms(boxes, scores, threshold=0.7, iou_limit=0.3):
    keep_mask = scores > threshold
    boxes, scores = boxes[keep_mask], scores[keep_mask]
    order = np.argsort(-scores)
    kept = []
    while order.size:
        i = order[0]
        kept.append(boxes[i])
        rest = order[1:]
        if rest.size == 0:
            break
        ious = iou_many(boxes[i], boxes[rest])
        order = rest[ious <= iou_limit]
    return kept


def iou_many(a, b):
    w = np.clip(np.minimum(a[2], b[:, 2]) - np.maximum(a[0], b[:, 0]), 0, None)
    h = np.clip(np.minimum(a[3], b[:, 3]) - np.maximum(a[1], b[:, 1]), 0, None)
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1]) - inter
    return np.where(union > 0, inter / np.maximum(union, 1e-12), 0)


def detections(session, x):
    scores, boxes = session.run(None, {session.get_inputs()[0].name: x})
    return nms(boxes[0], scores[0][:, 1])


def greedy_pairs(a, b):
    """Boxes of one photo matched one to one, best IoU first, down to IoU 0.5: [(iou, i, j)]."""
    pairs = sorted(((float(iou_many(x, np.array([y]))[0]), i, j) for i, x in enumerate(a)
                    for j, y in enumerate(b)), reverse=True)
    used_a, used_b, kept = set(), set(), []
    for value, i, j in pairs:
        if value < 0.5:
            break
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        kept.append((value, i, j))
    return kept


def agreement(reference, found):
    matched, iou_sum, n_ref, n_found = 0, 0.0, 0, 0
    for a, b in zip(reference, found):
        n_ref += len(a)
        n_found += len(b)
        for value, _, _ in greedy_pairs(a, b):
            matched += 1
            iou_sum += value
    return {"fp32_boxes": n_ref, "int8_boxes": n_found,
            "precision": round(matched / max(n_found, 1), 4), "recall": round(matched / max(n_ref, 1), 4),
            "mean_iou": round(iou_sum / max(matched, 1), 4)}


def compare_boxes(reference, found):
    """`agreement` of two lists (one per photo) of [x1, y1, x2, y2] boxes."""
    return agreement([[np.array(b, dtype=np.float64) for b in photo] for photo in reference],
                     [[np.array(b, dtype=np.float64) for b in photo] for photo in found])


def compare_lines(fp32_path, int8_path):
    """The same agreement for two `facestream detect` JSON-lines files (one line per photo/frame)."""
    def boxes(path):
        return [[np.array(f["box"], dtype=np.float64) for f in json.loads(line)["faces"]] for line in open(path)]
    result = agreement(boxes(fp32_path), boxes(int8_path))
    result.update({"variant": "facestream-int8-accuracy"})
    print(json.dumps(result), flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("--compare", nargs=2, metavar=("FP32_JSONL", "INT8_JSONL"),
                        help="only compare two facestream detect outputs (MODEL is ignored)")
    parser.add_argument("--photos")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--out-dir", default=None)
    args = parser.parse_args()
    if args.compare:
        compare_lines(*args.compare)
        return
    out_dir = args.out_dir or tempfile.mkdtemp()
    os.makedirs(out_dir, exist_ok=True)
    name = os.path.basename(args.model)[:-5]
    clean = clean_copy(args.model, out_dir)
    fp32 = ort.InferenceSession(clean, providers=["CPUExecutionProvider"])
    shape = fp32.get_inputs()[0].shape
    height, width = shape[2], shape[3]
    photos = sorted(glob.glob(os.path.join(args.photos, "**", "*.jpg"), recursive=True))
    tensors = [photo_tensor(p, width, height) for p in photos]
    quantized = os.path.join(out_dir, name + ".ort-int8.onnx")
    if not os.path.exists(quantized):
        # Per-channel DequantizeLinear (its `axis`) needs opset 13; the shipped files are opset 9.
        upgraded = os.path.join(out_dir, name + ".opset13.onnx")
        onnx.save(version_converter.convert_version(onnx.load(clean), 13), upgraded)
        q.quantize_static(upgraded, quantized, PhotoReader(fp32.get_inputs()[0].name, tensors),
                          quant_format=q.QuantFormat.QDQ, per_channel=True,
                          activation_type=q.QuantType.QUInt8, weight_type=q.QuantType.QInt8,
                          calibrate_method=q.CalibrationMethod.MinMax)
    int8 = ort.InferenceSession(quantized, providers=["CPUExecutionProvider"])
    x = fixed_input(shape)
    for variant, path in (("clean", clean), ("ort-int8", quantized)):
        median, minimum = bench(path, args.threads, args.runs, args.warmup, x)
        print(json.dumps({"engine": "onnxruntime " + ort.__version__, "variant": variant, "model": name,
                          "threads": args.threads, "runs": args.runs, "median_ms": round(median, 4),
                          "min_ms": round(minimum, 4)}), flush=True)
    result = agreement([detections(fp32, t) for t in tensors], [detections(int8, t) for t in tensors])
    result.update({"variant": "ort-int8-accuracy", "model": name, "photos": len(photos)})
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
