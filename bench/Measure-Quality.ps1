#Requires -Version 7.4
<#
.SYNOPSIS
    The quality benchmark: upscales Set5 with the product (Invoke-Swin2SRUpscale) and scores it against the
    ground truth by the standard protocol, side by side with bicubic upscaling of the same inputs.
.DESCRIPTION
    For each scale (x2, x4): the low-resolution images Set5/LR_bicubic/X<s>/<name>x<s>.png are upscaled by
    Invoke-Swin2SRUpscale (the embedded default model for that scale unless -Model2/-Model4 name another) and by
    ImageSharp's bicubic resampler, and both results are scored against Set5/HR/<name>.png with
    Measure-Swin2SRQuality -Scale <s>: PSNR and SSIM of the BT.601 Y channel with <s> pixels cut off each border,
    the ground truth cropped to the output where its size is not a multiple of the scale. Per-image scores and
    their means are printed as a table and, with -ReportPath, written as markdown.

    Bicubic on Set5 is published as 33.66 dB / 0.9299 (x2) and 28.42 dB / 0.8104 (x4), from MATLAB's imresize.
    ImageSharp's bicubic is the same Keys kernel (a = -0.5) on the same pixel-centre grid; measured here it gives
    33.68 dB / 0.9304 and 28.43 dB / 0.8113, each image within 0.02 dB of its published figure. The remainder
    plausibly comes from the image edges (ImageSharp renormalises the kernel weights there, MATLAB mirrors the
    image) and from MATLAB rounding Y to integers, which this protocol, like SwinIR's Python code, does not.

    If the data folder is missing (a clone without ../shared/data) the benchmark says so and exits 0. Runs ImageSharp
    from the staged module's dependencies, so start it in its own process (build.ps1 quality does).
.EXAMPLE
    dotnet pwsh ./bench/Measure-Quality.ps1 -ReportPath out/quality.md
.EXAMPLE
    dotnet pwsh ./bench/Measure-Quality.ps1 -Model2 models/test/nearest-x2.onnx -Model4 models/test/nearest-x4.onnx
