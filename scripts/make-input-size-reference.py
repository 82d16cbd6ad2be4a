#!/usr/bin/env python3
"""Reference detections for UltraFace networks run at input sizes other than their own.

Writes Tests/References/input-size/<model>_<W>x<H>.json, which InputSizeReferenceTests compares
FaceStream's detections with. Run it through scripts/make-input-size-reference (it makes the venv).

For each model and size: a copy of the ONNX graph whose input is declared [1, 3, H, W]; for a model
with the box decoding in the graph (priors as constants of its own size), the copy ends at the raw
offsets the decoding starts from (the nodes after it are dropped), so both kinds are run the same
way. ONNX Runtime (CPU, 1 thread) runs it on the photo read with OpenCV (libjpeg-turbo) and resized
with INTER_LINEAR, normalised (v - 127) / 128. The offsets are decoded with the priors of the size
(feature map ceil(size / stride), strides 8/16/32/64, min boxes 10,16,24 / 32,48 / 64,96 /
128,192,256, centres (i + 0.5) / feature map), then the reference selection: score > threshold, 200
best, hard NMS at IoU 0.3, corners scaled to the photo. Same fields as ../shared/golden/detections.

Nothing here is needed at run time or by the tests: only its output files are committed.
"""
import argparse
import json
import math
import os
import sys

import cv2
import numpy as np
import onnx
import onnxruntime as ort

STRIDES = [8, 16, 32, 64]
MIN_BOXES = [[10, 16, 24], [32, 48], [64, 96], [128, 192, 256]]
THRESHOLDS = [0.7]
IOU = 0.3
CANDIDATES = 200

# model id -> file; the default set covers both kinds of graph and both backbones.
MODELS = {
    "RFB-320-without-postprocessing": "version-RFB-320_without_postprocessing.onnx",
    "slim-320-simplified": "version-slim-320_simplified.onnx",
    "RFB-640": "version-RFB-640.onnx",
}
SIZES = {
    "RFB-320-without-postprocessing": ["320x240", "320x180", "426x240", "640x360", "160x120", "1280x720", "240x320", "250x170"],
    "slim-320-simplified": ["320x180", "426x240", "160x120"],
    "RFB-640": ["640x480", "854x480", "640x360", "320x240"],
}
PHOTOS = ["imgs/1.jpg", "imgs/13.jpg", "imgs/17.jpg", "imgs/22.jpg", "imgs/8.jpg", "imgs/3.jpg", "readme_imgs/1.jpg"]


def priors(width, height):
    rows = []
    for stride, boxes in zip(STRIDES, MIN_BOXES):
        fw, fh = math.ceil(width / stride), math.ceil(height / stride)
        for r in range(fh):
            for c in range(fw):
                for b in boxes:
                    rows.append([(c + 0.5) / fw, (r + 0.5) / fh, b / width, b / height])
    return np.clip(np.array(rows, dtype=np.float64).astype(np.float32), 0, 1)


def raw_offsets_value(graph):
    """The value the in-graph decoding starts from (input of the Slices before Exp), or None."""
    producers = {out: node for node in graph.node for out in node.output}
    exps = [n for n in graph.node if n.op_type == "Exp"]
    if not exps:
        return None
    value = exps[0].input[0]
    while value in producers and producers[value].op_type in ("Mul", "Slice"):
        node = producers[value]
        # Mul(x, constant): follow the non-constant side.
        value = node.input[0] if node.input[0] in producers else node.input[1]
    return value


def prune(graph, outputs):
    """Keeps only the nodes the named outputs need and makes them the graph's outputs."""
    producers = {out: node for node in graph.node for out in node.output}
    needed, stack = set(), list(outputs)
    while stack:
        value = stack.pop()
        node = producers.get(value)
        if node is None or id(node) in needed:
            continue
        needed.add(id(node))
        stack.extend(node.input)
    kept = [n for n in graph.node if id(n) in needed]
    del graph.node[:]
    graph.node.extend(kept)
    del graph.output[:]
    graph.output.extend(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None) for name in outputs)


def sized_model(path, width, height):
    model = onnx.load(path)
    graph = model.graph
    names = [o.name for o in graph.output]
    raw = raw_offsets_value(graph)
    if raw is not None:
        scores = "scores" if "scores" in names else names[0]
        prune(graph, [scores, raw])
    dims = graph.input[0].type.tensor_type.shape.dim
    dims[2].dim_value, dims[3].dim_value = height, width
    # Old IR-4 files list every weight as a graph input; drop the stale intermediate shapes.
    del graph.value_info[:]
    for output in graph.output:
        output.type.tensor_type.ClearField("shape")
    return model


def decode(offsets, priors_):
    o = offsets.astype(np.float32)
    p = priors_
    cxy = o[:, :2] * np.float32(0.1) * p[:, 2:] + p[:, :2]
    wh = np.exp(o[:, 2:] * np.float32(0.2)) * p[:, 2:]
    return np.concatenate([cxy - wh / np.float32(2), cxy + wh / np.float32(2)], axis=1).astype(np.float32)


