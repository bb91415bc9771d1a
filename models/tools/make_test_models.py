"""Build the tiny closed-form ONNX models in models/test/ and verify them numerically.

They follow the same contract as the real Swin2SR exports (input `pixel_values` [B,3,H,W] float32,
output `reconstruction` [B,3,sH,sW], opset 17) but compute something simple enough that a test can
predict every output pixel exactly, so the C# pipeline (tiling, batching, padding) can be tested
without depending on learned weights.

Usage: /usr/bin/python3 models/tools/make_test_models.py [--out models/test]
"""
import argparse
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import ort_node

OPSET = 17
CHANNELS = 3


def value_info(name, height_dim, width_dim, elem_type=TensorProto.FLOAT, channels=CHANNELS):
    return helper.make_tensor_value_info(name, elem_type, ["batch", channels, height_dim, width_dim])


def nearest_upscale_nodes(input_name, output_name, scale, prefix):
    """Nodes for an exact nearest-neighbour upscale: no arithmetic, only copies.

    DepthToSpace in DCR mode reads output pixel (y*s+i, x*s+j) of channel c from input channel
    (i*s + j)*C + c. Tiling the whole tensor s*s times along the channel axis puts a copy of channel c
    at exactly those indices, so every sub-pixel of the s*s block receives in[c, y, x].
    """
    repeats = numpy_helper.from_array(np.array([1, scale * scale, 1, 1], dtype=np.int64), f"{prefix}_repeats")
    tiled = f"{prefix}_tiled"
    nodes = [
        helper.make_node("Tile", [input_name, repeats.name], [tiled], name=f"{prefix}_tile"),
        helper.make_node("DepthToSpace", [tiled], [output_name], blocksize=scale, mode="DCR", name=f"{prefix}_d2s"),
    ]
    return nodes, [repeats]


def box_blur_nodes(input_name, output_name, prefix, dtype=np.float32):
    """Nodes for a per-channel 3x3 mean filter over a reflect-padded image (output keeps H and W); the weights in
    `dtype`, the type of the image."""
    pads = numpy_helper.from_array(np.array([0, 0, 1, 1, 0, 0, 1, 1], dtype=np.int64), f"{prefix}_pads")
    weights = numpy_helper.from_array(np.full((CHANNELS, 1, 3, 3), 1.0 / 9.0, dtype=dtype), f"{prefix}_weights")
    padded = f"{prefix}_padded"
    nodes = [
        helper.make_node("Pad", [input_name, pads.name], [padded], mode="reflect", name=f"{prefix}_pad"),
        helper.make_node("Conv", [padded, weights.name], [output_name], group=CHANNELS, kernel_shape=[3, 3],
                         name=f"{prefix}_conv"),
    ]
    return nodes, [pads, weights]


def window_partition_nodes(input_name, output_name, window, prefix):
    """Nodes that reshape [B,C,H,W] into [B,C,H/w,w,W/w,w] blocks and back, as a Swin model's window partition does:
    the values pass unchanged, and an input whose height or width is no multiple of the window fails in Reshape."""
    def const(name, values):
        return numpy_helper.from_array(np.array(values, dtype=np.int64), f"{prefix}_{name}")
    inits = [const("zero", [0]), const("two", [2]), const("three", [3]), const("four", [4]), const("window", [window])]
    zero, two, three, four, size = (t.name for t in inits)
    shape, blocks = f"{prefix}_shape", f"{prefix}_blocks"
    nodes = [
        helper.make_node("Shape", [input_name], [shape]),
        helper.make_node("Slice", [shape, zero, two], [f"{prefix}_bc"]),
        helper.make_node("Slice", [shape, two, three], [f"{prefix}_h"]),
        helper.make_node("Slice", [shape, three, four], [f"{prefix}_w"]),
        helper.make_node("Div", [f"{prefix}_h", size], [f"{prefix}_hw"]),
        helper.make_node("Div", [f"{prefix}_w", size], [f"{prefix}_ww"]),
        helper.make_node("Concat", [f"{prefix}_bc", f"{prefix}_hw", size, f"{prefix}_ww", size], [f"{prefix}_block_shape"], axis=0),
        # allowzero: a 0 (an input smaller than the window) is a size of 0, not "copy the input's dimension".
        helper.make_node("Reshape", [input_name, f"{prefix}_block_shape"], [blocks], allowzero=1),
        helper.make_node("Reshape", [blocks, shape], [output_name]),
    ]
    return nodes, inits


