#!/usr/bin/env python3
"""Why int8 and fp32 disagree: the boxes one precision reports at the threshold and the other
does not, and how far the two precisions' scores lie apart.

Runs `facestream detect` four times on the same inputs (fp32 and int8, at --threshold 0.7 and at a
lower one, 0.5 by default) and matches the boxes of each frame as `scripts/bench-int8` does
(`ort_int8.greedy_pairs`: IoU >= 0.5, greedy, best pairs first). For every box one precision reports at 0.7 without a match in
the other, it looks for the same face in the other precision's run at the lower threshold: found
there, the disagreement is a score on each side of 0.7 (a "flip"), not a face one of them misses.
The others are listed with their best IoU against the other run: in a crowd the post-processing's
cap (the 200 best-scoring candidate priors enter NMS, as in the reference) can keep a face's
priors in one precision and not in the other, whatever its score.
Then, over the faces both report at the lower threshold (IoU >= 0.7, fp32 score 0.55-0.85), the
mean and spread of int8's score minus fp32's in logits.

    int8_flips.py --binary BIN --model MODEL.onnx [--low 0.5] [--every N] INPUT...

INPUT: photos, or one video (with --every N to analyse every Nth frame). Prints one JSON object.
"""
import argparse
import json
import math
import subprocess
import sys

import numpy as np

from ort_int8 import greedy_pairs, iou_many


def detect(binary, model, inputs, precision, threshold, every):
    command = [binary, "detect", "--model", model, "--precision", precision, "--threshold", str(threshold)]
    if every:
        command += ["--every", str(every)]
    result = subprocess.run(command + inputs, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"int8_flips: {' '.join(command)} failed: {result.stderr.strip()}")
    return [[(face["box"], face["score"]) for face in json.loads(line)["faces"]]
            for line in result.stdout.splitlines()]


def iou(a, b):
    return float(iou_many(np.asarray(a, dtype=np.float64), np.asarray([b], dtype=np.float64))[0])


def unmatched_report(own, other, other_low):
    """Boxes of `own` unmatched in `other`, and of those how many `other_low` holds (IoU >= 0.5)."""
    count, flips, gaps, others = 0, 0, [], []
    for mine, theirs, theirs_low in zip(own, other, other_low):
        hit = {i for _, i, _ in greedy_pairs([np.asarray(b, dtype=np.float64) for b, _ in mine],
                                             [np.asarray(b, dtype=np.float64) for b, _ in theirs])}
        for index, (box, score) in enumerate(mine):
            if index in hit:
                continue
            count += 1
            best = max(((iou(box, b), s) for b, s in theirs_low), default=(0.0, None))
            if best[0] >= 0.5:
                flips += 1
                gaps.append(abs(score - best[1]))
            else:
                # Not a flip: the other precision placed this face's box elsewhere (or kept
                # another box of an overlapping group), or has no box there at all.
                others.append({"score": round(score, 4), "best_iou": round(best[0], 3)})
    gaps.sort()
    return {"boxes": count, "found_below_threshold": flips,
            "largest_score_gap": round(gaps[-1], 4) if gaps else None,
            "median_score_gap": round(gaps[len(gaps) // 2], 4) if gaps else None,
            "not_found": others}


def logit(p):
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--low", type=float, default=0.5)
    parser.add_argument("--every", type=int, default=0)
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args()
    runs = {(p, t): detect(args.binary, args.model, args.inputs, p, t, args.every)
            for p in ("fp32", "int8") for t in (0.7, args.low)}
    fp32, int8 = runs[("fp32", 0.7)], runs[("int8", 0.7)]
    fp32_low, int8_low = runs[("fp32", args.low)], runs[("int8", args.low)]
    reported = {"fp32": sum(map(len, fp32)), "int8": sum(map(len, int8))}
    differences = []
    for reference, found in zip(fp32_low, int8_low):
        for box, score in reference:
            if not 0.55 < score < 0.85:
                continue
            best = max(((iou(box, b), s) for b, s in found), default=(0.0, None))
            if best[0] >= 0.7:
                differences.append(logit(best[1]) - logit(score))
    n = max(len(differences), 1)
    mean = sum(differences) / n
    spread = math.sqrt(sum((d - mean) ** 2 for d in differences) / n)
    print(json.dumps({
        "frames": len(fp32), "boxes_at_0.7": reported,
        "int8_unmatched": unmatched_report(int8, fp32, fp32_low),
        "fp32_unmatched": unmatched_report(fp32, int8, int8_low),
        "score_logit_difference": {"faces": len(differences), "mean": round(mean, 4), "sd": round(spread, 4)},
    }))


if __name__ == "__main__":
    main()
