"""Times ONNX Runtime on UltraFace models the way `facestream bench` times FaceStream.

Prints one JSON object per (model, variant): median/min milliseconds of `session.run` on a fixed
input, with `intra_op_num_threads` set. "clean" copies have the initializers removed from the graph
inputs (the shipped IR-4 files list every weight as an input, which stops ONNX Runtime from folding
BatchNorm). Used by scripts/bench-vs-onnxruntime; needs onnxruntime, onnx and numpy (a venv).
"""
import argparse
import json
import os
import statistics
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort

ort.set_default_logger_severity(3)


def clean_copy(path, out_dir):
    model = onnx.load(path)
    names = {init.name for init in model.graph.initializer}
    kept = [i for i in model.graph.input if i.name not in names]
    del model.graph.input[:]
    model.graph.input.extend(kept)
    out = os.path.join(out_dir, "clean-" + os.path.basename(path))
    onnx.save(model, out)
    return out


def fixed_input(shape):
    # Same generator as facestream's NetworkBenchmark.fixedInput (values only matter for realism).
    count = int(np.prod(shape))
    state = 0x9E3779B97F4A7C15
    values = np.empty(count, dtype=np.float32)
    mask = (1 << 64) - 1
    for i in range(count):
        state = (state * 6364136223846793005 + 1442695040888963407) & mask
        values[i] = ((state >> 33) % 256 - 127) / 128.0
    return values.reshape(shape)


def bench(path, threads, runs, warmup, x):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    name = session.get_inputs()[0].name
    samples = []
    for i in range(warmup + runs):
        start = time.perf_counter()
        session.run(None, {name: x})
        elapsed = (time.perf_counter() - start) * 1000
        if i >= warmup:
            samples.append(elapsed)
    return statistics.median(samples), min(samples)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("models", nargs="+")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--variants", default="clean,shipped")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for path in args.models:
            shape = [d.dim_value for d in onnx.load(path).graph.input[0].type.tensor_type.shape.dim]
            x = fixed_input(shape)
            for variant in args.variants.split(","):
                target = clean_copy(path, tmp) if variant == "clean" else path
                median, minimum = bench(target, args.threads, args.runs, args.warmup, x)
                print(json.dumps({"engine": "onnxruntime " + ort.__version__, "variant": variant,
                                  "model": os.path.basename(path)[:-5], "threads": args.threads,
                                  "runs": args.runs, "median_ms": round(median, 4), "min_ms": round(minimum, 4)}),
                      flush=True)


if __name__ == "__main__":
    main()
