#Requires -Version 7.4
<#
.SYNOPSIS
    CPU tensors on huge pages (the default on Linux) against ONNX Runtime's own arena ($env:SWIN2SR_HUGE_PAGES = 0),
    side by side, for short runs: the first run of a fresh process (a scheduled task, a cron job) and later runs in the
    same process (a PowerShell session calling the cmdlet again).
.DESCRIPTION
    Each round starts one child pwsh per setting, in turn; each child upscales the same folder -RunsPerProcess times
    with the module's defaults on the CPU and reports every run's seconds and minor page faults (from /proc). Prints
    the median of each over the rounds, first runs and later runs apart, and the ratio arena / huge pages per round.
    Figures go to docs/benchmarks.md by hand.
#>
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/Swin2SR.PowerShell'),
    [string] $InputDirectory = (Join-Path $PSScriptRoot '../../shared/data/Set5/LR_bicubic/X4'),
    [string] $Model = (Join-Path $PSScriptRoot '../models/swin2sr-tiny-x4.onnx'),
    [int] $Rounds = 5,
    [int] $RunsPerProcess = 4
)
$ErrorActionPreference = 'Stop'
if (-not $IsLinux) { Write-Warning 'skipped: huge pages are asked for on Linux only'; return }
if (-not (Test-Path -LiteralPath $InputDirectory)) { Write-Warning "skipped: $InputDirectory is missing"; return }
. (Join-Path $PSScriptRoot '../tests/pester/ChildPwsh.ps1')
$work = Join-Path ([IO.Path]::GetTempPath()) "swin2sr-huge-pages-$PID"

# One child's runs: one JSON line each.
$child = {
    param($ModulePath, $InputDirectory, $Model, $Runs, $Work)
    $ProgressPreference = 'SilentlyContinue'
    Import-Module $ModulePath
    function Get-MinorFault { [long]((Get-Content /proc/self/stat -Raw) -split ' ')[9] }
    foreach ($run in 1..$Runs) {
        $faults = Get-MinorFault
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $results = @(Invoke-Swin2SRUpscale -Path $InputDirectory -Model $Model -OutputDirectory (Join-Path $Work "out-$PID") -Device Cpu -Format Png `
            -Force -JobStore (Join-Path $Work "jobs-$PID.db") -JobName "run-$run")
        $failed = @($results | Where-Object Status -ne 'Succeeded').Count
        if ($failed) { throw "$failed images failed" }
        @{ run = $run; seconds = $clock.Elapsed.TotalSeconds; faults = (Get-MinorFault) - $faults } | ConvertTo-Json -Compress
    }
}

$settings = [ordered]@{ 'huge pages' = $null; 'arena' = '0' }
$measured = @()
try {
    foreach ($round in 1..$Rounds) {
        foreach ($setting in $settings.Keys) {
            $env:SWIN2SR_HUGE_PAGES = $settings[$setting]
            $command = "& { $child } '$ModulePath' '$InputDirectory' '$Model' $RunsPerProcess '$work'"
            $lines = Invoke-ChildPwsh -Command $command
            if ($LASTEXITCODE) { throw "the child for '$setting' failed: $lines" }
            $measured += $lines | ConvertFrom-Json | ForEach-Object { [pscustomobject]@{ Round = $round; Setting = $setting; First = $_.run -eq 1; Seconds = $_.seconds; Faults = $_.faults } }
        }
    }
}
finally {
    Remove-Item Env:SWIN2SR_HUGE_PAGES -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
}

function Get-Median([double[]] $values) {
    $sorted = $values | Sort-Object
    if ($sorted.Count % 2) { $sorted[[math]::Floor($sorted.Count / 2)] } else { ($sorted[$sorted.Count / 2 - 1] + $sorted[$sorted.Count / 2]) / 2 }
}
$images = @(Get-ChildItem -LiteralPath $InputDirectory -File).Count
"$images images from $InputDirectory, $Rounds rounds, $RunsPerProcess runs per process, $([Environment]::ProcessorCount) cores"
foreach ($first in $true, $false) {
    $which = if ($first) { 'first run of a process' } else { 'later runs' }
    $perSetting = foreach ($setting in $settings.Keys) {
        $runs = $measured | Where-Object { $_.Setting -eq $setting -and $_.First -eq $first }
        [pscustomobject]@{ Setting = $setting; Seconds = Get-Median $runs.Seconds; Faults = Get-Median $runs.Faults }
    }
    # Ratio per round (the two settings ran back to back), then the median over rounds.
    $ratios = foreach ($round in 1..$Rounds) {
        $of = { param($s) (Get-Median ($measured | Where-Object { $_.Round -eq $round -and $_.Setting -eq $s -and $_.First -eq $first }).Seconds) }
        (& $of 'arena') / (& $of 'huge pages')
    }
    '{0}: huge pages {1:0.000} s ({2:0} faults), arena {3:0.000} s ({4:0} faults); arena / huge pages {5:0.00}x (rounds {6})' -f $which,
        $perSetting[0].Seconds, $perSetting[0].Faults, $perSetting[1].Seconds, $perSetting[1].Faults, (Get-Median $ratios),
        (($ratios | ForEach-Object { $_.ToString('0.00') }) -join ', ')
}
