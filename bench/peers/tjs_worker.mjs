// transformers.js peer: the image-to-image pipeline on a local Swin2SR model folder, driven by peers.py.
// Protocol (one line each way): "RUN <inputDir> <outputDir>" -> JSON {seconds, loadSeconds, images}.
// The pipeline is created inside each timed run so that model loading counts for every peer alike.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { env, pipeline, RawImage } from '@huggingface/transformers';

// Args: folder holding <modelName>/{config.json,onnx/model.onnx}, model name, optional ORT intra-op threads
// (default: ONNX Runtime's own choice, one per core; 1 for the thread-count diagnostic in docs/peers/results.md).
const [modelRoot, modelName, threads] = process.argv.slice(2);
const session_options = threads ? { intraOpNumThreads: Number(threads) } : {};
env.allowRemoteModels = false; // never touch the network at run time
env.localModelPath = modelRoot;
const scale = JSON.parse(fs.readFileSync(path.join(modelRoot, modelName, 'config.json'), 'utf8')).upscale;
const images = /\.(png|jpe?g|webp|bmp|tiff?)$/i;

async function run(inputDir, outputDir) {
  fs.mkdirSync(outputDir, { recursive: true });
  const start = performance.now();
  const upscaler = await pipeline('image-to-image', modelName, { local_files_only: true, dtype: 'fp32', device: 'cpu', session_options });
  const loadSeconds = (performance.now() - start) / 1000;
  let count = 0;
  for (const name of fs.readdirSync(inputDir).filter((n) => images.test(n)).sort()) {
    const image = await RawImage.read(path.join(inputDir, name)); // decoded once, by sharp, as the pipeline would
    const { width, height } = image;
    const output = await upscaler(image); // whole image in one call, padded to a multiple of 8
    // The pipeline returns the padded canvas times the scale: crop to exactly W*s x H*s (inclusive bounds).
    const cropped = await output.crop([0, 0, width * scale - 1, height * scale - 1]);
    await cropped.save(path.join(outputDir, name.replace(/\.[^.]+$/, '.png')));
    count++;
  }
  await upscaler.dispose();
  return { seconds: (performance.now() - start) / 1000, loadSeconds, images: count };
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, inputDir, outputDir] = line.trim().split(' ');
  if (command !== 'RUN') break;
  process.stdout.write(JSON.stringify(await run(inputDir, outputDir)) + '\n');
}
