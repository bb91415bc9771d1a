// The peers' engine alone: onnxruntime-node (the runtime transformers.js runs on) running one ONNX model on one input
// shape in a loop, to compare with the product's bare loop (Swin2SR.Bench throughput) on the same model and shape.
// Usage, from bench/peers after npm ci: node bare_session.mjs <model.onnx> <height> <width> <intra-op threads, 0: ORT's choice> <seconds>
import ort from 'onnxruntime-node';

const [model, height, width, threads, seconds] = process.argv.slice(2);
const options = { graphOptimizationLevel: 'all' };
if (threads !== '0') options.intraOpNumThreads = Number(threads);
const session = await ort.InferenceSession.create(model, options);
const [h, w] = [Number(height), Number(width)];
const data = Float32Array.from({ length: 3 * h * w }, () => Math.random());
const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', data, [1, 3, h, w]) };
await session.run(feeds); // warm-up: the first run plans memory
let runs = 0;
const start = performance.now();
while (performance.now() - start < seconds * 1000) {
  await session.run(feeds);
  runs++;
}
console.log(`onnxruntime-node ${h}x${w}, ${threads} threads: ${(runs / ((performance.now() - start) / 1000)).toFixed(3)} runs/s`);
