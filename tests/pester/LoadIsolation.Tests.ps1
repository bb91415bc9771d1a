BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Load isolation' {
    It 'works beside another module that loaded a different ONNX Runtime version first' {
        $packages = ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim()
        $other = Join-Path $packages 'microsoft.ml.onnxruntime.managed/1.30.0/lib/net8.0/Microsoft.ML.OnnxRuntime.dll'
        Test-Path -LiteralPath $other | Should -BeTrue -Because 'tests/pester/TestDependencies.csproj restores it'
        $root = New-TestFolder
        try {
            $null = New-TestImage (Join-Path $root 'in/a.png')
            $script = @"
`$other = [Reflection.Assembly]::LoadFrom('$other')
Import-Module '$ModulePath'
`$result = Invoke-Swin2SRUpscale -LiteralPath '$(Join-Path $root 'in/a.png')' -Model '$NearestX2' -OutputDirectory '$(Join-Path $root 'out')' -JobName isolation -Device Cpu
`$versions = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Microsoft.ML.OnnxRuntime' } | ForEach-Object { `$_.GetName().Version.ToString(3) } | Sort-Object
"`$(`$result.Status);`$(`$versions -join ',')"
"@
            $output = Invoke-ChildPwsh -Command $script
            $LASTEXITCODE | Should -Be 0
            $output | Should -Be 'Succeeded;1.30.0,1.31.0'
        }
        finally { Remove-Item -LiteralPath $root -Recurse -Force }
    }

    # What a Windows computer without the Visual C++ runtime sees (Windows reports the library's missing
    # dependency as the library not found), and a module folder staged for another platform: the same failure.
    It 'says why, and what to install, when the ONNX Runtime native library cannot be loaded' {
        $root = New-TestFolder
        try {
            # The module without its native libraries, but for SQLite's, so that the job store opens.
            $copy = New-Item -ItemType Directory (Join-Path $root 'Swin2SR.PowerShell')
            Get-ChildItem -LiteralPath $ModulePath | Where-Object Name -ne 'dependencies' | Copy-Item -Destination $copy -Recurse
            $dependencies = New-Item -ItemType Directory (Join-Path $copy 'dependencies')
            Get-ChildItem -LiteralPath (Join-Path $ModulePath 'dependencies') -File | Copy-Item -Destination $dependencies
            foreach ($sqlite in Get-ChildItem -LiteralPath (Join-Path $ModulePath 'dependencies/runtimes') -Recurse -File -Filter '*e_sqlite3*') {
                $target = New-Item -ItemType Directory -Force (Join-Path $copy ([IO.Path]::GetRelativePath($ModulePath, $sqlite.DirectoryName)))
                Copy-Item -LiteralPath $sqlite.FullName -Destination $target
            }
            $null = New-TestImage (Join-Path $root 'in/a.png')
            $script = @"
Import-Module '$copy'
try { Invoke-Swin2SRUpscale -LiteralPath '$(Join-Path $root 'in/a.png')' -Model '$NearestX2' -OutputDirectory '$(Join-Path $root 'out')' -JobStore '$(Join-Path $root 'jobs.db')' -Device Cpu -ErrorAction Stop }
catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message -replace '\s+', ' ' }
"@
            $id, $message = Invoke-ChildPwsh -Command $script
            $id | Should -BeLike 'DeviceUnavailable,*'
            $message | Should -BeLike "ONNX Runtime: its native library cannot be loaded (*onnxruntime*).*Visual C++ Redistributable*"
        }
        finally { Remove-Item -LiteralPath $root -Recurse -Force }
    }
}
