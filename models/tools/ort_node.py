"""Run an ONNX model with ONNX Runtime through node and the npm package onnxruntime-node.

The Debian onnx (1.12) has no reference evaluator and there is no onnxruntime wheel here, but npm
serves onnxruntime-node with the same CPU kernels the C# module uses. Install it outside the repo:

    mkdir -p /tmp/ortcheck && cd /tmp/ortcheck && npm init -y && npm install onnxruntime-node

and pass its node_modules folder (default: /tmp/ortcheck/node_modules, or $ORT_NODE_MODULES).
Tensors travel as raw little-endian float32 (or float16, for a model with half-precision input and output) files
in a temporary folder.
"""
import json
import os
import pathlib
import subprocess
import tempfile

import numpy as np

DEFAULT_NODE_MODULES = os.environ.get("ORT_NODE_MODULES", "/tmp/ortcheck/node_modules")

# Reads jobs.json: {model, jobs: [{input, type, shape, output}]}; writes each output and its type and shape (.json).
# A float16 tensor's data is a Uint16Array of the halves' bits (node has no Float16Array).
RUNNER_JS = r"""
const fs = require('fs');
const ort = require('onnxruntime-node');
const arrays = { float32: Float32Array, float16: Uint16Array };
(async () => {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, { intraOpNumThreads: 1 });
  for (const job of spec.jobs) {
    const bytes = fs.readFileSync(job.input);
    const array = arrays[job.type];
    const data = new array(bytes.buffer, bytes.byteOffset, bytes.byteLength / array.BYTES_PER_ELEMENT);
    const feeds = { [session.inputNames[0]]: new ort.Tensor(job.type, data, job.shape) };
    const result = (await session.run(feeds))[session.outputNames[0]];
    fs.writeFileSync(job.output, Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
    fs.writeFileSync(job.output + '.json', JSON.stringify({ type: result.type, dims: result.dims }));
  }
})().catch((e) => { console.error(e); process.exit(1); });
"""

# The tensor types a job can carry, as ONNX Runtime names them, and their little-endian numpy types.
DTYPES = {"float32": "<f4", "float16": "<f2"}


def is_available(node_modules=DEFAULT_NODE_MODULES):
    return (pathlib.Path(node_modules) / "onnxruntime-node").is_dir()


def run_model(model_path, inputs, node_modules=DEFAULT_NODE_MODULES):
    """Run the model once per float32 (or float16) array in `inputs`; returns the outputs in the same order."""
    with tempfile.TemporaryDirectory(prefix="ort_node_") as tmp:
        tmp = pathlib.Path(tmp)
        jobs = []
        for i, array in enumerate(inputs):
            input_path = tmp / f"in{i}.bin"
            tensor_type = "float16" if array.dtype == np.float16 else "float32"
            np.ascontiguousarray(array, dtype=DTYPES[tensor_type]).tofile(input_path)
            jobs.append({"input": str(input_path), "type": tensor_type, "shape": list(array.shape),
                         "output": str(tmp / f"out{i}.bin")})
        spec_path = tmp / "jobs.json"
        spec_path.write_text(json.dumps({"model": str(pathlib.Path(model_path).resolve()), "jobs": jobs}))
        script_path = tmp / "runner.js"
        script_path.write_text(RUNNER_JS)
        env = dict(os.environ, NODE_PATH=str(node_modules))
        subprocess.run(["node", str(script_path), str(spec_path)], check=True, env=env)
        outputs = []
        for job in jobs:
            result = json.loads(pathlib.Path(job["output"] + ".json").read_text())
            outputs.append(np.fromfile(job["output"], dtype=DTYPES[result["type"]]).reshape(result["dims"]))
        return outputs
