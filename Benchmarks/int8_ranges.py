"""How much resolution static int8 activation scales would lose, for one model.

Runs ONNX Runtime on the clean copy of MODEL (see ort_bench.py) with every ReLU output made a
graph output, over the golden input tensors of one input size (../shared/golden/inputs, float32
NCHW, preprocessed like FaceStream's), and compares, for each ReLU tensor and photo, the photo's
own largest value (what the per-run scales of `--precision int8` use) with the largest over all
the photos (what a static scale from a maximum calibration would use). Prints the bits of the 8
that the static scale loses: log2(largest over all / the photo's own), as median, 90th
percentile and worst over all tensors and photos. ReLU outputs start at 0, so the zero point is
0 either way. A measurement for the design of static scales (docs/performance.md, issue 15,
session 8); nothing in the product reads it.

Usage: int8_ranges.py MODEL.onnx HEIGHTxWIDTH [--golden DIR]
"""
import argparse
import glob
import os
import sys
import tempfile

import numpy as np
import onnx
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ort_bench import clean_copy  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("model")
    parser.add_argument("size", help="HEIGHTxWIDTH of the golden inputs, e.g. 240x320")
    parser.add_argument("--golden", default=os.path.join(os.path.dirname(__file__), "../../shared/golden"))
    args = parser.parse_args()
    files = sorted(glob.glob(os.path.join(args.golden, "inputs", f"*.1x3x{args.size}.f32")))
    if not files:
        sys.exit(f"int8_ranges: no {args.size} inputs in {args.golden}/inputs")
    with tempfile.TemporaryDirectory() as tmp:
        model = onnx.load(clean_copy(args.model, tmp))
        relus = [node.output[0] for node in model.graph.node if node.op_type == "Relu"]
        del model.graph.output[:]
        for name in relus:
            model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
        path = os.path.join(tmp, "relu-outputs.onnx")
        onnx.save(model, path)
        session = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
        name = session.get_inputs()[0].name
        shape = [1, 3] + [int(v) for v in args.size.split("x")]
        largest = np.array(
            [[float(t.max()) for t in session.run(relus, {name: np.fromfile(f, dtype=np.float32).reshape(shape)})]
             for f in files])
    lost = np.log2(largest.max(axis=0)[None, :] / np.maximum(largest, 1e-9))
    print(f"{os.path.basename(args.model)} {args.size}: {len(files)} photos, {len(relus)} ReLU tensors")
    print("bits lost by a static maximum scale against the photo's own: median %.2f, 90th percentile %.2f, worst %.2f"
          % (np.median(lost), np.percentile(lost, 90), lost.max()))


if __name__ == "__main__":
    main()