def iou(a, b):
    w = max(np.float32(0), min(a[2], b[2]) - max(a[0], b[0]))
    h = max(np.float32(0), min(a[3], b[3]) - max(a[1], b[1]))
    inter = np.float32(w * h)
    area_a = max(np.float32(0), a[2] - a[0]) * max(np.float32(0), a[3] - a[1])
    area_b = max(np.float32(0), b[2] - b[0]) * max(np.float32(0), b[3] - b[1])
    return np.float32(inter / (area_a + area_b - inter + np.float32(1e-5)))


def f32(value):
    """A float32 value written with the fewest digits that read back as the same float32."""
    return float(str(np.float32(value)))


def select(scores, corners, threshold, image_w, image_h, labels):
    detections = []
    stats = {"candidates": {}, "candidates_after_cap": {}, "ties_in_candidates": 0,
             "min_score_margin": float(np.min(np.abs(scores[:, 1:] - np.float32(threshold)))),
             "min_iou_margin": None, "candidate_cut_margin": None}
    min_iou_margin = math.inf
    for label in range(1, scores.shape[1]):
        column = scores[:, label]
        index = np.nonzero(column > np.float32(threshold))[0]
        order = index[np.lexsort((index, -column[index]))]
        stats["candidates"][labels[label]] = int(len(order))
        ordered = column[order]
        stats["ties_in_candidates"] += int(np.sum(ordered[1:] == ordered[:-1]))
        if len(order) > CANDIDATES:
            stats["candidate_cut_margin"] = float(column[order[CANDIDATES - 1]] - column[order[CANDIDATES]])
            order = order[:CANDIDATES]
        stats["candidates_after_cap"][labels[label]] = int(len(order))
        remaining = list(order)
        while remaining:
            best = remaining.pop(0)
            box = corners[best]
            scale = np.array([image_w, image_h, image_w, image_h], dtype=np.float32)
            pixels = (box * scale).astype(np.float32)
            detections.append({"label": label, "label_name": labels[label], "score": f32(column[best]),
                               "box": [f32(v) for v in pixels], "box_normalized": [f32(v) for v in box],
                               "prior_index": int(best)})
            kept = []
            for other in remaining:
                value = iou(box, corners[other])
                min_iou_margin = min(min_iou_margin, abs(float(value) - IOU))
                if value <= np.float32(IOU):
                    kept.append(other)
            remaining = kept
    if min_iou_margin != math.inf:
        stats["min_iou_margin"] = min_iou_margin
    return {"score_threshold": threshold, "iou_threshold": IOU, "top_k": -1, "candidate_size": CANDIDATES,
            "num_detections": len(detections), "stats": stats, "detections": detections}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.environ.get("FACESTREAM_SHARED", "../shared"))
    parser.add_argument("--out", default="Tests/References/input-size")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    for model_id, file_name in MODELS.items():
        path = os.path.join(args.shared, "models", file_name)
        labels = [line.strip() for line in open(os.path.join(args.shared, "models", "voc-model-labels.txt")) if line.strip()]
        for size in SIZES[model_id]:
            width, height = (int(v) for v in size.split("x"))
            session = ort.InferenceSession(sized_model(path, width, height).SerializeToString(), options,
                                           providers=["CPUExecutionProvider"])
            prior_rows = priors(width, height)
            cases = []
            for photo in PHOTOS:
                bgr = cv2.imread(os.path.join(args.shared, "images", photo))
                resized = cv2.resize(bgr, (width, height), interpolation=cv2.INTER_LINEAR)
                rgb = resized[:, :, ::-1].astype(np.float32)
                tensor = ((rgb - np.float32(127)) / np.float32(128)).transpose(2, 0, 1)[None].copy()
                scores, offsets = session.run(None, {"input": tensor})
                if scores.shape[1] != len(prior_rows):
                    sys.exit(f"{model_id} at {size}: {scores.shape[1]} rows, {len(prior_rows)} priors")
                corners = decode(offsets[0], prior_rows)
                cases.append({"image": photo, "image_id": photo.replace("/", "_").replace(".jpg", ""),
                              "image_width": bgr.shape[1], "image_height": bgr.shape[0],
                              "results": [select(scores[0], corners, t, bgr.shape[1], bgr.shape[0], labels)
                                          for t in THRESHOLDS]})
            document = {"generated_by": "scripts/make-input-size-reference.py", "onnxruntime": ort.__version__,
                        "opencv": cv2.__version__, "model": model_id, "model_file": file_name,
                        "input_width": width, "input_height": height, "labels": labels, "photos": cases}
            target = os.path.join(args.out, f"{model_id}_{size}.json")
            with open(target, "w") as handle:
                handle.write(json.dumps(document, separators=(",", ":")) + "\n")
            counts = [c["results"][0]["num_detections"] for c in cases]
            print(f"{target}: detections at 0.7 per photo {counts}")


if __name__ == "__main__":
    main()
