#Requires -Version 7.4
<#
.SYNOPSIS
    What the CPU spends per image when the model costs nothing: the ceiling a GPU run's CPU side puts on images/s.
.DESCRIPTION
    Upscales photos x4 with the nearest-neighbour test model (inference is a copy), so what is measured is the
    pipeline's own work: read, decode, tile, stitch, quality gate, 8-bit conversion, PNG encode, write, job store.
    Prints images/s and the process's CPU-seconds per image for each run (the first warms up). On a GPU the same
    work runs beside inference: cores / CPU-seconds per image is the most images/s this machine's CPU can feed.
    Figures go to docs/benchmarks.md by hand.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Swin2SR.PowerShell'),
    [string] $InputDirectory = (Join-Path $PSScriptRoot '../../shared/data/Urban100/HR_half'),
    [int] $Count = 24,
    [int] $Runs = 3
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
if (-not (Test-Path -LiteralPath $InputDirectory)) { Write-Warning "skipped: $InputDirectory is missing"; return }
Import-Module $ModulePath
$model = Join-Path $PSScriptRoot '../models/test/nearest-x4.onnx'
$work = Join-Path ([IO.Path]::GetTempPath()) "swin2sr-output-cost-$PID"
$inputs = Get-ChildItem -LiteralPath $InputDirectory -File | Sort-Object Name | Select-Object -First $Count
try {
    $process = [Diagnostics.Process]::GetCurrentProcess()
    foreach ($run in 1..$Runs) {
        $process.Refresh()
        $cpuBefore = $process.TotalProcessorTime
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @($inputs | Invoke-Swin2SRUpscale -Model $model -OutputDirectory (Join-Path $work 'out') -Device Cpu -Format Png -Force `
            -JobStore (Join-Path $work 'jobs.db') -JobName "cost-$run")
        $seconds = $clock.Elapsed.TotalSeconds
        $process.Refresh()
        $cpu = ($process.TotalProcessorTime - $cpuBefore).TotalSeconds
        $pixels = ($results | Measure-Object -Property OutputWidth -Sum).Sum / $results.Count
        '{0} images to about {1:0}-pixel-wide PNGs: {2:0.00} images/s, {3:0.00} CPU-seconds per image ({4} cores){5}' -f `
            $results.Count, $pixels, ($results.Count / $seconds), ($cpu / $results.Count), [Environment]::ProcessorCount, $(if ($run -eq 1) { ' (warm-up)' })
    }
}
finally {
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}
