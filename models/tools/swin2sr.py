"""Swin2SR (Conde et al. 2022) for classical super-resolution, written from the paper.

SwinIR's layout (shallow conv -> residual Swin transformer blocks -> conv -> global residual ->
pixel-shuffle upsampler) with Swin Transformer V2 layers: scaled cosine attention, a log-spaced
continuous relative position bias produced by a small MLP, and residual post-normalisation.

Export contract: H and W of the input are multiples of `window_size` (the caller pads). Everything
that depends on H and W (window partition, shifted-window mask) is computed from the runtime tensor
shapes with tensor operations, so an ONNX export stays correct for every size, not only the traced one.
"""
import dataclasses
import math

import torch
import torch.nn.functional as F
from torch import nn

# DIV2K RGB mean, subtracted before the network and added back after it (as in SwinIR / Swin2SR).
RGB_MEAN = (0.4488, 0.4371, 0.4040)
# SwinV2 clamps the learned attention temperature so that logits are scaled by at most 1/0.01.
MAX_LOGIT_SCALE = math.log(1.0 / 0.01)
# Added to attention logits between tokens that were not neighbours before the cyclic shift.
MASKED_LOGIT = -100.0


@dataclasses.dataclass(frozen=True)
class Swin2SRConfig:
    scale: int = 2
    embed_dim: int = 48
    depths: tuple = (2, 2)  # number of SwinV2 layers in each residual group (RSTB)
    num_heads: int = 4
    mlp_ratio: float = 2.0
    window_size: int = 8
    num_feat: int = 32  # channels of the pixel-shuffle upsampler
    cpb_hidden: int = 512  # hidden width of the continuous position bias MLP

    def to_json_dict(self):
        values = dataclasses.asdict(self)
        values["depths"] = list(self.depths)
        return values

    @classmethod
    def from_json_dict(cls, values):
        values = dict(values)
        values["depths"] = tuple(values["depths"])
        return cls(**values)


def window_partition(x, window_size):
    """[B, H, W, C] -> [B * windows, window_size**2, C]."""
    batch, height, width, channels = x.shape
    x = x.reshape(batch, height // window_size, window_size, width // window_size, window_size, channels)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(-1, window_size * window_size, channels)


def window_reverse(windows, window_size, batch, height, width):
    """[B * windows, window_size**2, C] -> [B, H, W, C]."""
    channels = windows.shape[-1]
    x = windows.reshape(batch, height // window_size, width // window_size, window_size, window_size, channels)
    return x.permute(0, 1, 3, 2, 4, 5).reshape(batch, height, width, channels)


def shifted_window_mask(x, window_size, shift):
    """Attention mask [windows, N, N] for the cyclically shifted image x [B, H, W, C].

    After rolling by -shift, the last window row/column mixes pixels from the image's opposite edges.
    Each pixel of the rolled grid gets a region id (0: untouched, 1: window that straddles the wrap,
    2: wrapped-around strip), per axis; tokens of a window may only attend to tokens of the same region.
    Built from arange over the runtime H and W so the exported graph recomputes it for every size.
    """
    height, width = x.shape[1], x.shape[2]
    rows = torch.arange(height, device=x.device)
    cols = torch.arange(width, device=x.device)
    row_region = (rows >= height - window_size).long() + (rows >= height - shift).long()
    col_region = (cols >= width - window_size).long() + (cols >= width - shift).long()
    region = (row_region[:, None] * 3 + col_region[None, :]).to(x.dtype)
    region_windows = window_partition(region[None, :, :, None], window_size).squeeze(-1)  # [windows, N]
    different = region_windows[:, :, None] != region_windows[:, None, :]
    return different.to(x.dtype) * MASKED_LOGIT


def log_spaced_relative_coords(window_size):
    """[(2w-1)**2, 2] relative offsets mapped to sign(d) * log2(1 + 8|d|/(w-1)) / log2(8) (SwinV2)."""
    offsets = torch.arange(-(window_size - 1), window_size, dtype=torch.float32)
    table = torch.stack(torch.meshgrid(offsets, offsets, indexing="ij"), dim=-1).reshape(-1, 2)
    table = table / (window_size - 1) * 8.0
    return torch.sign(table) * torch.log2(table.abs() + 1.0) / math.log2(8.0)


def relative_position_index(window_size):
    """[N, N] index into the relative-offset table for every (query, key) pair of a window."""
    coords = torch.stack(torch.meshgrid(torch.arange(window_size), torch.arange(window_size), indexing="ij"))
    coords = coords.flatten(1)  # [2, N]
    relative = (coords[:, :, None] - coords[:, None, :]).permute(1, 2, 0) + (window_size - 1)
    return relative[:, :, 0] * (2 * window_size - 1) + relative[:, :, 1]


class WindowAttention(nn.Module):
    """Multi-head scaled cosine attention inside windows with a continuous relative position bias."""

    def __init__(self, dim, num_heads, window_size, cpb_hidden):
        super().__init__()
        self.num_heads = num_heads
        self.logit_scale = nn.Parameter(torch.log(10.0 * torch.ones(num_heads, 1, 1)))
        self.cpb_mlp = nn.Sequential(nn.Linear(2, cpb_hidden), nn.ReLU(inplace=True),
                                     nn.Linear(cpb_hidden, num_heads, bias=False))
        # Depend only on the (fixed) window size, never on the image size.
        self.register_buffer("relative_coords_table", log_spaced_relative_coords(window_size), persistent=False)
        self.register_buffer("relative_position_index", relative_position_index(window_size), persistent=False)
        # SwinV2: queries and values have biases, keys do not.
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.zeros(dim))
        self.v_bias = nn.Parameter(torch.zeros(dim))
        self.proj = nn.Linear(dim, dim)

    def position_bias(self):
        table = self.cpb_mlp(self.relative_coords_table)  # [(2w-1)**2, heads]
        bias = table[self.relative_position_index]  # [N, N, heads]
        return 16.0 * torch.sigmoid(bias.permute(2, 0, 1))

    def forward(self, x, mask):
        windows, tokens, dim = x.shape
        qkv_bias = torch.cat([self.q_bias, torch.zeros_like(self.v_bias), self.v_bias])
        qkv = F.linear(x, self.qkv.weight, qkv_bias)
        qkv = qkv.reshape(windows, tokens, 3, self.num_heads, dim // self.num_heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        # Scaling the normalised queries instead of the [N, N] logits, and adding bias and mask as one
        # small tensor, saves two passes over the largest tensor of the network.
        scale = torch.clamp(self.logit_scale, max=MAX_LOGIT_SCALE).exp()
        attn = (F.normalize(q, dim=-1) * scale) @ F.normalize(k, dim=-1).transpose(-2, -1)
        bias = self.position_bias()
        if mask is None:
            attn = attn + bias
        else:
            windows_per_image = mask.shape[0]
            bias = bias[None] + mask[:, None]  # [windows, heads, N, N]
            attn = attn.reshape(-1, windows_per_image, self.num_heads, tokens, tokens) + bias
            attn = attn.reshape(-1, self.num_heads, tokens, tokens)
        x = (attn.softmax(dim=-1) @ v).transpose(1, 2).reshape(windows, tokens, dim)
        return self.proj(x)


class SwinV2Layer(nn.Module):
    """(Shifted-)window attention and MLP, each with residual post-normalisation."""

    def __init__(self, config, shift):
        super().__init__()
        dim = config.embed_dim
        self.window_size = config.window_size
        self.shift = shift
        self.attn = WindowAttention(dim, config.num_heads, config.window_size, config.cpb_hidden)
        self.norm1 = nn.LayerNorm(dim)
        hidden = int(dim * config.mlp_ratio)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim))
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x, shift_mask):
        """x: [B, H, W, C] tokens."""
        batch, height, width, _ = x.shape
        shifted = torch.roll(x, shifts=(-self.shift, -self.shift), dims=(1, 2)) if self.shift else x
        windows = self.attn(window_partition(shifted, self.window_size), shift_mask if self.shift else None)
        attended = window_reverse(windows, self.window_size, batch, height, width)
        if self.shift:
            attended = torch.roll(attended, shifts=(self.shift, self.shift), dims=(1, 2))
        x = x + self.norm1(attended)
        return x + self.norm2(self.mlp(x))


