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
}
