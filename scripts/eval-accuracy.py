#!/usr/bin/env python3
"""Issue 14's accuracy evaluation: small faces in large frames, with known truth.

Builds an evaluation set from the shared photos (imgs/, not readme_imgs/, which have boxes drawn): face crops (faces the reference RFB-640 finds at
score >= 0.95, at least 40 px tall in their photo) pasted at random known positions with heights
from 12 to 300 px into 1920x1080 and 3840x2160 backgrounds. A background is another shared photo
resized to the frame, with every face any reference model found there (RFB-640 or RFB-1280 at
0.5) painted over, then blurred (Gaussian, sigma 1 % of the frame width), so that the only faces
are the pasted ones. Pasted faces do not overlap (a margin of 20 % of the larger one).

Each frame size becomes one H.264 video (CRF 12, 4:2:0, one frame per picture), which
`facestream detect --threads 1` reads in each mode; its summary line gives the wall time, so the
time per frame includes decoding and conversion as a real run does. Detections are matched to the
truth greedily by IoU >= 0.5 (best IoU first); recall and precision are given per truth height
bucket (a false positive counts in the bucket of its own height).

    scripts/eval-accuracy [--binary .build/release/facestream] [--keep DIR] [--seed 14]

Prints a Markdown table (docs/accuracy.md holds one run's).
"""
import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile

import cv2
import numpy as np

BUCKETS = [(12, 16), (16, 24), (24, 32), (32, 48), (48, 96), (96, 301)]
FRAMES = {(1920, 1080): 12, (3840, 2160): 6}
FACES_PER_FRAME = {(1920, 1080): 26, (3840, 2160): 34}


def golden(shared, model, image_id):
    path = os.path.join(shared, "golden", "detections", model, image_id + ".json")
    with open(path) as handle:
        data = json.load(handle)
    return data


def photos(shared):
    manifest = json.load(open(os.path.join(shared, "golden", "manifest.json")))
    # The readme pictures have the upstream demo's boxes drawn on them: not used.
    return [(image_id, os.path.join(shared, entry["path"])) for image_id, entry in sorted(manifest["images"].items())
            if image_id.startswith("imgs_")]


def face_crops(shared, image_list):
    crops = []
    for image_id, path in image_list:
        image = cv2.imread(path)
        result = next(r for r in golden(shared, "RFB-640", image_id)["results"] if r["score_threshold"] == 0.7)
        for d in result["detections"]:
            x1, y1, x2, y2 = d["box"]
            x1, y1 = max(0, int(round(x1))), max(0, int(round(y1)))
            x2, y2 = min(image.shape[1], int(round(x2))), min(image.shape[0], int(round(y2)))
            if d["score"] >= 0.95 and y2 - y1 >= 40 and x2 - x1 >= 30:
                crops.append((image_id, image[y1:y2, x1:x2].copy()))
    return crops


def background(shared, image_id, path, width, height):
    image = cv2.imread(path)
    for model in ("RFB-640", "RFB-1280-masked_face-v2"):
        result = next(r for r in golden(shared, model, image_id)["results"] if r["score_threshold"] == 0.5)
        for d in result["detections"]:
            x1, y1, x2, y2 = (int(round(v)) for v in d["box"])
            pad_x, pad_y = (x2 - x1) // 4, (y2 - y1) // 4
            x1, y1 = max(0, x1 - pad_x), max(0, y1 - pad_y)
            x2, y2 = min(image.shape[1], x2 + pad_x), min(image.shape[0], y2 + pad_y)
            if x2 > x1 and y2 > y1:
                image[y1:y2, x1:x2] = image.reshape(-1, 3).mean(axis=0)
    image = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.GaussianBlur(image, (0, 0), width * 0.01)


def make_frames(shared, folder, rng):
    image_list = photos(shared)
    crops = face_crops(shared, image_list)
    truth = {}
    for (width, height), count in FRAMES.items():
        frames = []
        for index in range(count):
            face_sources = rng.sample(crops, FACES_PER_FRAME[(width, height)])
            source_ids = {image_id for image_id, _ in face_sources}
            candidates = [p for p in image_list if p[0] not in source_ids]
            bg_id, bg_path = rng.choice(candidates)
            frame = background(shared, bg_id, bg_path, width, height)
            boxes = []
            for n, (_, crop) in enumerate(face_sources):
                # Heights spread evenly over the buckets (log-uniform within 12...300).
                face_h = int(round(12 * (300 / 12) ** rng.random()))
                face_w = max(4, int(round(crop.shape[1] * face_h / crop.shape[0])))
                for _ in range(200):
                    x = rng.randrange(0, width - face_w)
                    y = rng.randrange(0, height - face_h)
                    margin = 0.2 * max(face_w, face_h)
                    if all(x + face_w + margin < b[0] or b[2] + margin < x or y + face_h + margin < b[1]
                           or b[3] + margin < y for b in boxes):
                        break
                else:
                    continue
                interpolation = cv2.INTER_AREA if face_h < crop.shape[0] else cv2.INTER_LINEAR
                frame[y:y + face_h, x:x + face_w] = cv2.resize(crop, (face_w, face_h), interpolation=interpolation)
                boxes.append([x, y, x + face_w, y + face_h])
            frames.append(boxes)
            cv2.imwrite(os.path.join(folder, f"{width}x{height}_{index:03d}.png"), frame)
        video = os.path.join(folder, f"eval_{width}x{height}.mp4")
        subprocess.run(["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-framerate", "1",
                        "-i", os.path.join(folder, f"{width}x{height}_%03d.png"), "-c:v", "libx264", "-crf", "12",
                        "-preset", "medium", "-pix_fmt", "yuv420p", "-threads", "1", video], check=True)
        truth[(width, height)] = (video, frames)
    return truth


