<#
.SYNOPSIS
    Times Remove-Swin2SRJob over part of a store of many queued jobs (docs/benchmarks.md, "Job store (SQLite)").
.EXAMPLE
    dotnet pwsh bench/Measure-JobRemoval.ps1 -Module out/Swin2SR.PowerShell -Jobs 1000
    Queues 1,000 one-image jobs j1..j1000 in a new store, then removes those matching 'j1*' (112 of them).
#>
param(
    [Parameter(Mandatory)] [string] $Module,
    [int] $Jobs = 1000,
    [string] $Work = (Join-Path ([IO.Path]::GetTempPath()) "swin2sr-remove-bench-$PID")
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module (Resolve-Path $Module).Path
$root = Split-Path -Parent $PSScriptRoot
$null = New-Item -ItemType Directory -Force $Work
$store = Join-Path $Work 'jobs.db'
$image = Join-Path $root '../shared/data/Set5/LR_bicubic/X4/babyx4.png'
$model = Join-Path $root 'models/swin2sr-tiny-x4.onnx'
try {
    foreach ($i in 1..$Jobs) {
        $null = Invoke-Swin2SRUpscale -LiteralPath $image -Model $model -OutputDirectory (Join-Path $Work "out$i") -JobName "j$i" -JobStore $store -QueueOnly
    }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    Remove-Swin2SRJob 'j1*' -JobStore $store -Confirm:$false
    $removed = $Jobs - @(Get-Swin2SRJob -JobStore $store).Count
    '{0} queued jobs: removed {1} in {2:0.00} s ({3:0.0} ms a job)' -f $Jobs, $removed, $clock.Elapsed.TotalSeconds, (1000 * $clock.Elapsed.TotalSeconds / $removed)
}
finally {
    Remove-Item -LiteralPath $Work -Recurse -Force -ErrorAction SilentlyContinue
}