#>
[CmdletBinding()]
param(
    # The Set5 folder: HR/<name>.png and LR_bicubic/X2, X4/<name>x<s>.png.
    [string] $Data = (Join-Path $PSScriptRoot '../../shared/data/Set5'),

    # The staged module folder.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Swin2SR.PowerShell'),

    # The x2 model (a name or an .onnx path); default: the embedded default for -Scale 2.
    [string] $Model2,

    # The x4 model (a name or an .onnx path); default: the embedded default for -Scale 4.
    [string] $Model4,

    [ValidateSet(2, 4)]
    [int[]] $Scale = @(2, 4),

    # Where to write the markdown report; nothing is written without it.
    [string] $ReportPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$hr = Join-Path $Data 'HR'
if (-not (Test-Path -LiteralPath $hr -PathType Container)) {
    # The path made whole ([IO.Path]::GetFullPath folds its '..'), as a reader would look for it.
    Write-Host "Quality benchmark skipped: no Set5 ground truth at '$([IO.Path]::GetFullPath($hr))' (the data lives in ../shared/data beside the clone)."
    exit 0
}

$imageSharp = Join-Path $ModulePath 'dependencies/SixLabors.ImageSharp.dll'
Add-Type -Path $imageSharp
# CS1701 (ImageSharp references an older System.Runtime, which the running one unifies with) is noise here.
Add-Type -IgnoreWarnings -WarningAction SilentlyContinue -ReferencedAssemblies $imageSharp, 'System.Runtime', 'netstandard', 'System.Memory' -TypeDefinition @'
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

public static class BicubicBaseline
{
    /// <summary>8-bit in, 8-bit out, no gamma companding: the baseline every super-resolution paper reports.</summary>
    public static void Upscale(string input, string output, int scale)
    {
        using var image = Image.Load<Rgb24>(input);
        image.Mutate(c => c.Resize(image.Width * scale, image.Height * scale, KnownResamplers.Bicubic));
        image.SaveAsPng(output);
    }
}
'@
Import-Module $ModulePath

# Gains over bicubic the embedded models must reach (issue: models, "Quality, measured through the product").
$targets = @{ 2 = 1.5; 4 = 1.2 }

$work = Join-Path ([IO.Path]::GetTempPath()) ("swin2sr-quality-" + [Guid]::NewGuid().ToString('N'))
# The runs of this benchmark are not the user's jobs: keep them in a job store of their own.
$env:SWIN2SR_JOBSTORE = Join-Path $work 'jobs.db'
$rows = [Collections.Generic.List[object]]::new()
$runs = [Collections.Generic.List[object]]::new()
try {
    foreach ($s in $Scale) {
        $lrFolder = Join-Path $Data "LR_bicubic/X$s"
        $lrFiles = @(Get-ChildItem -LiteralPath $lrFolder -File -Filter "*x$s.png" | Sort-Object Name)
        if ($lrFiles.Count -eq 0) { throw "No low-resolution images (*x$s.png) in '$lrFolder'." }

        # Named like their ground truth (babyx2.png -> baby.png), so Measure-Swin2SRQuality pairs them by name.
        $lr = New-Item -ItemType Directory -Force (Join-Path $work "lr-x$s")
        $bicubic = New-Item -ItemType Directory -Force (Join-Path $work "bicubic-x$s")
        foreach ($file in $lrFiles) {
            $name = $file.BaseName.Substring(0, $file.BaseName.Length - "x$s".Length) + '.png'
            Copy-Item -LiteralPath $file.FullName -Destination (Join-Path $lr $name)
            [BicubicBaseline]::Upscale($file.FullName, (Join-Path $bicubic $name), $s)
        }

        $model = if ($s -eq 2) { $Model2 } else { $Model4 }
        $modelArguments = if ($model) { @{ Model = $model } } else { @{ Scale = $s } }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @(Get-ChildItem -LiteralPath $lr -File |
                Invoke-Swin2SRUpscale @modelArguments -OutputDirectory (Join-Path $work "sr-x$s") -Format Png -Force)
        $clock.Stop()
        $failed = @($results | Where-Object Status -ne 'Succeeded')
        if ($failed.Count -gt 0 -or $results.Count -ne $lrFiles.Count) {
            throw "Invoke-Swin2SRUpscale did not upscale every x$s image: $(($failed | ForEach-Object { "$($_.Name): $($_.Error)" }) -join '; ')"
        }
        if ($results[0].Scale -ne $s) { throw "The model '$($results[0].Model)' upscales x$($results[0].Scale), not x$s." }
        $runs.Add([pscustomobject]@{ Scale = $s; Model = $results[0].Model; Seconds = $clock.Elapsed.TotalSeconds })

        $modelScores = Measure-Swin2SRQuality -Reference $hr -Path (Join-Path $work "sr-x$s") -Scale $s
        $bicubicScores = Measure-Swin2SRQuality -Reference $hr -Path $bicubic -Scale $s
        foreach ($m in $modelScores) {
            $b = $bicubicScores | Where-Object Name -eq $m.Name
            $rows.Add([pscustomobject]@{
                    Scale       = $s
                    Image       = [IO.Path]::GetFileNameWithoutExtension($m.Name)
                    BicubicPsnr = $b.PsnrY
                    BicubicSsim = $b.SsimY
                    ModelPsnr   = $m.PsnrY
                    ModelSsim   = $m.SsimY
                    Gain        = $m.PsnrY - $b.PsnrY
                })
        }
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

# Papers average the per-image scores (not the pooled squared error); so does this.
$table = foreach ($group in $rows | Group-Object Scale) {
    $group.Group
    $mean = @{ Scale = [int] $group.Name; Image = 'mean' }
    foreach ($column in 'BicubicPsnr', 'BicubicSsim', 'ModelPsnr', 'ModelSsim', 'Gain') {
        $mean[$column] = ($group.Group | Measure-Object $column -Average).Average
    }
    [pscustomobject] $mean
}

$table | Format-Table Scale, Image,
    @{ n = 'Bicubic PSNR'; e = { '{0:0.00}' -f $_.BicubicPsnr }; a = 'right' },
    @{ n = 'Bicubic SSIM'; e = { '{0:0.0000}' -f $_.BicubicSsim }; a = 'right' },
    @{ n = 'Model PSNR'; e = { '{0:0.00}' -f $_.ModelPsnr }; a = 'right' },
    @{ n = 'Model SSIM'; e = { '{0:0.0000}' -f $_.ModelSsim }; a = 'right' },
    @{ n = 'Gain dB'; e = { '{0:+0.00;-0.00}' -f $_.Gain }; a = 'right' } | Out-Host

# The summary and the report in the invariant culture: they are the record compared across machines and quoted in
# reviews, and under de-DE '-f' wrote '30,86 dB' and a table of '37,09 | 0,9526', under fa-IR the date as 1405-09-16.
function Format-Invariant([string] $Format, [object[]] $Values) { [string]::Format([cultureinfo]::InvariantCulture, $Format, $Values) }

$summary = foreach ($run in $runs) {
    $mean = $table | Where-Object { $_.Scale -eq $run.Scale -and $_.Image -eq 'mean' }
    $verdict = if ($mean.Gain -ge $targets[$run.Scale]) { 'met' } else { 'NOT met' }
    Format-Invariant 'x{0}: {1}, mean PSNR(Y) {2:0.00} dB vs bicubic {3:0.00} dB ({4:+0.00;-0.00} dB; target +{5:0.0} dB {6}); {7:0.0} s for {8} images' `
        $run.Scale, $run.Model, $mean.ModelPsnr, $mean.BicubicPsnr, $mean.Gain, $targets[$run.Scale], $verdict, $run.Seconds,
        @($rows | Where-Object Scale -eq $run.Scale).Count
}
$summary | Out-Host

if ($ReportPath) {
    $markdown = [Text.StringBuilder]::new()
    $null = $markdown.AppendLine('# Quality on Set5').AppendLine()
    $null = $markdown.AppendLine("Measured $((Get-Date).ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture)) by bench/Measure-Quality.ps1 through Invoke-Swin2SRUpscale and Measure-Swin2SRQuality.")
    $null = $markdown.AppendLine('PSNR and SSIM of the BT.601 Y channel (16-235), `scale` pixels cut off each border; bicubic is ImageSharp''s (Keys, a = -0.5) from the same LR images.').AppendLine()
    foreach ($line in $summary) { $null = $markdown.AppendLine("- $line") }
    $null = $markdown.AppendLine()
    $null = $markdown.AppendLine('| Scale | Image | Bicubic PSNR | Bicubic SSIM | Model PSNR | Model SSIM | Gain dB |')
    $null = $markdown.AppendLine('| ---: | --- | ---: | ---: | ---: | ---: | ---: |')
    foreach ($row in $table) {
        $image = if ($row.Image -eq 'mean') { '**mean**' } else { $row.Image }
        $null = $markdown.AppendLine((Format-Invariant '| x{0} | {1} | {2:0.00} | {3:0.0000} | {4:0.00} | {5:0.0000} | {6:+0.00;-0.00} |' `
                $row.Scale, $image, $row.BicubicPsnr, $row.BicubicSsim, $row.ModelPsnr, $row.ModelSsim, $row.Gain))
    }
    $folder = Split-Path -Parent $ReportPath
    if ($folder) { $null = New-Item -ItemType Directory -Force $folder }
    Set-Content -LiteralPath $ReportPath -Value $markdown.ToString() -Encoding utf8NoBOM
    Write-Host "Report written to $ReportPath"
}