def iou(a, b):
    w = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    h = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = w * h
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def bucket(height):
    for index, (low, high) in enumerate(BUCKETS):
        if low <= height < high:
            return index
    return None


def score(frames, lines):
    found = [[0, 0] for _ in BUCKETS]  # matched truth, all truth
    kept = [[0, 0] for _ in BUCKETS]  # matched detections, all detections (by bucket)
    for boxes, line in zip(frames, lines):
        detections = [f["box"] for f in line["faces"]]
        pairs = sorted(((iou(t, d), i, j) for i, t in enumerate(boxes) for j, d in enumerate(detections)),
                       reverse=True)
        used_t, used_d = {}, set()
        for value, i, j in pairs:
            if value < 0.5:
                break
            if i in used_t or j in used_d:
                continue
            used_t[i] = j
            used_d.add(j)
        for i, t in enumerate(boxes):
            b = bucket(t[3] - t[1])
            found[b][1] += 1
            if i in used_t:
                found[b][0] += 1
                kept[b][0] += 1
                kept[b][1] += 1
        for j, d in enumerate(detections):
            if j in used_d:
                continue
            b = bucket(max(12, min(300, d[3] - d[1])))
            kept[b][1] += 1
    return found, kept


def run_mode(binary, video, arguments, model_dir):
    env = dict(os.environ, FACESTREAM_MODEL_DIR=model_dir, FACESTREAM_MODEL="")
    result = subprocess.run([binary, "detect", "--threads", "1"] + arguments + [video], env=env,
                            capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"facestream {' '.join(arguments)} failed: {result.stderr}")
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    match = re.search(r"frames, .* ([0-9.]+) s, ([0-9.]+) fps", result.stderr)
    seconds = float(match.group(1)) if match else float("nan")
    return lines, seconds / max(1, len(lines)) * 1000


MODES = [
    ("default (RFB-320, 320x240)", []),
    ("--input-size auto", ["--input-size", "auto"]),
    ("--input-size 640x360", ["--input-size", "640x360"]),
    ("RFB-640 (640x480)", ["--model", "version-RFB-640.onnx"]),
    ("--tiles 2", ["--tiles", "2"]),
    ("--tiles 4", ["--tiles", "4"]),
    ("--tiles auto", ["--tiles", "auto"]),
    ("--tiles auto --input-size auto", ["--tiles", "auto", "--input-size", "auto"]),
]


def fraction(pair):
    return f"{pair[0] / pair[1]:.2f}" if pair[1] else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", default=os.environ.get("FACESTREAM_SHARED", "../shared"))
    parser.add_argument("--binary", default=".build/release/facestream")
    parser.add_argument("--keep", help="folder for the pictures, videos and truth (default: a temporary one)")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    folder = args.keep or tempfile.mkdtemp(prefix="facestream-eval-")
    os.makedirs(folder, exist_ok=True)
    truth = make_frames(args.shared, folder, random.Random(args.seed))
    with open(os.path.join(folder, "truth.json"), "w") as handle:
        json.dump({f"{w}x{h}": {"video": v, "frames": f} for (w, h), (v, f) in truth.items()}, handle)
    model_dir = os.path.join(args.shared, "models")
    header = " | ".join(f"{low}-{high - 1}" for low, high in BUCKETS)
    for (width, height), (video, frames) in truth.items():
        total = sum(len(f) for f in frames)
        print(f"\n### {width}x{height}: {len(frames)} frames, {total} faces\n")
        print(f"| mode | ms/frame | x default | recall by face height (px): {header} | precision: {header} | recall >= 24 | precision >= 24 |")
        print("|---|---|---|" + "---|" * (2 * len(BUCKETS) + 2))
        base = None
        for name, arguments in MODES:
            lines, ms = run_mode(args.binary, video, arguments, model_dir)
            if len(lines) != len(frames):
                sys.exit(f"{name}: {len(lines)} lines for {len(frames)} frames")
            base = base or ms
            found, kept = score(frames, lines)
            big_found = [sum(found[i][k] for i in range(2, len(BUCKETS))) for k in (0, 1)]
            big_kept = [sum(kept[i][k] for i in range(2, len(BUCKETS))) for k in (0, 1)]
            print(f"| {name} | {ms:.0f} | {ms / base:.1f} | " + " | ".join(fraction(f) for f in found) + " | "
                  + " | ".join(fraction(k) for k in kept) + f" | {fraction(big_found)} | {fraction(big_kept)} |")
    print(f"\nmachine: {os.cpu_count()} cores, load average {open('/proc/loadavg').read().split()[:3]}; "
          f"binary {args.binary}; pictures in {folder}")


if __name__ == "__main__":
    main()
