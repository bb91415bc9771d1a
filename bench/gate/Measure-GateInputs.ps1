#Requires -Version 7.4
<#
.SYNOPSIS
    Upscales every image of a folder with the product, gate on, and lists what the quality gate refused and the
    metrics of every image (docs/quality-gate.md, "The contrast of tones" and "Inputs a user may bring").
.DESCRIPTION
    Runs Invoke-Swin2SRUpscale -Device Cpu over the folder's files (the embedded default model, or the one for
    -Scale), writes the outputs under -OutputDirectory and the refused ones under <OutputDirectory>-rejected
    (-KeepRejected), prints the refusals and a count, and with -CsvPath writes one row per image: status, error id,
    ConsistencyPsnr, ContrastRatio, ChromaRetention, InputDeviation.
.EXAMPLE
    /usr/bin/python3 bench/gate/new_gate_inputs.py /tmp/gate-inputs
    dotnet pwsh -NoProfile ./bench/gate/Measure-GateInputs.ps1 -Folder /tmp/gate-inputs -Scale 2 -CsvPath /tmp/gate-x2.csv
.EXAMPLE
    dotnet pwsh -NoProfile ./bench/gate/Measure-GateInputs.ps1 -Folder ../shared/data/BSD100/HR -First 40 -Scale 2
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Folder,
    # 0: the embedded default model (x4).
    [int] $Scale = 0,
    # Only the first N files by name; 0 for all.
    [int] $First = 0,
    [string] $OutputDirectory = (Join-Path ([IO.Path]::GetTempPath()) "swin2sr-gate-$([guid]::NewGuid().ToString('N'))"),
    [string] $CsvPath,
    [string] $Module = (Join-Path $PSScriptRoot '../../out/Swin2SR.PowerShell')
)
$ErrorActionPreference = 'Stop'
Import-Module $Module
$files = Get-ChildItem -LiteralPath $Folder -File | Sort-Object Name
if ($First -gt 0) { $files = $files | Select-Object -First $First }
$upscale = @{ Device = 'Cpu'; OutputDirectory = $OutputDirectory; KeepRejected = "$OutputDirectory-rejected"; Force = $true }
if ($Scale) { $upscale.Scale = $Scale }
# Refusals are the point of the run: they are listed below, not thrown.
$results = $files | Invoke-Swin2SRUpscale @upscale -ErrorAction SilentlyContinue 6>$null
$rows = foreach ($result in $results) {
    [pscustomobject]@{
        Name = $result.Name
        Status = $result.Status
        ErrorId = $result.ErrorId
        ConsistencyPsnr = [math]::Round($result.Metrics.ConsistencyPsnr, 1)
        ContrastRatio = [math]::Round($result.Metrics.ContrastRatio, 2)
        ChromaRetention = [math]::Round($result.Metrics.ChromaRetention, 3)
        InputDeviation = [math]::Round($result.Metrics.InputDeviation, 1)
        Error = $result.Error
    }
}
if ($CsvPath) { $rows | Export-Csv -LiteralPath $CsvPath -NoTypeInformation }
$rows | Where-Object Status -NE 'Succeeded' | Format-Table -AutoSize -Wrap | Out-String -Width 200
"$(@($rows | Where-Object Status -EQ 'Succeeded').Count) of $(@($rows).Count) succeeded; outputs in $OutputDirectory"
