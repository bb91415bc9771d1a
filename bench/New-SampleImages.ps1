<#
.SYNOPSIS
    Generates sample low-resolution photos-like images (PNG and JPEG) for the demo and the benchmarks.
.DESCRIPTION
    Nothing is downloaded: each image is a seeded procedural scene (gradients, soft shapes, fine stripes and
    lettering-like marks) rendered at 4x and bicubic-downscaled, so it has the aliasing and softness that
    super-resolution is for. Uses ImageSharp from the staged module's dependencies; run it in its own process.
#>
param(
    [Parameter(Mandatory)] [string] $Destination,
    [int] $Count = 6,
    [int] $Seed = 1,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Swin2SR.PowerShell')
)
$ErrorActionPreference = 'Stop'
$imageSharp = Join-Path $ModulePath 'dependencies/SixLabors.ImageSharp.dll'
Add-Type -Path $imageSharp
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $imageSharp, 'System.Runtime', 'netstandard', 'System.Memory' -TypeDefinition @'
using System;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

public static class SampleScene
{
    public static Image<Rgb24> Render(int width, int height, int seed)
    {
        const int k = 4;
        var random = new Random(seed);
        int w = width * k, h = height * k;
        var hue = new double[] { random.NextDouble(), random.NextDouble(), random.NextDouble() };
        var circles = new double[6, 5];
        for (int i = 0; i < 6; i++)
        {
            circles[i, 0] = random.NextDouble() * w; circles[i, 1] = random.NextDouble() * h;
            circles[i, 2] = (0.08 + 0.2 * random.NextDouble()) * Math.Min(w, h);
            circles[i, 3] = random.NextDouble(); circles[i, 4] = random.Next(3);
        }
        double stripeAngle = random.NextDouble() * Math.PI, stripeFreq = 0.15 + 0.2 * random.NextDouble();
        var image = new Image<Rgb24>(w, h);
        for (int y = 0; y < h; y++)
        {
            for (int x = 0; x < w; x++)
            {
                double u = (double)x / w, v = (double)y / h;
                double r = 0.25 + 0.5 * u * hue[0] + 0.2 * v, g = 0.3 + 0.4 * v * hue[1], b = 0.35 + 0.4 * (1 - u) * hue[2];
                for (int i = 0; i < 6; i++)
                {
                    double d = Math.Sqrt(Math.Pow(x - circles[i, 0], 2) + Math.Pow(y - circles[i, 1], 2)) - circles[i, 2];
                    double a = 1 / (1 + Math.Exp(d / 1.5));
                    int c = (int)circles[i, 4];
                    double tone = circles[i, 3];
                    r = r * (1 - a) + a * (c == 0 ? tone : 0.15);
                    g = g * (1 - a) + a * (c == 1 ? tone : 0.2);
                    b = b * (1 - a) + a * (c == 2 ? tone : 0.25);
                }
                // Fine stripes in the lower band and lettering-like marks in the upper band: detail that aliases.
                if (v > 0.7)
                {
                    double s = Math.Sin((x * Math.Cos(stripeAngle) + y * Math.Sin(stripeAngle)) * stripeFreq);
                    r += 0.15 * s; g += 0.15 * s; b += 0.15 * s;
                }
                if (v < 0.2 && ((x / 6) % 5 < 3) && ((y / 6) % 4 == 1 || (x / 6) % 5 == 0))
                {
                    r *= 0.3; g *= 0.3; b *= 0.3;
                }
                image[x, y] = new Rgb24(ToByte(r), ToByte(g), ToByte(b));
            }
        }
        image.Mutate(c => c.Resize(width, height, KnownResamplers.Bicubic));
        return image;
    }

    private static byte ToByte(double v) => (byte)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
'@

$sizes = @(@(160, 120), @(96, 96), @(200, 136), @(57, 33), @(128, 200), @(250, 90))
$null = New-Item -ItemType Directory -Force $Destination
for ($i = 0; $i -lt $Count; $i++) {
    $size = $sizes[$i % $sizes.Count]
    $image = [SampleScene]::Render($size[0], $size[1], $Seed * 1000 + $i)
    try {
        $name = 'sample-{0:D3}-{1}x{2}' -f $i, $size[0], $size[1]
        if ($i % 2) { [SixLabors.ImageSharp.ImageExtensions]::SaveAsJpeg($image, (Join-Path $Destination "$name.jpg")) }
        else { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, (Join-Path $Destination "$name.png")) }
    }
    finally { $image.Dispose() }
}
Write-Host "Wrote $Count sample images to $Destination"
