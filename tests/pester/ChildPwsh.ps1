# Starts a child PowerShell like the current one. A module's assemblies never unload from a process, so
# every module test runs in a fresh child. Under `dotnet pwsh` (the pinned tool) the process is dotnet itself,
# so the child is started as `dotnet <PSHOME>/pwsh.dll`.
function Get-ChildPwshCommand {
    $process = [Environment]::ProcessPath
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') {
        return @($process, (Join-Path $PSHOME 'pwsh.dll'))
    }
    return @($process)
}

function Invoke-ChildPwsh {
    param(
        [string] $File,
        [string[]] $Arguments = @(),
        [string] $Command
    )
    $exe, $prefix = Get-ChildPwshCommand
    $common = @($prefix) + @('-NoProfile', '-NonInteractive')
    if ($File) { & $exe @common -File $File @Arguments }
    else { & $exe @common -Command $Command }
}
