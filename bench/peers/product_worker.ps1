# Product peer: Invoke-Swin2SRUpscale from the staged module, driven by peers.py over stdin/stdout.
# Protocol: "RUN <inputDir> <outputDir>" -> JSON {seconds, images, failed}. Each run loads the model itself
# (the cmdlet has no preloaded form), so the other peers load theirs inside their timed runs too.
param(
    [Parameter(Mandatory)] [string] $Module,
    [Parameter(Mandatory)] [string] $Model,
    [int] $TileSize = 0,   # 0: the product's defaults (largest tile 256, batch size found at run time)
    [int] $BatchSize = 0,
    [int] $TileOverlap = 16,
    [double] $MinConsistencyPsnr = 20,  # 0 for random-weight models, whose outputs are noise by design
    [string] $JobStore = (Join-Path ([IO.Path]::GetTempPath()) 'swin2sr-peers-jobs.db')
)
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'  # progress bars would go to the host, not stdout, but cost time
Import-Module $Module
$run = 0
while ($null -ne ($line = [Console]::In.ReadLine())) {
    $parts = $line.Trim() -split ' '
    if ($parts[0] -ne 'RUN') { break }
    $run++
    $watch = [Diagnostics.Stopwatch]::StartNew()
    # A fresh job name per run and -Force: every image is really upscaled and written each time.
    $tiling = @{}
    if ($TileSize -gt 0) { $tiling.TileSize = $TileSize }
    if ($BatchSize -gt 0) { $tiling.BatchSize = $BatchSize }
    $results = Invoke-Swin2SRUpscale -Path $parts[1] -OutputDirectory $parts[2] -Model $Model -Device Cpu -Format Png `
        @tiling -TileOverlap $TileOverlap -MinConsistencyPsnr $MinConsistencyPsnr -Force `
        -JobStore $JobStore -JobName "peers-$PID-$run" -ErrorAction Continue 6>$null
    $seconds = $watch.Elapsed.TotalSeconds
    $ok = @($results | Where-Object Status -eq 'Succeeded').Count
    [Console]::Out.WriteLine((@{ seconds = $seconds; images = $ok; failed = @($results).Count - $ok } | ConvertTo-Json -Compress))
}
