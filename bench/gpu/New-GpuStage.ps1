#Requires -Version 7.4
<#
.SYNOPSIS
    Packs the GPU benchmark for the benchmark machine: a self-contained linux-x64 Swin2SR.Bench with ONNX Runtime's
    CUDA provider, a full-size Swin2SR x4 ONNX, and the remote scripts; xz-compressed and split into parts that each
    fit one transfer.
.DESCRIPTION
    That machine has no .NET and no network, and one transfer holds at most 64 MiB (../shared/gpu/README.md), so:
    1. dotnet publish bench/Swin2SR.Bench self-contained for linux-x64 (the .NET runtime comes along); check that
       ONNX Runtime's CUDA provider (libonnxruntime_providers_cuda.so, built against CUDA 13) is in it, and drop the
       TensorRT provider, which the benchmark does not use, and the Windows natives the package copies anyway;
    2. add the model (exported by export_full_size.py when it is not there yet) and the remote-side scripts;
    3. tar | xz -T2, split -b 60M into <Destination>/parts, with the archive's SHA-256 beside the parts.
    Then, on the GPU machine, one run per part, back to back, each carrying its part:
        bash bench/gpu/receive-part.sh out/gpu-stage/parts/<part>
    and the last run carries the last part and the .sha256 file:
        bash bench/gpu/receive-part.sh out/gpu-stage/parts/<last part> out/gpu-stage/parts/swin2sr-gpu.tar.xz.sha256 && bash bench/gpu/run-remote.sh
    The script prints these commands at the end.
.EXAMPLE
    dotnet pwsh bench/gpu/New-GpuStage.ps1
#>
[CmdletBinding()]
param(
    # The full-size Swin2SR x4 ONNX to benchmark; exported with random weights when missing.
    [string] $ModelPath = (Join-Path $PSScriptRoot '../../out/bench/swin2sr-full-x4.onnx'),

    # Git-ignored output folder: build/ (the unpacked stage) and parts/.
    [string] $Destination = (Join-Path $PSScriptRoot '../../out/gpu-stage'),

    # Bytes per part, as split -b takes it.
    [string] $PartSize = '60M'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$name = 'swin2sr-gpu'

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$null = New-Item -ItemType Directory -Force $Destination
$Destination = (Resolve-Path $Destination).Path
$build = Join-Path $Destination 'build'
$stage = Join-Path $build $name
$parts = Join-Path $Destination 'parts'
Remove-Item -Recurse -Force $build, $parts -ErrorAction SilentlyContinue
$null = New-Item -ItemType Directory -Force $stage, $parts

if (-not (Test-Path -LiteralPath $ModelPath)) {
    Write-Host "Exporting the full-size Swin2SR x4 to $ModelPath (random weights)"
    $null = New-Item -ItemType Directory -Force (Split-Path $ModelPath)
    Invoke-Native '/usr/bin/python3' @((Join-Path $PSScriptRoot 'export_full_size.py'), $ModelPath)
}

$bench = Join-Path $stage 'bench'
Invoke-Native dotnet @('publish', (Join-Path $root 'bench/Swin2SR.Bench'), '-c', 'Release', '-r', 'linux-x64', '--self-contained', 'true',
    '-o', $bench, '-p:GenerateDocumentationFile=false', '--nologo', '-v', 'quiet')
foreach ($required in 'Swin2SR.Bench', 'libonnxruntime.so', 'libonnxruntime_providers_shared.so', 'libonnxruntime_providers_cuda.so') {
    if (-not (Test-Path -LiteralPath (Join-Path $bench $required))) { throw "The publish lacks ${required}: the GPU machine could not run CUDA." }
}
# The GPU package copies its Windows natives into every publish (its .targets do not look at the runtime): 200 MB
# that linux-x64 never loads. The TensorRT provider is not used either.
Get-ChildItem -LiteralPath $bench -File | Where-Object Name -match '^(lib)?onnxruntime_providers_tensorrt\.|^onnxruntime.*\.(dll|lib)$' | Remove-Item

$models = New-Item -ItemType Directory -Force (Join-Path $stage 'models')
Copy-Item -LiteralPath $ModelPath -Destination (Join-Path $models 'swin2sr-full-x4.onnx')
Copy-Item (Join-Path $PSScriptRoot '*.py'), (Join-Path $root 'models/tools/swin2sr.py') $stage

$archive = Join-Path $parts "$name.tar.xz"
Write-Host "Compressing $stage (xz -T2; a few minutes)"
Invoke-Native bash @('-c', "set -o pipefail; tar -cf - -C '$build' '$name' | xz -T2 -6 > '$archive'")
Push-Location $parts
try {
    Invoke-Native bash @('-c', "sha256sum '$name.tar.xz' > '$name.tar.xz.sha256' && split -b $PartSize -d -a 2 '$name.tar.xz' '$name.tar.xz.part-' && rm '$name.tar.xz'")
}
finally { Pop-Location }

$partFiles = @(Get-ChildItem -LiteralPath $parts -Filter "$name.tar.xz.part-*" | Sort-Object Name)
$relative = [IO.Path]::GetRelativePath($root, $parts) -replace '\\', '/'
Write-Host ("{0} parts in {1} ({2:0} MB in all)" -f $partFiles.Count, $parts, (($partFiles | Measure-Object Length -Sum).Sum / 1MB))
Write-Host 'On the GPU machine, one run per line, back to back (each run carries the files it names):'
for ($i = 0; $i -lt $partFiles.Count; $i++) {
    $part = "$relative/$($partFiles[$i].Name)"
    if ($i -lt $partFiles.Count - 1) {
        Write-Host "  bash bench/gpu/receive-part.sh $part"
    }
    else {
        Write-Host "  bash bench/gpu/receive-part.sh $part $relative/$name.tar.xz.sha256 && bash bench/gpu/run-remote.sh"
    }
}
