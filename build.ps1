#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, stages, tests and demonstrates Swin2SR.PowerShell.
.DESCRIPTION
    build  - compile and stage the module into out/Swin2SR.PowerShell (natives of one platform only)
    test   - build, then run the xunit engine tests and the Pester module tests; prints "N passed, N failed"
    demo   - build, generate sample images, upscale them with the embedded default model, print the results
    bench  - build, then run the benchmarks in bench/ (figures go to docs/benchmarks.md by hand)
    quality - build, then score the embedded models on Set5 (../shared/data) against bicubic; report in out/quality.md
    postgres - start a throwaway PostgreSQL server on 127.0.0.1 (Debian's postgresql package) for trying a shared
             job store; prints its connection string and how to stop it (no build)
    On a machine with only the .NET SDK: dotnet tool restore; dotnet pwsh ./build.ps1 <task>
.EXAMPLE
    dotnet pwsh ./build.ps1 test
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('build', 'test', 'demo', 'bench', 'quality', 'postgres')]
    [string] $Task = 'build',

    [ValidateSet('linux-x64', 'linux-arm64', 'win-x64', 'osx-arm64')]
    [string] $Runtime = (& {
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        "$os-$([Runtime.InteropServices.RuntimeInformation]::OSArchitecture.ToString().ToLowerInvariant())"
    }),

    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$out = Join-Path $root 'out'
$staged = Join-Path $out 'Swin2SR.PowerShell'
. (Join-Path $root 'tests/pester/ChildPwsh.ps1')

function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$File $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

# Copies a file unless an identical one (size and time) is already there: the CUDA provider is hundreds of MB.
function Copy-IfChanged([string] $Source, [string] $DestinationFolder) {
    $null = New-Item -ItemType Directory -Force -Path $DestinationFolder
    $target = Join-Path $DestinationFolder (Split-Path $Source -Leaf)
    $s = Get-Item -LiteralPath $Source
    if (Test-Path -LiteralPath $target) {
        $t = Get-Item -LiteralPath $target
        if ($t.Length -eq $s.Length -and $t.LastWriteTimeUtc -eq $s.LastWriteTimeUtc) { return }
    }
    Copy-Item -LiteralPath $Source -Destination $target -Force
}

function Invoke-Build {
    $publish = Join-Path $out "obj/core-$Runtime"
    Invoke-Native dotnet @('publish', (Join-Path $root 'src/Swin2SR.Core'), '-c', $Configuration, '-r', $Runtime,
        '--self-contained', 'false', '-o', $publish, '-p:GenerateDocumentationFile=false', '--nologo', '-v', 'quiet')
    Invoke-Native dotnet @('build', (Join-Path $root 'src/Swin2SR.PowerShell'), '-c', $Configuration, '--nologo', '-v', 'quiet')

    $dependencies = Join-Path $staged 'dependencies'
    $natives = Join-Path $dependencies "runtimes/$Runtime/native"
    # Stage from a clean module folder except the natives, which are large and only change with a package.
    Get-ChildItem -LiteralPath $staged -Force -ErrorAction SilentlyContinue |
        Where-Object Name -ne 'dependencies' | Remove-Item -Recurse -Force
    Get-ChildItem -LiteralPath $dependencies -File -Force -ErrorAction SilentlyContinue | Remove-Item -Force

    # The publish's deps.json says which files are managed (runtime) and which are native, on every platform.
    $deps = Get-Content -Raw (Join-Path $publish 'Swin2SR.Core.deps.json') | ConvertFrom-Json -AsHashtable
    $target = $deps.targets[$deps.runtimeTarget.name]
    $wantedNatives = @()
    $engineErrors = 'Swin2SR.Errors.dll'
    foreach ($library in $target.Values) {
        foreach ($file in @($library['runtime']?.Keys)) {
            # The engine's exceptions go beside the cmdlets (below), in the default context, where scripts can name them.
            if ($file -and $file -ne $engineErrors) { Copy-IfChanged (Join-Path $publish (Split-Path $file -Leaf)) $dependencies }
        }
        foreach ($file in @($library['native']?.Keys)) {
            if ($file) {
                $wantedNatives += Split-Path $file -Leaf
                Copy-IfChanged (Join-Path $publish (Split-Path $file -Leaf)) $natives
            }
        }
    }
    Get-ChildItem -LiteralPath $natives -File | Where-Object Name -notin $wantedNatives | Remove-Item -Force

    $moduleBin = Join-Path $root "src/Swin2SR.PowerShell/bin/$Configuration/net8.0"
    Copy-Item (Join-Path $moduleBin 'Swin2SR.PowerShell.dll'), (Join-Path $moduleBin $engineErrors) $staged
    Copy-Item (Join-Path $root 'module/*.psd1'), (Join-Path $root 'module/*.ps1xml') $staged
    $help = Join-Path $staged 'en-US'
    $null = New-Item -ItemType Directory -Force $help
    $models = Join-Path $staged 'models'
    $null = New-Item -ItemType Directory -Force $models
    Copy-Item (Join-Path $root 'models/*.onnx'), (Join-Path $root 'models/catalog.json') $models
    # Help is generated from module/help/*.md plus the compiled cmdlets' metadata, in a child (the module loads there).
    Invoke-ChildPwsh -File (Join-Path $root 'module/help/Build-Help.ps1') -Arguments @('-ModulePath', $staged, '-Source', (Join-Path $root 'module/help'), '-Destination', $help) | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "Generating help failed (exit code $LASTEXITCODE)" }
    Write-Host "Staged $staged ($Runtime)"
}

