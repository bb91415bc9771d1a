<#
.SYNOPSIS
    Peak memory of a run against the number of inputs (100 vs 2,000) and against their size (the in-flight budget).
.DESCRIPTION
    Inputs are generated noise PNGs; the model is the nearest-neighbour x4 test model, so the run is all pipeline
    (decode, tile, stitch, encode) and the memory measured is the pipeline's, not a network's. The count
    comparison runs Invoke-Swin2SRUpscale in a child pwsh per count (the product as users run it, job store
    included) and prints that process's peak working set. The size comparison runs the engine over large images
    with the default byte budget, a 1 GiB one and none (only the count limit of 8), through bench/Swin2SR.Bench.
    Figures go to docs/benchmarks.md by hand.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Swin2SR.PowerShell'),
    [int[]] $Counts = @(100, 2000),
    # 0 leaves out the size comparison.
    [int] $LargeCount = 12
)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '..')
$model = Join-Path $root 'models/test/nearest-x4.onnx'
$work = Join-Path ([IO.Path]::GetTempPath()) "swin2sr-memory-$PID"
Add-Type -Path (Join-Path $ModulePath 'dependencies/SixLabors.ImageSharp.dll')

function New-Noise([string] $Folder, [int] $Count, [int] $Width, [int] $Height) {
    $null = New-Item -ItemType Directory -Force $Folder
    $random = [Random]::new(1)
    $bytes = [byte[]]::new($Width * $Height * 3)
    for ($i = 0; $i -lt $Count; $i++) {
        $random.NextBytes($bytes)
        $image = [SixLabors.ImageSharp.Image]::LoadPixelData[SixLabors.ImageSharp.PixelFormats.Rgb24]($bytes, $Width, $Height)
        try { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, (Join-Path $Folder ('{0:D5}.png' -f $i))) }
        finally { $image.Dispose() }
    }
}

try {
    $largest = ($Counts | Measure-Object -Maximum).Maximum
    New-Noise (Join-Path $work 'all') $largest 48 48
    foreach ($count in $Counts) {
        $folder = Join-Path $work "in-$count"
        $null = New-Item -ItemType Directory -Force $folder
        Get-ChildItem (Join-Path $work 'all') | Select-Object -First $count | Copy-Item -Destination $folder
        $command = "Import-Module '$ModulePath'; Get-ChildItem '$folder' | Invoke-Swin2SRUpscale -Model '$model' -Device Cpu " +
            "-OutputDirectory '$(Join-Path $work "out-$count")' -JobStore '$(Join-Path $work "jobs-$count.db")' -MinConsistencyPsnr 0 | Out-Null; " +
            '[Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $peak = [long](& dotnet pwsh -NoProfile -NonInteractive -Command $command | Select-Object -Last 1)
        # The rate too: with a near-free model, a time per image that rises with the count is the product's own (quadratic) cost.
        '{0,5} inputs of 48x48 through Invoke-Swin2SRUpscale: peak working set {1,5} MiB ({2:0.0} s, {3:0} images/s)' -f $count, ($peak -shr 20), $clock.Elapsed.TotalSeconds, ($count / $clock.Elapsed.TotalSeconds)
    }

    if ($LargeCount -eq 0) { return }
    New-Noise (Join-Path $work 'large') $LargeCount 1536 1024
    foreach ($budget in @($null, 1024, 0)) {
        $arguments = @('run', '-c', 'Release', '--project', (Join-Path $root 'bench/Swin2SR.Bench'), '--', 'memory', $model, (Join-Path $work 'large'))
        if ($null -ne $budget) { $arguments += @('--budget-mib', $budget) }
        & dotnet @arguments
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
