<#
.SYNOPSIS
    Images/s of Invoke-Swin2SRUpscale on the CPU for each batch size x tile size, written as CSV for plot_scaling.py.
.DESCRIPTION
    One PowerShell process runs every configuration, so process start-up is excluded; each timed call includes
    the model load (as in the peers benchmark). Configurations are interleaved (all 12, then all 12 again, ...)
    so that other load on the machine spreads over all of them; plot_scaling.py takes the median per configuration.
    One untimed warm-up call comes first. A fresh job name and -Force make every call upscale and write every image.
.EXAMPLE
    dotnet pwsh bench/peers/Measure-Scaling.ps1 -InputDirectory /tmp/peers/scaling-in -Csv /tmp/peers/scaling.csv
#>
param(
    [Parameter(Mandatory)] [string] $InputDirectory,
    [Parameter(Mandatory)] [string] $Csv,
    [string] $Module = (Join-Path $PSScriptRoot '../../out/Swin2SR.PowerShell'),
    [string] $Model = 'swin2sr-tiny-x4',
    [int[]] $BatchSize = @(1, 2, 4, 8),
    [int[]] $TileSize = @(64, 128, 256),
    [int] $Repeat = 2,
    [string] $Work = (Join-Path ([IO.Path]::GetTempPath()) 'swin2sr-scaling')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Import-Module $Module
$store = Join-Path $Work 'jobs.db'
$images = @(Get-ChildItem -File $InputDirectory).Count
$common = @{ Path = $InputDirectory; Model = $Model; Device = 'Cpu'; Format = 'Png'; Force = $true; JobStore = $store }

$null = Invoke-Swin2SRUpscale @common -OutputDirectory (Join-Path $Work 'warmup') -JobName "scaling-$PID-warmup" 6>$null
$rows = foreach ($repeat in 1..$Repeat) {
    foreach ($tile in $TileSize) {
        foreach ($batch in $BatchSize) {
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $results = Invoke-Swin2SRUpscale @common -TileSize $tile -BatchSize $batch -OutputDirectory (Join-Path $Work "t$tile-b$batch") `
                -JobName "scaling-$PID-$repeat-t$tile-b$batch" 6>$null
            $seconds = $watch.Elapsed.TotalSeconds
            $ok = @($results | Where-Object Status -eq 'Succeeded').Count
            if ($ok -ne $images) { throw "tile $tile batch $batch : $ok of $images images succeeded" }
            $row = [pscustomobject]@{ Repeat = $repeat; TileSize = $tile; BatchSize = $batch; Images = $ok
                                      Seconds = [math]::Round($seconds, 3); ImagesPerSecond = [math]::Round($ok / $seconds, 4) }
            Write-Host ("repeat {0} tile {1,3} batch {2} {3,7:N2} s {4:N3} images/s" -f $repeat, $tile, $batch, $seconds, $row.ImagesPerSecond)
            $row
        }
    }
}
# In the invariant culture, as plot_scaling.py's float() reads the numbers: Export-Csv writes them in the current
# one, and under de-DE 12,3456 stopped the plot with a ValueError.
$culture = [cultureinfo]::CurrentCulture
[cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
try { $rows | Export-Csv -NoTypeInformation -Path $Csv }
finally { [cultureinfo]::CurrentCulture = $culture }
Write-Host "wrote $Csv"
