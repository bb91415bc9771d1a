<#
.SYNOPSIS
    Runs the Pester module tests against a staged module; writes NUnit XML and the counts as JSON (what build.ps1
    reads). Started in a child pwsh by build.ps1.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $ResultPath,
    [Parameter(Mandatory)] [string] $CountsPath
)
$ErrorActionPreference = 'Stop'
# Plain text everywhere, children included: ANSI escapes in a failure message are not valid XML for the report.
$PSStyle.OutputRendering = 'PlainText'
$env:NO_COLOR = '1'
$packages = (& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', ''
Import-Module (Join-Path $packages.Trim() 'pester/5.7.1/tools/Pester.psd1') -Force

$env:SWIN2SR_TEST_MODULE = (Resolve-Path $ModulePath).Path
# The runs under test keep their default job store, installed models and optimized graphs in a folder of this run's
# own, not in the user's data folder (a developer's Get-Swin2SRJob listed every test run's jobs, and the graph cache
# filled with the test models' graphs): LocalApplicationData is $XDG_DATA_HOME on Linux and macOS, $LOCALAPPDATA on Windows.
# The test files' own folders go below the same run folder (TestSupport.ps1), removed with it at the end.
$runFolder = Join-Path ([System.IO.Path]::GetTempPath()) "swin2sr-pester-run-$PID"
$userData = Join-Path $runFolder 'data'
$env:XDG_DATA_HOME = $userData
if ($IsWindows) { $env:LOCALAPPDATA = $userData }
$env:SWIN2SR_TEST_TEMP = $runFolder
$null = New-Item -ItemType Directory -Force -Path $runFolder
$configuration = New-PesterConfiguration
$configuration.Run.Path = $PSScriptRoot
$configuration.Run.Exit = $false
$configuration.Run.PassThru = $true
$configuration.Output.Verbosity = 'Detailed'
$configuration.TestResult.Enabled = $true
$configuration.TestResult.OutputFormat = 'NUnitXml'
$configuration.TestResult.OutputPath = $ResultPath
try { $result = Invoke-Pester -Configuration $configuration }
finally { Remove-Item -LiteralPath $runFolder -Recurse -Force -ErrorAction SilentlyContinue }
@{ passed = $result.PassedCount; failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content -LiteralPath $CountsPath
Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $result.PassedCount, $result.FailedCount, $result.SkippedCount)
exit ([int]($result.FailedCount -gt 0))
