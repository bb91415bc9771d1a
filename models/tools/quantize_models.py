"""Quantize an ONNX model the way the quantized exports users bring were made, without onnxruntime's Python package.

transformers.js ships its Swin2SR exports (Xenova/swin2SR-*) beside `onnx/model.onnx` as:
- `model_quantized.onnx` and `model_uint8.onnx`: onnxruntime.quantization.quantize_dynamic with uint8 weights
  (transformers.js picks uint8 for any model with a Conv, since int8 ConvInteger has no kernel in onnxruntime-web);
- `model_int8.onnx`: the same with int8 weights, its Convs included;
- `model_q4.onnx`: MatMul weights in 4-bit blocks (com.microsoft MatMulNBits), the rest float32;
- `model_bnb4.onnx`: MatMul weights in bitsandbytes' 4-bit NF4 (com.microsoft MatMulBnb4), the rest float32.

There is no onnxruntime wheel here, so this rewrites the graph as quantize_dynamic does by default (per-tensor,
no reduce_range), with the onnx package:
- MatMul(A, B) -> DynamicQuantizeLinear(A) [and of B when B is no initializer, as quantize_dynamic does for
  attention's activation x activation products] -> MatMulInteger(Aq, Bq, Azp, Bzp) -> Cast(float) ->
  Mul(A_scale * B_scale);
- Conv(X, W, bias) -> DynamicQuantizeLinear(X) -> ConvInteger(Xq, Wq, Xzp, Wzp) -> Cast -> Mul(scales) -> Add(bias);
- weights per tensor: uint8 asymmetric over [min(w, 0), max(w, 0)], or int8 symmetric in -127..127 (zero point 0);
- q4: MatMul with an initializer B -> MatMulNBits(A, packed B, scales) with bits 4, block_size 32, no zero points
  (8 is implied): B transposed to [N, K], each block of 32 along K scaled by absmax/7 (symmetric, as
  MatMul4BitsQuantizer's default);
- bnb4: MatMul with an initializer B -> MatMulBnb4(A, packed B^T, absmax) with NF4 (quant_type 1), block_size 64:
  B transposed to [N, K] and flattened, each block of 64 scaled by its absmax to [-1, 1] and each value given the
  nearest of the 16 NF4 levels, two a byte (the first in the high nibble), as MatMulBnb4Quantizer does.

Usage: /usr/bin/python3 models/tools/quantize_models.py MODEL.onnx --kind uint8|int8|q4|bnb4 [--no-conv] -o OUT.onnx
"""
import argparse
import pathlib

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

# Weight element types and the integer range quantize_dynamic uses for them (int8 weights are symmetric).
WEIGHT_RANGES = {"uint8": (np.uint8, 0, 255), "int8": (np.int8, -127, 127)}
Q4_BLOCK = 32
BNB4_BLOCK = 64
# bitsandbytes' NF4 levels (normal-distribution quantiles scaled to [-1, 1]), as MatMulBnb4's CPU kernel decodes them.
NF4_LEVELS = np.array([-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
                       -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
                       0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
                       0.7229568362236023, 1.0], dtype=np.float32)


def quantize_weight(weights, kind):
    """Per-tensor quantization of a float array as onnxruntime's quantize_weight does: (quantized, scale, zero point)."""
    dtype, qmin, qmax = WEIGHT_RANGES[kind]
    rmin, rmax = min(float(weights.min()), 0.0), max(float(weights.max()), 0.0)
    if kind == "int8":
        absmax = max(abs(rmin), abs(rmax))
        rmin, rmax = -absmax, absmax
    scale = (rmax - rmin) / (qmax - qmin) if rmax > rmin else 1.0
    zero_point = int(round(qmin - rmin / scale))
    quantized = np.clip(np.round(weights / scale) + zero_point, qmin, qmax).astype(dtype)
    return quantized, np.float32(scale), dtype(zero_point)


