"""Per-layer time of FaceStream next to ONNX Runtime, for one model and thread count.

Runs `facestream bench --profile` (per-step times, convolutions named "#K Conv" after their
index K in the ONNX file) and ONNX Runtime with its node profiler on the clean copy of the same
model, then matches every convolution by the index of the Conv node it starts from: ONNX Runtime
names a fused Conv(+BatchNorm)(+Relu) after the last output of the chain, which is walked back
here to the Conv. Everything else (reshapes, the box-decoding tail, ONNX Runtime's layout
reorders) is summed per engine as "other". Both profilers add a little overhead per step, so the
totals are above the plain `bench` medians; the ratios per layer are what this is for.

Usage: layer_compare.py FACESTREAM_BINARY MODEL.onnx [--threads N] [--runs N]
"""
import argparse
import collections
import json
import os
import re
import statistics
import subprocess
import tempfile

import onnx
import onnxruntime as ort

from ort_bench import clean_copy, fixed_input

ort.set_default_logger_severity(3)


def facestream_steps(binary, model, threads, runs):
    result = subprocess.run(
        [binary, "bench", "--model", model, "--threads", str(threads), "--runs", str(runs), "--profile"],
        capture_output=True, text=True, check=True)
    steps = {}
    others = 0.0
    for line in result.stderr.splitlines():
        match = re.match(r"\s*\d+\s+([\d.]+) ms\s+[\d.]+%\s+(?:[\d.]+ GFLOP/s)?\s*(#(\d+) (\w+).*)$", line)
        if not match:
            continue
        ms = float(match.group(1))
        if match.group(4) == "Conv":
            steps[int(match.group(3))] = (ms, match.group(2))
        else:
            others += ms
    return steps, others


def onnxruntime_nodes(model, threads, runs):
    with tempfile.TemporaryDirectory() as directory:
        path = clean_copy(model, directory)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.enable_profiling = True
        options.profile_file_prefix = os.path.join(directory, "profile")
        session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        x = fixed_input(session.get_inputs()[0].shape)
        for _ in range(runs):
            session.run(None, {name: x})
        events = json.load(open(session.end_profiling()))
    times = collections.defaultdict(list)
    for event in events:
        if event.get("cat") == "Node" and event["name"].endswith("_kernel_time"):
            times[event["name"][: -len("_kernel_time")]].append(event["dur"] / 1000)
    return {node: statistics.median(values) for node, values in times.items()}


def conv_index_for_output(graph):
    """Output value name -> index of the Conv a Conv(+BN)(+Relu) chain ending there starts from."""
    producer = {}
    for index, node in enumerate(graph.node):
        for output in node.output:
            producer[output] = index
    result = {}
    for index, node in enumerate(graph.node):
        walk = index
        while graph.node[walk].op_type in ("Relu", "BatchNormalization") and graph.node[walk].input[0] in producer:
            walk = producer[graph.node[walk].input[0]]
        if graph.node[walk].op_type == "Conv":
            for output in node.output:
                result[output] = walk
    return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("model")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--runs", type=int, default=300)
    args = parser.parse_args()

    ours, our_other = facestream_steps(args.binary, args.model, args.threads, args.runs)
    theirs = onnxruntime_nodes(args.model, args.threads, args.runs)
    conv_of = conv_index_for_output(onnx.load(args.model).graph)
    their_conv = {}
    their_other = 0.0
    for node, ms in theirs.items():
        base = node[: -len("_nchwc")] if node.endswith("_nchwc") else node
        if base in conv_of:
            their_conv[conv_of[base]] = their_conv.get(conv_of[base], 0) + ms
        else:
            their_other += ms

    rows = []
    for index, (ms, description) in ours.items():
        rows.append((index, ms, their_conv.get(index), description))
    print(f"{os.path.basename(args.model)}, {args.threads} thread(s), medians of {args.runs} profiled runs")
    print(f"{'node':>5} {'facestream':>11} {'onnxruntime':>12} {'ratio':>6}  layer")
    for index, ms, other, description in sorted(rows, key=lambda row: -row[1]):
        ratio = f"{ms / other:6.2f}" if other else "     -"
        their = f"{other:12.4f}" if other is not None else f"{'-':>12}"
        print(f"{index:5d} {ms:11.4f} {their} {ratio}  {description}")
    groups = collections.OrderedDict()
    for index, ms, other, description in rows:
        match = re.search(r"\] (\w+) .* s(\d+) g", description)
        key = match.group(1) + (" stride " + match.group(2) if match.group(1) == "depthwise3x3" else "") if match else "?"
        total = groups.setdefault(key, [0, 0.0, 0.0])
        total[0] += 1
        total[1] += ms
        total[2] += other or 0
    print("by kernel:")
    for key, (count, ms, other) in sorted(groups.items(), key=lambda item: -item[1][1]):
        print(f"  {key:24} {count:3d} layers  facestream {ms:.3f} ms  onnxruntime {other:.3f} ms  ratio {ms / other:.2f}")
    our_conv = sum(row[1] for row in rows)
    matched = sum(row[2] or 0 for row in rows)
    print(f"convolutions: facestream {our_conv:.3f} ms, onnxruntime {matched:.3f} ms, ratio {our_conv / matched:.2f}")
    print(f"everything else: facestream {our_other:.3f} ms, onnxruntime {their_other:.3f} ms")
    total_ours = our_conv + our_other
    total_theirs = matched + their_other
    print(f"total: facestream {total_ours:.3f} ms, onnxruntime {total_theirs:.3f} ms, ratio {total_ours / total_theirs:.2f}")


if __name__ == "__main__":
    main()
