"""Train a tiny Swin2SR on CPU, then export it to ONNX and check the export.

Training data: BSD100/HR and Urban100/HR_half (never Set5, which is for evaluation only). Each step
draws random HR crops, augments them with flips and 90-degree rotations, and makes the LR input by
PIL's antialiased bicubic downscale. L1 loss, Adam, linear warm-up then cosine decay.

The length of a run is either a number of steps (--steps: deterministic given the seed, with one
thread) or a wall-clock budget (--minutes: the cosine follows elapsed time and training stops when the
budget is spent, so it uses whatever CPU a shared machine gives but is not bit-reproducible; the log
records how many steps it reached).

Usage: /usr/bin/python3 models/tools/train.py --scale 2 --steps 2000 --seed 1 --out models/swin2sr-tiny-x2.onnx
"""
import argparse
import math
import os
import pathlib
import sys
import time

TCMALLOC = "/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4"


def reexec_with_tcmalloc():
    """glibc returns the large attention buffers to the OS after every op, and re-faulting them in
    made training 3-4x slower on this machine; tcmalloc (Debian libtcmalloc-minimal4) keeps them."""
    if os.path.exists(TCMALLOC) and TCMALLOC not in os.environ.get("LD_PRELOAD", ""):
        os.environ["LD_PRELOAD"] = TCMALLOC
        os.execv(sys.executable, [sys.executable] + sys.argv)


reexec_with_tcmalloc()

import numpy as np  # noqa: E402  (after the re-exec, so the allocator is in place before torch loads)
import torch  # noqa: E402

import check_export  # noqa: E402
import evaluation  # noqa: E402
import export  # noqa: E402
import imaging  # noqa: E402
from swin2sr import Swin2SR, Swin2SRConfig, count_parameters  # noqa: E402

TOOLS_DIR = pathlib.Path(__file__).resolve().parent
TRAIN_FOLDERS = ("BSD100/HR", "Urban100/HR_half")


def load_training_images(data_dir):
    paths = [p for folder in TRAIN_FOLDERS for p in sorted((pathlib.Path(data_dir) / folder).glob("*.png"))]
    if not paths:
        raise FileNotFoundError(f"no training images under {data_dir}/{{{','.join(TRAIN_FOLDERS)}}}")
    return [imaging.load_rgb(p) for p in paths]


def sample_batch(images, rng, batch_size, lr_crop, scale):
    """(lr float32 [B,3,c,c], hr float32 [B,3,sc,sc]) from random augmented crops."""
    hr_crop = lr_crop * scale
    lrs, hrs = [], []
    for _ in range(batch_size):
        image = images[rng.integers(len(images))]
        top = rng.integers(image.shape[0] - hr_crop + 1)
        left = rng.integers(image.shape[1] - hr_crop + 1)
        hr = image[top:top + hr_crop, left:left + hr_crop]
        if rng.integers(2):
            hr = hr[:, ::-1]
        hr = np.ascontiguousarray(np.rot90(hr, k=rng.integers(4)))
        lrs.append(imaging.to_nchw_float(imaging.bicubic_downscale(hr, scale)))
        hrs.append(imaging.to_nchw_float(hr))
    return torch.from_numpy(np.concatenate(lrs)), torch.from_numpy(np.concatenate(hrs))


def learning_rate(step, progress, peak, warmup):
    """Linear warm-up over `warmup` steps, then cosine decay over progress (0 -> 1) of the run."""
    if step < warmup:
        return peak * (step + 1) / warmup
    return peak * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