function Invoke-Test {
    $results = Join-Path $out 'test-results'
    $null = New-Item -ItemType Directory -Force $results
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/pester/TestDependencies.csproj'), '--nologo', '-v', 'quiet')

    & dotnet test (Join-Path $root 'tests/Swin2SR.Core.Tests') -c $Configuration --nologo `
        --logger "trx;LogFileName=$(Join-Path $results 'core.trx')" | Out-Host
    $coreExit = $LASTEXITCODE
    [xml] $trx = Get-Content -Raw (Join-Path $results 'core.trx')
    $counters = $trx.TestRun.ResultSummary.Counters
    $passed = [int] $counters.passed
    $failed = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout
    if ($coreExit -ne 0 -and $failed -eq 0) { $failed = 1 }

    $pester = Join-Path $results 'pester.xml'
    $pesterCounts = Join-Path $results 'pester.json'
    Remove-Item -LiteralPath $pesterCounts -ErrorAction SilentlyContinue
    Invoke-ChildPwsh -File (Join-Path $root 'tests/pester/Run-Pester.ps1') -Arguments @('-ModulePath', $staged, '-ResultPath', $pester, '-CountsPath', $pesterCounts) | Out-Host
    if (Test-Path $pesterCounts) {
        $counts = Get-Content -Raw $pesterCounts | ConvertFrom-Json
        $passed += [int] $counts.passed
        $failed += [int] $counts.failed
    }
    else {
        $failed += 1
    }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    $demo = Join-Path $out 'demo'
    Invoke-ChildPwsh -File (Join-Path $root 'bench/New-SampleImages.ps1') -Arguments @('-Destination', (Join-Path $demo 'images'), '-ModulePath', $staged) | Out-Host
    Invoke-ChildPwsh -Command @"
Import-Module '$staged'
Get-ChildItem -LiteralPath '$(Join-Path $demo 'images')' -File |
    Invoke-Swin2SRUpscale -OutputDirectory '$(Join-Path $demo 'enhanced')' -Force |
    Format-Table -AutoSize | Out-String -Width 160
"@ | Out-Host
}

function Invoke-Bench {
    foreach ($script in Get-ChildItem (Join-Path $root 'bench') -Filter 'Measure-*.ps1') {
        Invoke-ChildPwsh -File $script.FullName -Arguments @('-ModulePath', $staged) | Out-Host
    }
}

function Invoke-Quality {
    Invoke-ChildPwsh -File (Join-Path $root 'bench/Measure-Quality.ps1') -Arguments @('-ModulePath', $staged, '-ReportPath', (Join-Path $out 'quality.md')) | Out-Host
    if ($LASTEXITCODE -ne 0) { throw "The quality benchmark failed (exit code $LASTEXITCODE)" }
}

function Invoke-Postgres {
    $server = & (Join-Path $root 'tests/pester/Start-TestPostgres.ps1')
    Write-Host "PostgreSQL is running: -JobStore '$($server.ConnectionString)'"
    Write-Host "Stop it:  $($server.Stop -join ' '); rm -rf $($server.Directory)"
}

if ($Task -eq 'postgres') { Invoke-Postgres; return }
Invoke-Build
switch ($Task) {
    'test' { Invoke-Test }
    'demo' { Invoke-Demo }
    'bench' { Invoke-Bench }
    'quality' { Invoke-Quality }
}