class ResidualSwinGroup(nn.Module):
    """RSTB: SwinV2 layers alternating plain and shifted windows, a 3x3 conv, and the group residual."""

    def __init__(self, config, depth):
        super().__init__()
        shift = config.window_size // 2
        self.layers = nn.ModuleList(SwinV2Layer(config, 0 if i % 2 == 0 else shift) for i in range(depth))
        self.conv = nn.Conv2d(config.embed_dim, config.embed_dim, 3, padding=1)

    def forward(self, x, shift_mask):
        """x: [B, H, W, C] tokens."""
        y = x
        for layer in self.layers:
            y = layer(y, shift_mask)
        y = self.conv(y.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)
        return x + y


class PixelShuffleUpsampler(nn.Module):
    """conv + LeakyReLU, then (conv to 4x channels, PixelShuffle(2)) per factor of 2, then conv to RGB."""

    def __init__(self, in_channels, num_feat, scale):
        super().__init__()
        if scale not in (2, 4):
            raise ValueError(f"scale must be 2 or 4, got {scale}")
        steps = [nn.Conv2d(in_channels, num_feat, 3, padding=1), nn.LeakyReLU(inplace=True)]
        for _ in range(int(math.log2(scale))):
            steps += [nn.Conv2d(num_feat, 4 * num_feat, 3, padding=1), nn.PixelShuffle(2)]
        steps.append(nn.Conv2d(num_feat, 3, 3, padding=1))
        self.steps = nn.Sequential(*steps)

    def forward(self, x):
        return self.steps(x)


class Swin2SR(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        dim = config.embed_dim
        self.register_buffer("rgb_mean", torch.tensor(RGB_MEAN).view(1, 3, 1, 1), persistent=False)
        self.conv_first = nn.Conv2d(3, dim, 3, padding=1)
        self.embed_norm = nn.LayerNorm(dim)
        self.groups = nn.ModuleList(ResidualSwinGroup(config, depth) for depth in config.depths)
        self.body_norm = nn.LayerNorm(dim)
        self.conv_after_body = nn.Conv2d(dim, dim, 3, padding=1)
        self.upsampler = PixelShuffleUpsampler(dim, config.num_feat, config.scale)

    def forward(self, pixel_values):
        """pixel_values: [B, 3, H, W] RGB in [0, 1], H and W multiples of window_size."""
        x = self.conv_first(pixel_values - self.rgb_mean)
        tokens = self.embed_norm(x.permute(0, 2, 3, 1))
        shift_mask = shifted_window_mask(tokens, self.config.window_size, self.config.window_size // 2)
        for group in self.groups:
            tokens = group(tokens, shift_mask)
        body = self.conv_after_body(self.body_norm(tokens).permute(0, 3, 1, 2))
        return self.upsampler(body + x) + self.rgb_mean


def count_parameters(model):
    return sum(p.numel() for p in model.parameters())
