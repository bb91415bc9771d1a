"""Export a Swin2SR checkpoint to ONNX (opset 17) with the module's input/output contract.

Input `pixel_values` float32 [batch, 3, height, width], RGB in [0, 1], height and width multiples of
the window size (8); output `reconstruction` float32 [batch, 3, scale*height, scale*width].
Metadata: scale, window_size, swin2sr.arch (JSON of the hyper-parameters).

Usage: /usr/bin/python3 models/tools/export.py CHECKPOINT.pt OUT.onnx
"""
import argparse
import json

import onnx
import torch

from swin2sr import Swin2SR, Swin2SRConfig

OPSET = 17


def save_checkpoint(path, model, **extra):
    torch.save({"config": model.config.to_json_dict(), "state_dict": model.state_dict(), **extra}, path)


def load_checkpoint(path):
    """(model in eval mode, checkpoint dict)."""
    checkpoint = torch.load(path, map_location="cpu")
    model = Swin2SR(Swin2SRConfig.from_json_dict(checkpoint["config"]))
    model.load_state_dict(checkpoint["state_dict"])
    return model.eval(), checkpoint


def export_onnx(model, path):
    config = model.config
    # Traced at a non-square size that is not the size of any check, so nothing can silently depend on it.
    example = torch.rand(1, 3, 3 * config.window_size, 2 * config.window_size)
    with torch.no_grad():
        torch.onnx.export(
            model, example, path, opset_version=OPSET,
            input_names=["pixel_values"], output_names=["reconstruction"],
            dynamic_axes={"pixel_values": {0: "batch", 2: "height", 3: "width"},
                          "reconstruction": {0: "batch", 2: f"height_x{config.scale}", 3: f"width_x{config.scale}"}},
        )
    onnx_model = onnx.load(path)
    metadata = {"scale": str(config.scale), "window_size": str(config.window_size),
                "swin2sr.arch": json.dumps(config.to_json_dict(), sort_keys=True)}
    onnx.helper.set_model_props(onnx_model, metadata)
    onnx.checker.check_model(onnx_model)
    onnx.save(onnx_model, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("out")
    args = parser.parse_args()
    model, _ = load_checkpoint(args.checkpoint)
    export_onnx(model, args.out)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