def make_model(name, nodes, initializers, scale, doc, states=("scale", "window_size"), elem_type=TensorProto.FLOAT,
               channels=CHANNELS):
    """`states`: the metadata entries the model states besides its name; a model from other tools states none, or only
    some (its scale, say). `elem_type` and `channels`: the input's and output's element type and channels."""
    graph = helper.make_graph(
        nodes, name,
        [value_info("pixel_values", "height", "width", elem_type, channels)],
        [value_info("reconstruction", f"height_x{scale}", f"width_x{scale}", elem_type, channels)],
        initializer=initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="make_test_models.py")
    model.ir_version = 8  # the IR version that opset 17 shipped with; readable by any ONNX Runtime >= 1.13
    model.doc_string = doc
    stated = {"scale": str(scale), "window_size": "8"}
    helper.set_model_props(model, {**{key: stated[key] for key in states}, "test_model": name})
    onnx.checker.check_model(model, full_check=True)
    return model


def build_nearest(scale):
    nodes, inits = nearest_upscale_nodes("pixel_values", "reconstruction", scale, "nearest")
    return make_model(f"nearest-x{scale}", nodes, inits, scale,
                      f"Exact nearest-neighbour x{scale}: out[b,c,y,x] = in[b,c,y//{scale},x//{scale}].")


def build_nearest_y_x2():
    """Nearest x2 of one channel, as a luma (Y-channel) or grayscale super-resolution model takes and gives."""
    nodes, inits = nearest_upscale_nodes("pixel_values", "reconstruction", 2, "nearest")
    return make_model("nearest-y-x2", nodes, inits, 2,
                      "Exact nearest-neighbour x2 of one channel: out[b,0,y,x] = in[b,0,y//2,x//2].", channels=1)


def build_boxblur_x2():
    blur_nodes, blur_inits = box_blur_nodes("pixel_values", "blurred", "blur")
    up_nodes, up_inits = nearest_upscale_nodes("blurred", "reconstruction", 2, "nearest")
    return make_model("boxblur-x2", blur_nodes + up_nodes, blur_inits + up_inits, 2,
                      "Per-channel 3x3 box mean over a reflect-padded input, then exact nearest x2.")


def build_boxblur_external_x2():
    """boxblur-x2 with every tensor in a file beside the model (ONNX external data), as exports over 2 GB keep their
    weights and some tools write any model: the graph names the file in each tensor's external_data `location`."""
    blur_nodes, blur_inits = box_blur_nodes("pixel_values", "blurred", "blur")
    up_nodes, up_inits = nearest_upscale_nodes("blurred", "reconstruction", 2, "nearest")
    return make_model("boxblur-external-x2", blur_nodes + up_nodes, blur_inits + up_inits, 2,
                      "boxblur-x2 with its tensors in boxblur-external-x2.onnx.data (ONNX external data).")


# The models written with their tensors in a file beside them: the file's name, as each tensor's location states it.
EXTERNAL_DATA = {"boxblur-external-x2": "boxblur-external-x2.onnx.data"}


def build_boxblur_fp16_x2():
    """boxblur-x2 as onnxconverter-common's float16 conversion with keep_io_types=False leaves a model (a common way
    to halve one): weights, input and output in float16, the operators unchanged (ONNX Runtime's CPU casts around
    those it has no half kernel for)."""
    blur_nodes, blur_inits = box_blur_nodes("pixel_values", "blurred", "blur", dtype=np.float16)
    up_nodes, up_inits = nearest_upscale_nodes("blurred", "reconstruction", 2, "nearest")
    return make_model("boxblur-fp16-x2", blur_nodes + up_nodes, blur_inits + up_inits, 2,
                      "boxblur-x2 in float16: input, weights (1/9 as a half) and output.", elem_type=TensorProto.FLOAT16)


def build_invert_x2():
    """A broken model on purpose, for the quality gate's tests: its output is the negative of the picture (as wrong
    as an export that expects another value range or channel order), so it shrinks back to nothing like its input."""
    one = numpy_helper.from_array(np.array(1.0, dtype=np.float32), "invert_one")
    invert = helper.make_node("Sub", [one.name, "pixel_values"], ["inverted"], name="invert_sub")
    up_nodes, up_inits = nearest_upscale_nodes("inverted", "reconstruction", 2, "nearest")
    return make_model("invert-x2", [invert] + up_nodes, [one] + up_inits, 2,
                      "The negative of the input, then exact nearest x2: out[b,c,y,x] = 1 - in[b,c,y//2,x//2].")


def build_window16_x2(name="window16-x2", states=()):
    """Nearest x2 that, like a Swin export from another tool, fails unless height and width are multiples of its
    window (16) and states nothing in its metadata (`states`: or only those entries): neither scale nor window."""
    window_nodes, window_inits = window_partition_nodes("pixel_values", "partitioned", 16, "window")
    up_nodes, up_inits = nearest_upscale_nodes("partitioned", "reconstruction", 2, "nearest")
    return make_model(name, window_nodes + up_nodes, window_inits + up_inits, 2,
                      "Exact nearest x2 of an input whose height and width must be multiples of 16 (window partition).",
                      states)