def evaluate_torch(model, pairs):
    def upscale(x):
        with torch.no_grad():
            return model(torch.from_numpy(x)).numpy()

    model.eval()
    result = evaluation.evaluate(upscale, pairs, model.config.scale, model.config.window_size)
    model.train()
    return result


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, required=True, choices=(2, 4))
    length = parser.add_mutually_exclusive_group(required=True)
    length.add_argument("--steps", type=int, help="train this many steps (deterministic)")
    length.add_argument("--minutes", type=float, help="train for this wall-clock time (not reproducible)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True, help="ONNX file to write")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr-crop", type=int, default=48, help="LR crop side (multiple of the window)")
    parser.add_argument("--lr", type=float, default=1e-3, help="peak learning rate")
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--eval-every", type=int, default=250)
    parser.add_argument("--log-every", type=int, default=25)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--data", default=str(evaluation.DEFAULT_DATA_DIR))
    parser.add_argument("--embed-dim", type=int, default=48)
    parser.add_argument("--depths", default="2,2", help="layers per residual group")
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--mlp-ratio", type=float, default=2.0)
    parser.add_argument("--num-feat", type=int, default=32)
    parser.add_argument("--init", help="checkpoint to continue from (its architecture wins); the log is appended to")
    return parser.parse_args()


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    config = Swin2SRConfig(scale=args.scale, embed_dim=args.embed_dim,
                           depths=tuple(int(d) for d in args.depths.split(",")), num_heads=args.heads,
                           mlp_ratio=args.mlp_ratio, num_feat=args.num_feat)
    if args.init:
        model, _ = export.load_checkpoint(args.init)
        config = model.config
        model.train()
    else:
        model = Swin2SR(config).train()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, betas=(0.9, 0.99))

    name = pathlib.Path(args.out).stem
    (TOOLS_DIR / "logs").mkdir(exist_ok=True)
    (TOOLS_DIR / "checkpoints").mkdir(exist_ok=True)
    checkpoint_path = TOOLS_DIR / "checkpoints" / f"{name}.pt"
    log_file = open(TOOLS_DIR / "logs" / f"train-x{args.scale}.log", "a" if args.init else "w", buffering=1)

    def log(message):
        line = f"[{time.strftime('%H:%M:%S')}] {message}"
        print(line, flush=True)
        log_file.write(line + "\n")

    log(f"args {vars(args)}")
    log(f"config {config.to_json_dict()} parameters {count_parameters(model)}")
    images = load_training_images(args.data)
    set5 = evaluation.load_set5(args.scale, args.data)
    log(f"{len(images)} training images")

    start = time.time()

    def progress(step):
        if args.steps:
            return (step - args.warmup) / max(1, args.steps - args.warmup)
        return (time.time() - start) / (60.0 * args.minutes)

    running_loss = 0.0
    step = 0
    finished = False
    while not finished:
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, progress(step), args.lr, args.warmup)
        lr_batch, hr_batch = sample_batch(images, rng, args.batch, args.lr_crop, args.scale)
        loss = torch.nn.functional.l1_loss(model(lr_batch), hr_batch)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        running_loss += loss.item()

        step += 1
        if step % args.log_every == 0:
            elapsed = time.time() - start
            log(f"step {step} progress {min(1.0, progress(step)):.3f} loss {running_loss / args.log_every:.5f} "
                f"lr {optimizer.param_groups[0]['lr']:.2e} {step / elapsed:.3f} steps/s elapsed {elapsed / 60:.1f} min")
            running_loss = 0.0
        # Decided once per step, so the last step always gets evaluated and checkpointed.
        finished = progress(step) >= 1.0 and step >= args.warmup
        if step % args.eval_every == 0 or finished:
            scores = evaluate_torch(model, set5)
            log(f"eval step {step} Set5 x{args.scale} PSNR-Y model {scores['model']:.3f} dB "
                f"bicubic {scores['bicubic']:.3f} dB gain {scores['model'] - scores['bicubic']:+.3f} dB")
            export.save_checkpoint(checkpoint_path, model, step=step, set5_psnr=scores["model"], args=vars(args))

    log(f"training took {(time.time() - start) / 60:.1f} min, {step} steps")
    model.eval()
    export.export_onnx(model, args.out)
    log(f"exported {args.out}")
    report = check_export.check(checkpoint_path, args.out, args.data)
    log(report)


if __name__ == "__main__":
    main()
