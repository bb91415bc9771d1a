"""Run an ONNX model with ONNX Runtime through node and the npm package onnxruntime-node.

The Debian onnx (1.12) has no reference evaluator and there is no onnxruntime wheel here, but npm
serves onnxruntime-node with the same CPU kernels the C# module uses. Install it outside the repo:

    mkdir -p /tmp/ortcheck && cd /tmp/ortcheck && npm init -y && npm install onnxruntime-node

and pass its node_modules folder (default: /tmp/ortcheck/node_modules, or $ORT_NODE_MODULES).
Tensors travel as raw little-endian float32 files in a temporary folder.
"""
import json
import os
import pathlib
import subprocess
import tempfile

import numpy as np

DEFAULT_NODE_MODULES = os.environ.get("ORT_NODE_MODULES", "/tmp/ortcheck/node_modules")

# Reads jobs.json: {model, jobs: [{input, shape, output}]}; writes each output and its shape (.json).
RUNNER_JS = r"""
const fs = require('fs');
const ort = require('onnxruntime-node');
(async () => {
  const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const session = await ort.InferenceSession.create(spec.model, { intraOpNumThreads: 1 });
  for (const job of spec.jobs) {
    const bytes = fs.readFileSync(job.input);
    const data = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, job.shape) };
    const result = (await session.run(feeds))[session.outputNames[0]];
    fs.writeFileSync(job.output, Buffer.from(result.data.buffer, result.data.byteOffset, result.data.byteLength));
    fs.writeFileSync(job.output + '.json', JSON.stringify(result.dims));
  }
})().catch((e) => { console.error(e); process.exit(1); });
"""


def is_available(node_modules=DEFAULT_NODE_MODULES):
    return (pathlib.Path(node_modules) / "onnxruntime-node").is_dir()


def run_model(model_path, inputs, node_modules=DEFAULT_NODE_MODULES):
    """Run the model once per float32 array in `inputs`; returns the outputs in the same order."""
    with tempfile.TemporaryDirectory(prefix="ort_node_") as tmp:
        tmp = pathlib.Path(tmp)
        jobs = []
        for i, array in enumerate(inputs):
            input_path = tmp / f"in{i}.bin"
            np.ascontiguousarray(array, dtype="<f4").tofile(input_path)
            jobs.append({"input": str(input_path), "shape": list(array.shape), "output": str(tmp / f"out{i}.bin")})
        spec_path = tmp / "jobs.json"
        spec_path.write_text(json.dumps({"model": str(pathlib.Path(model_path).resolve()), "jobs": jobs}))
        script_path = tmp / "runner.js"
        script_path.write_text(RUNNER_JS)
        env = dict(os.environ, NODE_PATH=str(node_modules))
        subprocess.run(["node", str(script_path), str(spec_path)], check=True, env=env)
        outputs = []
        for job in jobs:
            shape = json.loads(pathlib.Path(job["output"] + ".json").read_text())
            outputs.append(np.fromfile(job["output"], dtype="<f4").reshape(shape))
        return outputs