class Rewriter:
    """Replaces nodes of a graph in place, adding the initializers the replacements need."""

    def __init__(self, model):
        self.graph = model.graph
        self.initializers = {init.name: init for init in self.graph.initializer}
        self.consumers = {}
        for node in self.graph.node:
            for name in node.input:
                self.consumers[name] = self.consumers.get(name, 0) + 1

    def add_initializer(self, array, name):
        self.graph.initializer.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def take_initializer(self, name):
        """The float array of an initializer; removed from the graph when this node is its only user."""
        init = self.initializers[name]
        array = numpy_helper.to_array(init)
        if self.consumers.get(name) == 1:
            self.graph.initializer.remove(init)
        return array

    def dynamic_quantize(self, tensor, prefix, nodes):
        names = [f"{prefix}_quantized", f"{prefix}_scale", f"{prefix}_zero_point"]
        nodes.append(helper.make_node("DynamicQuantizeLinear", [tensor], names, name=f"{prefix}_DynamicQuantizeLinear"))
        return names

    def static_quantize(self, tensor, prefix, kind):
        quantized, scale, zero_point = quantize_weight(self.take_initializer(tensor), kind)
        return [self.add_initializer(quantized, f"{prefix}_quantized"), self.add_initializer(scale, f"{prefix}_scale"),
                self.add_initializer(zero_point, f"{prefix}_zero_point")]

    def operand(self, tensor, prefix, kind, nodes):
        return (self.static_quantize(tensor, prefix, kind) if tensor in self.initializers
                else self.dynamic_quantize(tensor, prefix, nodes))

    def integer_op(self, node, op_type, kind, attributes):
        """DynamicQuantizeLinear of the input, the integer op on both operands, then back to float by the scales."""
        prefix = node.name or node.output[0]
        nodes = []
        a, a_scale, a_zero = self.dynamic_quantize(node.input[0], f"{prefix}_A", nodes)
        b, b_scale, b_zero = self.operand(node.input[1], f"{prefix}_B", kind, nodes)
        integer, as_float, scales = f"{prefix}_int32", f"{prefix}_float", f"{prefix}_scales"
        has_bias = len(node.input) > 2 and node.input[2]
        scaled = f"{prefix}_scaled" if has_bias else node.output[0]
        nodes += [
            helper.make_node(op_type, [a, b, a_zero, b_zero], [integer], name=f"{prefix}_quant", **attributes),
            helper.make_node("Cast", [integer], [as_float], to=TensorProto.FLOAT, name=f"{prefix}_cast"),
            helper.make_node("Mul", [a_scale, b_scale], [scales], name=f"{prefix}_scales_mul"),
            helper.make_node("Mul", [as_float, scales], [scaled], name=f"{prefix}_output_scale_mul"),
        ]
        if has_bias:
            bias = self.take_initializer(node.input[2]).reshape(1, -1, 1, 1)
            nodes.append(helper.make_node("Add", [scaled, self.add_initializer(bias, f"{prefix}_bias_reshaped")],
                                          [node.output[0]], name=f"{prefix}_bias_add"))
        return nodes

    def matmul_nbits(self, node):
        """MatMulNBits(A, packed B^T, scales): 4-bit symmetric blocks of Q4_BLOCK along K, zero point 8 implied."""
        weights = self.take_initializer(node.input[1]).astype(np.float32)  # [K, N]
        k, n = weights.shape
        blocks = -(-k // Q4_BLOCK)
        padded = np.zeros((n, blocks * Q4_BLOCK), np.float32)
        padded[:, :k] = weights.T
        padded = padded.reshape(n, blocks, Q4_BLOCK)
        scales = np.abs(padded).max(axis=2) / 7.0
        scales[scales == 0] = 1.0
        quantized = np.clip(np.round(padded / scales[:, :, None]) + 8, 0, 15).astype(np.uint8)
        packed = quantized[:, :, 0::2] | (quantized[:, :, 1::2] << 4)  # the first of each pair in the low nibble
        prefix = node.name or node.output[0]
        inputs = [node.input[0], self.add_initializer(packed, f"{prefix}_Q4"),
                  self.add_initializer(scales.astype(np.float32).reshape(-1), f"{prefix}_scales")]
        return [helper.make_node("MatMulNBits", inputs, [node.output[0]], name=f"{prefix}_Q4", domain="com.microsoft",
                                 K=k, N=n, bits=4, block_size=Q4_BLOCK)]

    def matmul_bnb4(self, node):
        """MatMulBnb4(A, packed NF4 B^T, absmax): blocks of BNB4_BLOCK over B^T flattened."""
        weights = self.take_initializer(node.input[1]).astype(np.float32)  # [K, N]
        k, n = weights.shape
        flat = weights.T.reshape(-1)
        blocks = -(-flat.size // BNB4_BLOCK)
        padded = np.zeros(blocks * BNB4_BLOCK, np.float32)
        padded[:flat.size] = flat
        absmax = np.abs(padded.reshape(blocks, BNB4_BLOCK)).max(axis=1)
        scaled = padded.reshape(blocks, BNB4_BLOCK) / np.where(absmax == 0, 1, absmax)[:, None]
        codes = np.abs(scaled.reshape(-1, 1) - NF4_LEVELS[None, :]).argmin(axis=1).astype(np.uint8)[:flat.size]
        codes = np.append(codes, np.uint8(7)) if codes.size % 2 else codes  # 7: NF4's zero
        packed = (codes[0::2] << 4) | codes[1::2]
        prefix = node.name or node.output[0]
        inputs = [node.input[0], self.add_initializer(packed, f"{prefix}_Bnb4"),
                  self.add_initializer(absmax.astype(np.float32), f"{prefix}_absmax")]
        return [helper.make_node("MatMulBnb4", inputs, [node.output[0]], name=f"{prefix}_Bnb4", domain="com.microsoft",
                                 K=k, N=n, block_size=BNB4_BLOCK, quant_type=1)]

    def replacement(self, node, kind, convs):
        if node.op_type == "MatMul" and kind in ("q4", "bnb4"):
            if node.input[1] not in self.initializers:
                return None
            return self.matmul_nbits(node) if kind == "q4" else self.matmul_bnb4(node)
        if node.op_type == "MatMul":
            return self.integer_op(node, "MatMulInteger", kind, {})
        if node.op_type == "Conv" and convs and kind in WEIGHT_RANGES and node.input[1] in self.initializers:
            attributes = {a.name: helper.get_attribute_value(a) for a in node.attribute}
            return self.integer_op(node, "ConvInteger", kind, attributes)
        return None

    def run(self, kind, convs):
        rewritten = []
        for node in list(self.graph.node):
            rewritten += self.replacement(node, kind, convs) or [node]
        del self.graph.node[:]
        self.graph.node.extend(rewritten)


def quantize(model, kind, convs=True):
    Rewriter(model).run(kind, convs)
    if kind in WEIGHT_RANGES:
        onnx.checker.check_model(model, full_check=True)
    else:  # contrib operators, which the checker does not know
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model")
    parser.add_argument("--kind", choices=["uint8", "int8", "q4", "bnb4"], required=True)
    parser.add_argument("--no-conv", action="store_true", help="leave the Convs in float32 (MatMuls only)")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    model = quantize(onnx.load(args.model), args.kind, convs=not args.no_conv)
    onnx.save(model, args.output)
    print(f"wrote {args.output}: {pathlib.Path(args.output).stat().st_size} bytes")


if __name__ == "__main__":
    main()