def build_bytes_x2():
    """Nearest x2 in 0..255 rather than 0..1, as some exports from other tools end with a multiplication by 255; no
    metadata, like them, so that loading it runs it and can see its value range."""
    factor = numpy_helper.from_array(np.array(255.0, dtype=np.float32), "bytes_factor")
    up_nodes, up_inits = nearest_upscale_nodes("pixel_values", "upscaled", 2, "nearest")
    to_bytes = helper.make_node("Mul", ["upscaled", factor.name], ["reconstruction"], name="bytes_mul")
    return make_model("bytes-x2", up_nodes + [to_bytes], up_inits + [factor], 2,
                      "Exact nearest x2 in 0..255: out[b,c,y,x] = 255 * in[b,c,y//2,x//2].", states=())


def expected_nearest(x, scale):
    return x.repeat(scale, axis=2).repeat(scale, axis=3)


def expected_boxblur_x2(x, weight=1.0 / 9.0):
    padded = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)), mode="reflect")
    height, width = x.shape[2:]
    box = sum(padded[:, :, dy:dy + height, dx:dx + width] for dy in range(3) for dx in range(3)) * weight
    return expected_nearest(box, 2)


def verify(model_path, expected_fn, exact, shapes=((1, 3, 8, 8), (2, 3, 16, 40), (1, 3, 5, 3)), dtype=np.float32):
    """Run the saved model with ONNX Runtime (see ort_node.py) on inputs of `dtype` and compare with the numpy
    closed form."""
    rng = np.random.default_rng(0)
    inputs = [rng.random(shape, dtype=np.float32).astype(dtype) for shape in shapes]
    for shape, x, actual in zip(shapes, inputs, ort_node.run_model(model_path, inputs)):
        expected = expected_fn(x.astype(np.float64))
        assert actual.shape == expected.shape and actual.dtype == dtype, (model_path, actual.shape, actual.dtype)
        diff = float(np.abs(actual.astype(np.float64) - expected).max())
        # Nearest upscaling only copies values, so it must be bit-exact; the blur sums nine float32s. Rounding grows
        # with the values (bytes-x2's 0..255), so the limit is relative to the largest; a float16 output is rounded
        # to 11 significant bits (half a unit is 2**-11 at 1).
        precision = 2.0 ** -11 if dtype == np.float16 else 1e-6
        limit = 0.0 if exact else precision * max(1.0, float(np.abs(expected).max()))
        assert diff <= limit, (model_path, shape, diff)
        print(f"  {model_path.name} {shape}: max abs diff {diff:.3g}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[1] / "test"))
    args = parser.parse_args()
    out_dir = pathlib.Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)

    window_shapes = ((1, 3, 16, 16), (2, 3, 32, 48))  # multiples of the window: other sizes fail, as they should
    default_shapes = verify.__defaults__[0]
    luma_shapes = ((1, 1, 8, 8), (2, 1, 16, 40), (1, 1, 5, 3))
    half_ninth = float(np.float16(1.0 / 9.0))  # the fp16 model's weight
    builds = [
        (build_nearest(2), lambda x: expected_nearest(x, 2), True),
        (build_nearest(4), lambda x: expected_nearest(x, 4), True),
        (build_nearest_y_x2(), lambda x: expected_nearest(x, 2), True, luma_shapes),
        (build_boxblur_x2(), expected_boxblur_x2, False),
        (build_invert_x2(), lambda x: expected_nearest(1 - x, 2), False),
        (build_window16_x2(), lambda x: expected_nearest(x, 2), True, window_shapes),
        (build_window16_x2("window16-scale-x2", states=("scale",)), lambda x: expected_nearest(x, 2), True, window_shapes),
        (build_bytes_x2(), lambda x: 255 * expected_nearest(x, 2), False),
        (build_boxblur_fp16_x2(), lambda x: expected_boxblur_x2(x, half_ninth), False, default_shapes, np.float16),
        (build_boxblur_external_x2(), expected_boxblur_x2, False),
    ]
    for model, expected_fn, exact, *shapes_and_type in builds:
        path = out_dir / f"{model.graph.name}.onnx"
        if model.graph.name in EXTERNAL_DATA:
            # size_threshold=100: the 108-byte blur weights go to the file; shape inputs (the 64 bytes of Pad's pads) stay
            # inside, as exporters keep small tensors: ONNX Runtime cannot load a Pad whose pads are external data
            # ("Cannot parse data from external tensors", 1.31).
            # onnx appends to a data file that is there: a second run would leave the first one's bytes in it.
            (out_dir / EXTERNAL_DATA[model.graph.name]).unlink(missing_ok=True)
            onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                            location=EXTERNAL_DATA[model.graph.name], size_threshold=100)
        else:
            onnx.save(model, str(path))
        print(f"wrote {path}")
        if ort_node.is_available():
            verify(path, expected_fn, exact, *shapes_and_type)
        else:
            print(f"  not verified: no onnxruntime-node in {ort_node.DEFAULT_NODE_MODULES} (see ort_node.py)")


if __name__ == "__main__":
    main()
