BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'ModelServer.ps1')
    Import-Module $ModulePath -Force

    # The server's folder: the committed nearest-x2 test model, a corrupted copy, and a catalog pointing at both.
    $script:Served = New-TestFolder
    Copy-Item -LiteralPath $NearestX2 -Destination (Join-Path $Served 'nearest-x2.onnx')
    $bytes = [IO.File]::ReadAllBytes($NearestX2)
    $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0x5A
    [IO.File]::WriteAllBytes((Join-Path $Served 'corrupt-x2.onnx'), $bytes)
    $script:NearestSha256 = (Get-FileHash -LiteralPath $NearestX2 -Algorithm SHA256).Hash.ToLowerInvariant()
    $script:Server = Start-TestModelServer -Root $Served

    function New-Entry([string] $Name, [string] $File) {
        [ordered]@{
            name        = $Name
            url         = "$($Server.Url)/$File"
            sizeBytes   = (Get-Item -LiteralPath $NearestX2).Length
            sha256      = $NearestSha256
            scale       = 2
            task        = 'test'
            intendedUse = 'Pester'
        }
    }
    $document = [ordered]@{
        schema = 1
        models = @(
            New-Entry 'test-nearest-x2' 'nearest-x2.onnx'
            New-Entry 'test-corrupt-x2' 'corrupt-x2.onnx'
            New-Entry 'test-missing-x2' 'missing.onnx'
        )
    }
    $script:Catalog = Join-Path $Served 'catalog.json'
    $document | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $Catalog
    $script:SavedEnvironment = Save-ModelEnvironment
}

AfterAll {
    if ($Server) { Stop-TestModelServer $Server }
    Remove-Item -LiteralPath $Served -Recurse -Force -ErrorAction SilentlyContinue
    Restore-ModelEnvironment $SavedEnvironment
}

Describe 'Get-Swin2SRModel and Install-Swin2SRModel' {
    BeforeEach {
        $root, $store = New-ModelTestFolder
    }
    AfterEach {
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'lists the embedded models and the catalog models as available' {
        $models = Get-Swin2SRModel -Catalog $Catalog
        $embedded = @(Get-ChildItem -LiteralPath (Join-Path $ModulePath 'models') -Filter *.onnx).BaseName
        @($models | Where-Object Source -eq Embedded).Name | Should -Be $embedded
        @($models | Where-Object Source -eq Embedded).Precision | Should -Be @($embedded | ForEach-Object { 'fp32' }) -Because 'an empty Precision reads as unknown'
        $available = $models | Where-Object Source -eq Available
        $available.Name | Should -Be @('test-nearest-x2', 'test-corrupt-x2', 'test-missing-x2')
        $available[0].Url | Should -Be "$($Server.Url)/nearest-x2.onnx"
        $available[0].Scale | Should -Be 2
        $available[0].Sha256 | Should -Be $NearestSha256
        $available[0].PSObject.TypeNames[0] | Should -Be 'Swin2SR.PowerShell.Swin2SRModelInfo'
    }

    It 'takes over the claim file an installation killed outright (kill -9) left, and never lists it' {
        # What kill -9 leaves: the empty hidden claim, no longer locked (the system lets go of a dead process's lock).
        $null = New-Item -ItemType Directory -Path $store
        $claim = Join-Path $store '.test-nearest-x2.lock'
        $null = New-Item -ItemType File -Path $claim
        @(Get-Swin2SRModel -Installed -WarningVariable said).Name | Should -Not -Contain 'test-nearest-x2'
        $said | Should -BeNullOrEmpty
        (Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog).Source | Should -Be 'Available'
        (Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog).Source | Should -Be 'Installed'
        $claim | Should -Not -Exist
    }

    It 'shows how much of an interrupted download is kept, which Install-Swin2SRModel then completes' {
        $null = New-Item -ItemType Directory -Path $store
        # The first third of the model, under the hidden name a download of it is kept under (ModelStore.PartPath).
        $part = Join-Path $store ".test-nearest-x2.$($NearestSha256.Substring(0, 16)).part"
        $bytes = [IO.File]::ReadAllBytes($NearestX2)
        [IO.File]::WriteAllBytes($part, $bytes[0..([int]($bytes.Length / 3) - 1)])

        $model = Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog
        $model.Source | Should -Be 'Available' -Because 'it still has to be installed'
        $model.ReceivedBytes | Should -Be ([int]($bytes.Length / 3))
        $model.Received | Should -Be '33%'
        ($model | Format-Table | Out-String -Width 80) | Should -Match '(?m)^test-nearest-x2\s+Available\s+x2\s+[\d.]+ k?B\s+33%\s+test\s*$'
        ($model | Format-List | Out-String) | Should -Match "ReceivedBytes\s*:\s*$([int]($bytes.Length / 3))"
        (Get-Swin2SRModel test-corrupt-x2 -Catalog $Catalog).ReceivedBytes | Should -BeNullOrEmpty

        ($model | Install-Swin2SRModel).Source | Should -Be 'Installed'
        $part | Should -Not -Exist
        (Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog).ReceivedBytes | Should -BeNullOrEmpty
    }

    It 'says which model files it leaves out for their names, and how to rename them, instead of ignoring them' {
        $null = New-Item -ItemType Directory -Path $store
        Copy-Item $NearestX2 (Join-Path $store 'My Upscaler.onnx')
        Copy-Item $NearestX2 (Join-Path $store 'fine-x2.onnx')
        Copy-Item $NearestX2 (Join-Path $store 'shouting.ONNX')
        $models = Get-Swin2SRModel -Installed -WarningVariable warned -WarningAction SilentlyContinue
        @($models | Where-Object Source -eq Installed).Name | Should -Be @('fine-x2')
        # On Linux "shouting.ONNX" is no model "shouting" either: file names there are case-sensitive.
        @($warned) | Should -HaveCount ($IsLinux ? 2 : 1)
        if ($IsLinux) { "$($warned[1])" | Should -Match 'shouting\.ONNX' }
        Remove-Item (Join-Path $store 'shouting.ONNX')
        "$($warned[0])" | Should -Match ([regex]::Escape((Join-Path $store 'My Upscaler.onnx')))
        "$($warned[0])" | Should -Match 'to my-upscaler\.onnx\) to use it as -Model my-upscaler'
        Rename-Item (Join-Path $store 'My Upscaler.onnx') 'my-upscaler.onnx'
        (Get-Swin2SRModel my-upscaler).Source | Should -Be 'Installed'
    }

    It 'reads a catalog from an http address and filters names with wildcards' {
        $models = Get-Swin2SRModel -Name 'test-*-x2' -Catalog "$($Server.Url)/catalog.json"
        $models.Name | Should -Be @('test-nearest-x2', 'test-corrupt-x2', 'test-missing-x2')
        Get-Swin2SRModel -Name 'no-such-model' -Catalog $Catalog -ErrorVariable problems -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
    }

    It 'installs nothing with -WhatIf' {
        Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog -WhatIf | Should -BeNullOrEmpty
        Test-Path -LiteralPath (Join-Path $store 'test-nearest-x2.onnx') | Should -BeFalse
    }

    It 'installs a model that Invoke-Swin2SRUpscale then uses by name' {
        $model = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog
        $model.Source | Should -Be 'Installed'
        $model.Path | Should -Be (Join-Path $store 'test-nearest-x2.onnx')
        $model.Sha256 | Should -Be $NearestSha256
        (Get-FileHash -LiteralPath $model.Path -Algorithm SHA256).Hash | Should -Be $NearestSha256.ToUpperInvariant()
        (Get-Swin2SRModel -Installed).Name | Should -Contain 'test-nearest-x2'
        (Get-ChildItem -LiteralPath $store -Force -Filter *.part) | Should -BeNullOrEmpty

        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 12 -Height 8
        $result = $image | Invoke-Swin2SRUpscale -Model test-nearest-x2 -OutputDirectory (Join-Path $root 'out')
        $result.Status | Should -Be 'Succeeded'
        $result.Model | Should -Be 'test-nearest-x2'
        (Get-TestImageSize $result.OutputPath).Width | Should -Be 24
    }

    It 'refuses an installed model whose file changed after installing, in Invoke and Resume alike, warns of it in the list, and installs it again without -Force' {
        $model = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog
        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 12 -Height 8
        $image | Invoke-Swin2SRUpscale -Model test-nearest-x2 -OutputDirectory (Join-Path $root 'queued') -JobName queued -QueueOnly | Out-Null
        Copy-Item -LiteralPath (Join-Path $RepoRoot 'models/test/window16-x2.onnx') -Destination $model.Path -Force

        $listed = Get-Swin2SRModel test-nearest-x2 -Installed -WarningVariable warned -WarningAction SilentlyContinue
        $listed.ChangedSinceInstall | Should -Match 'but the file installed on .* had'
        "$warned" | Should -Match "Model 'test-nearest-x2' at .* changed after it was installed .*Install-Swin2SRModel test-nearest-x2"
        $refused = $null
        try { $image | Invoke-Swin2SRUpscale -Model test-nearest-x2 -OutputDirectory (Join-Path $root 'out') -Device Cpu -ErrorAction Stop }
        catch { $refused = $_ }
        $refused.FullyQualifiedErrorId | Should -BeLike 'ModelChanged,*'
        $refused.TargetObject | Should -Be $model.Path
        "$refused" | Should -BeLike '*test-nearest-x2.onnx* changed after Install-Swin2SRModel installed it: *'
        $refused.ErrorDetails.RecommendedAction | Should -Match 'Install-Swin2SRModel test-nearest-x2'
        { Resume-Swin2SRJob queued -ErrorAction Stop } | Should -Throw -ErrorId 'ModelChanged*'
        (Get-Swin2SRJobItem queued).Status | Should -Be 'Pending'

        $repaired = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog
        (Get-FileHash -LiteralPath $repaired.Path -Algorithm SHA256).Hash | Should -Be $NearestSha256.ToUpperInvariant()
        $repaired.ChangedSinceInstall | Should -BeNullOrEmpty
        Get-Swin2SRModel test-nearest-x2 -Installed -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        $warned | Should -BeNullOrEmpty
        (Resume-Swin2SRJob queued).Status | Should -Be 'Succeeded'
    }

    It 'stops a run with ModelLoadFailed naming both scales when a model''s metadata states a scale its graph does not compute, and leaves its images pending' {
        $model = New-WrongScaleModel (Join-Path $root 'wrong-scale.onnx')
        New-TestImageSet (Join-Path $root 'in') -Count 3 | Out-Null

        { Invoke-Swin2SRUpscale -Path (Join-Path $root 'in') -Model $model -OutputDirectory (Join-Path $root 'out') -JobName wrong -Device Cpu -WarningAction SilentlyContinue -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelLoadFailed*' -ExpectedMessage '*states scale 4, but it upscales x2*'
        (Get-Swin2SRJobItem wrong).Status | Should -Be @('Pending', 'Pending', 'Pending')
        Get-ChildItem -LiteralPath (Join-Path $root 'out') -Recurse -File -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'stops a run of a quantized export whose operator this ONNX Runtime lacks with ModelLoadFailed naming the file, the operator and the exports that run' {
        # The committed int8 export with its MatMulInteger renamed (same length, so the protobuf stays whole): an
        # operator ONNX Runtime has no kernel for, as a contrib op of a newer runtime would be.
        $latin1 = [Text.Encoding]::Latin1
        $text = $latin1.GetString([IO.File]::ReadAllBytes((Join-Path $RepoRoot 'models/test/swin2sr-tiny-x2-quantized.onnx')))
        $model = Join-Path $root 'model_int8.onnx'
        [IO.File]::WriteAllBytes($model, $latin1.GetBytes($text.Replace('MatMulInteger', 'MatMulIntegeX')))
        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 12 -Height 8

        $refused = $null
        try { $image | Invoke-Swin2SRUpscale -Model $model -OutputDirectory (Join-Path $root 'out') -Device Cpu -ErrorAction Stop }
        catch { $refused = $_ }
        $refused.FullyQualifiedErrorId | Should -BeLike 'ModelLoadFailed,*'
        "$refused" | Should -BeLike "Model '$model': it uses the operator MatMulIntegeX (opset 17), which ONNX Runtime 1.* cannot run on cpu (*"
        $refused.ErrorDetails.RecommendedAction | Should -BeLike '*model_quantized.onnx*'
    }

    It 'upscales with a model that states <States> and runs only at multiples of 16, as a window-16 export from other tools does' -TestCases @(
        @{ States = 'neither scale nor window'; File = 'window16-x2.onnx' }
        @{ States = 'its scale but no window'; File = 'window16-scale-x2.onnx' }
    ) {
        param($File)
        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 21 -Height 13
        $result = $image | Invoke-Swin2SRUpscale -Model (Join-Path $RepoRoot "models/test/$File") -OutputDirectory (Join-Path $root 'out') -Device Cpu
        $result.Status | Should -Be 'Succeeded'
        $size = Get-TestImageSize $result.OutputPath
        "$($size.Width)x$($size.Height)" | Should -Be '42x26'
    }

    It 'upscales with a model converted to fp16 without keep_io_types (float16 input and output), and says the result was computed in Fp16' {
        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 21 -Height 13
        $result = $image | Invoke-Swin2SRUpscale -Model (Join-Path $RepoRoot 'models/test/boxblur-fp16-x2.onnx') -OutputDirectory (Join-Path $root 'out') -Device Cpu -WarningVariable warnings
        $result.Status | Should -Be 'Succeeded'
        $result.Precision | Should -Be 'Fp16'
        $warnings | Should -BeNullOrEmpty
        $size = Get-TestImageSize $result.OutputPath
        "$($size.Width)x$($size.Height)" | Should -Be '42x26'
    }

    It 'upscales a colour image with a one-channel (luma) model, through the quality gate' {
        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 21 -Height 13
        $result = $image | Invoke-Swin2SRUpscale -Model (Join-Path $RepoRoot 'models/test/nearest-y-x2.onnx') -OutputDirectory (Join-Path $root 'out') -Device Cpu
        $result.Status | Should -Be 'Succeeded'
        $size = Get-TestImageSize $result.OutputPath
        "$($size.Width)x$($size.Height)" | Should -Be '42x26'
    }

    It 'installs models piped from Get-Swin2SRModel -Catalog from that catalog, without -Catalog given again' {
        $listed = Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog
        $listed.Catalog | Should -Be $Catalog
        $installed = $listed | Install-Swin2SRModel
        $installed.Source | Should -Be 'Installed'
        $installed.Url | Should -BeLike "$($Server.Url)/*"
        Test-Path -LiteralPath $installed.Path | Should -BeTrue
        # An installed or embedded model names no catalog: piping it on uses the module's, as without the pipe.
        (Get-Swin2SRModel swin2sr-tiny-x2 | Install-Swin2SRModel).Source | Should -Be 'Embedded'
    }

    It 'takes models from Get-Swin2SRModel on the pipeline and leaves installed ones alone without -Force' {
        $first = Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog | Install-Swin2SRModel -Catalog $Catalog
        $written = (Get-Item -LiteralPath $first.Path).LastWriteTimeUtc
        Start-Sleep -Milliseconds 50
        $again = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog -Verbose 4>&1
        ($again | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message | Should -Match 'already installed'
        (Get-Item -LiteralPath $first.Path).LastWriteTimeUtc | Should -Be $written
        $forced = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog -Force
        (Get-Item -LiteralPath $forced.Path).LastWriteTimeUtc | Should -BeGreaterThan $written
    }

    It 'refuses a file whose SHA-256 does not match and leaves nothing behind' {
        $result = Install-Swin2SRModel test-corrupt-x2 -Catalog $Catalog -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems | Should -HaveCount 1
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModelHashMismatch,*'
        $problems[0].CategoryInfo.Category | Should -Be 'SecurityError'
        $problems[0].TargetObject | Should -Be 'test-corrupt-x2'
        $problems[0].ToString() | Should -Match $NearestSha256
        @(Get-ChildItem -LiteralPath $store -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'reports a missing file, an unknown name and an unreachable server, and goes on with the other names' {
        $installed = Install-Swin2SRModel test-missing-x2, no-such-model, test-nearest-x2 -Catalog $Catalog -ErrorVariable problems -ErrorAction SilentlyContinue
        $installed.Name | Should -Be 'test-nearest-x2'
        $problems | Should -HaveCount 2
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
        $problems[1].FullyQualifiedErrorId | Should -BeLike 'ModelNotInCatalog,*'

        $closed = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        $offline = Join-Path $root 'offline.json'
        (Get-Content -Raw -LiteralPath $Catalog).Replace($Server.Url, "http://127.0.0.1:$port") | Set-Content -LiteralPath $offline
        Install-Swin2SRModel test-missing-x2 -Catalog $offline -ErrorVariable unreachable -ErrorAction SilentlyContinue
        $unreachable[0].FullyQualifiedErrorId | Should -BeLike 'ModelServerUnreachable,*'
        $unreachable[0].CategoryInfo.Category | Should -Be 'ConnectionError'
    }

    It 'installs on a machine without a network from a folder holding a catalog and the model files, verified by SHA-256' {
        # A USB stick or a share: the entries' urls are paths beside the catalog, one of them a file not copied.
        $stick = Join-Path $root 'stick'
        $null = New-Item -ItemType Directory -Path (Join-Path $stick 'models')
        Copy-Item -LiteralPath $NearestX2 -Destination (Join-Path $stick 'models/nearest-x2.onnx')
        $offline = Join-Path $stick 'catalog.json'
        @{ schema = 1; models = @(
                @{ name = 'offline-x2'; url = 'models/nearest-x2.onnx'; sha256 = $NearestSha256; scale = 2 }
                @{ name = 'uncopied-x2'; url = 'models/uncopied.onnx'; sha256 = $NearestSha256; scale = 2 }
                @{ name = 'unhashed-x2'; url = 'models/nearest-x2.onnx'; scale = 2 }
            )
        } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $offline

        $model = Install-Swin2SRModel offline-x2, uncopied-x2, unhashed-x2 -Catalog $offline -ErrorVariable failed -ErrorAction SilentlyContinue
        $model.Name, $model.Sha256 | Should -Be @('offline-x2', $NearestSha256)
        (Get-FileHash -LiteralPath $model.Path).Hash | Should -Be $NearestSha256
        $model.Url | Should -Be ([uri]::new((Join-Path $stick 'models/nearest-x2.onnx'))).AbsoluteUri
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
        "$($failed[0])" | Should -BeLike "*there is no file '$(Join-Path $stick 'models/uncopied.onnx')'*"
        # Nobody vouches for a file without the catalog's digest; the message says how to get one.
        $failed[1].FullyQualifiedErrorId | Should -BeLike 'ModelHashUnavailable,*'
        $failed[1].ErrorDetails.RecommendedAction | Should -BeLike '*(Get-FileHash <file>).Hash*'
    }

    It 'keeps only a hidden partial file when the server keeps breaking off mid-body, and completes the model when run again' {
        # More breaks than the installer's resumes (3): the command gives up, as on a connection that stays bad.
        $Server.Drops['nearest-x2.onnx'] = 4
        try {
            Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ModelDownloadInterrupted,*'
            "$($failed[0])" | Should -BeLike '*the next Install-Swin2SRModel test-nearest-x2 resumes from there*'
            @(Get-ChildItem -LiteralPath $store -Force).Name | Should -Be @(".test-nearest-x2.$($NearestSha256.Substring(0, 16)).part")
            (Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog).Source | Should -Be 'Available'

            $model = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog
            (Get-FileHash -LiteralPath $model.Path).Hash | Should -Be $NearestSha256
            @(Get-ChildItem -LiteralPath $store -Force).Name | Should -Be @('test-nearest-x2.json', 'test-nearest-x2.onnx')
        }
        finally { $Server.Drops.Remove('nearest-x2.onnx') }
    }

    It 'uninstalls models with their record and partial downloads, deletes nothing under -WhatIf, and names what it cannot uninstall' {
        $null = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog
        # An interrupted download of another model: only its hidden partial file is in the folder.
        Set-Content -LiteralPath (Join-Path $store ".test-corrupt-x2.$($NearestSha256.Substring(0, 16)).part") -Value 'abc'
        (TabExpansion2 'Uninstall-Swin2SRModel te' 25).CompletionMatches.CompletionText | Should -Be @('test-nearest-x2')

        Uninstall-Swin2SRModel test-* -WhatIf
        @(Get-ChildItem -LiteralPath $store -Force) | Should -HaveCount 3

        Uninstall-Swin2SRModel test-nearst-x2, test-nearest-x2, test-corrupt-x2, swin2sr-tiny-x2 -ErrorVariable failed -ErrorAction SilentlyContinue
        @(Get-ChildItem -LiteralPath $store -Force) | Should -BeNullOrEmpty
        $failed.FullyQualifiedErrorId | Should -Be @('ModelNotInstalled,Swin2SR.PowerShell.Commands.UninstallSwin2SRModelCommand', 'ModelIsEmbedded,Swin2SR.PowerShell.Commands.UninstallSwin2SRModelCommand')
        "$($failed[0])" | Should -BeLike "*not installed in '$store'. Did you mean 'test-nearest-x2'?"
        (Get-Swin2SRModel test-nearest-x2 -Catalog $Catalog).Source | Should -Be 'Available'
    }

    It 'downloads through the proxy in HTTP_PROXY, and names it when it cannot be reached' {
        $closed = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
        $closed.Start(); $port = $closed.LocalEndpoint.Port; $closed.Stop()
        # A fresh process: .NET reads the proxy variables once, at the first request.
        $said = (Invoke-ChildPwsh -Command "`$env:HTTP_PROXY = 'http://127.0.0.1:$port'; Import-Module '$ModulePath'; Install-Swin2SRModel test-nearest-x2 -Catalog '$Catalog' -ErrorAction SilentlyContinue -ErrorVariable e; `$e[0].FullyQualifiedErrorId; `$e[0].Exception.Message") -join "`n"
        $said | Should -BeLike 'ModelServerUnreachable,*'
        $said | Should -BeLike "*through the proxy http://127.0.0.1:$port *"
        Join-Path $store 'test-nearest-x2.onnx' | Should -Not -Exist
    }

    It 'stops on Ctrl+C while the address of the catalog or of the model never answers' {
        # {0}: the address of a server that never answers.
        $commands = @(
            "Get-Swin2SRModel -Catalog '{0}/catalog.json'"
            "Install-Swin2SRModel test-nearest-x2 -Catalog '{0}/catalog.json'"
            "Install-Swin2SRModel test-nearest-x2 -Catalog '$(Join-Path $root 'silent.json')'"
        )
        foreach ($command in $commands) {
            # Takes connections into its backlog and never answers: the catalog's own timeout is 30 s.
            $silent = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
            $silent.Start()
            $silentUrl = "http://127.0.0.1:$($silent.LocalEndpoint.Port)"
            (Get-Content -Raw -LiteralPath $Catalog).Replace($Server.Url, $silentUrl) | Set-Content -LiteralPath (Join-Path $root 'silent.json')
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModulePath'; $($command -f $silentUrl)")
                $async = $ps.BeginInvoke()
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                while (-not $silent.Pending() -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $silent.Pending() | Should -BeTrue -Because "$command asks the server"
                $stopping = $ps.BeginStop($null, $null)
                $stopping.AsyncWaitHandle.WaitOne(10000) | Should -BeTrue -Because "$command stops well before its timeout"
                $async.IsCompleted | Should -BeTrue
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
                $ps.Streams.Error | Should -BeNullOrEmpty -Because 'a stopped download is no unreachable server'
            }
            finally {
                $ps.Dispose()
                $silent.Stop()
            }
        }
        Get-ChildItem -LiteralPath $store -Filter *.onnx -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'says how to install a catalog model that Invoke-Swin2SRUpscale is asked for' {
        $image = New-TestImage (Join-Path $root 'in/a.png')
        { $image | Invoke-Swin2SRUpscale -Model classical-x4 -OutputDirectory (Join-Path $root 'out') } |
            Should -Throw -ExpectedMessage '*not installed: run Install-Swin2SRModel classical-x4*'
    }

    It 'offers the close name for a mistyped model, in Invoke-Swin2SRUpscale, Get-Swin2SRModel and Install-Swin2SRModel' {
        $image = New-TestImage (Join-Path $root 'in/a.png')
        { $image | Invoke-Swin2SRUpscale -Model clasical-x4 -OutputDirectory (Join-Path $root 'out') } |
            Should -Throw -ExpectedMessage "*no such model; did you mean 'classical-x4' (not installed: Install-Swin2SRModel classical-x4)? Known models: swin2sr-tiny-x2, swin2sr-tiny-x4"
        { $image | Invoke-Swin2SRUpscale -Model tiny-x2 -OutputDirectory (Join-Path $root 'out') } |
            Should -Throw -ExpectedMessage "*did you mean 'swin2sr-tiny-x2'?*"
        Get-Swin2SRModel clasical-x4 -ErrorVariable listed -ErrorAction SilentlyContinue
        $listed[0].Exception.Message | Should -Be "No model matches 'clasical-x4'. Did you mean 'classical-x4'?"
        Install-Swin2SRModel test-nearest-x3 -Catalog $Catalog -ErrorVariable installed -ErrorAction SilentlyContinue
        $installed[0].Exception.Message | Should -BeLike "*is not in the catalog *. Did you mean 'test-nearest-x2'?"
        Install-Swin2SRModel no-such-model -Catalog $Catalog -ErrorVariable unknown -ErrorAction SilentlyContinue
        $unknown[0].Exception.Message | Should -Not -BeLike '*did you mean*' -Because 'no catalog name is close'
    }

    It 'takes an embedded model''s name in any case, as an installed model''s' {
        $image = New-TestImage (Join-Path $root 'in/a.png')
        ($image | Invoke-Swin2SRUpscale -Model Swin2SR-Tiny-X2 -OutputDirectory (Join-Path $root 'out') -Device Cpu).Model | Should -Be 'swin2sr-tiny-x2'
    }

    It 'stops with CatalogInvalid for a catalog that is not valid' {
        $bad = Join-Path $root 'bad.json'
        '{ "schema": 1, "models": [ { "name": "x", "url": "ftp://x/y", "scale": 2 } ] }' | Set-Content -LiteralPath $bad
        { Install-Swin2SRModel x -Catalog $bad } | Should -Throw -ErrorId 'CatalogInvalid*'
    }

    It 'shows the scale of a model copied into the model folder from its metadata, and none for a file it cannot read' {
        New-Item -ItemType Directory $store | Out-Null
        Copy-Item -LiteralPath $NearestX4 -Destination (Join-Path $store 'copied-x4.onnx')
        Set-Content -LiteralPath (Join-Path $store 'broken.onnx') -Value 'not a model'
        $copied = Get-Swin2SRModel copied-x4 -Installed
        $copied.Source | Should -Be 'Installed'
        $copied.Scale | Should -Be 4
        ($copied | Format-Table | Out-String) | Should -Match 'copied-x4\s+Installed\s+x4'
        (Get-Swin2SRModel broken -Installed).Scale | Should -BeNullOrEmpty
    }

    It 'stops with ModelFolderUnavailable, naming the file, when a file stands where the model folder must be' {
        Set-Content -LiteralPath $store -Value 'not a folder'
        foreach ($folder in $store, (Join-Path $store 'below')) {
            $env:SWIN2SR_MODEL_PATH = $folder
            $failure = { Install-Swin2SRModel test-nearest-x2, test-missing-x2 -Catalog $Catalog } | Should -Throw -ErrorId 'ModelFolderUnavailable,*' -PassThru
            $failure.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $failure.TargetObject | Should -Be $folder
            $failure.Exception.Message | Should -BeLike "*'$folder'*'$store' is a file*"
        }
        Get-Content -LiteralPath $store | Should -Be 'not a folder'
    }

    It 'refuses a relative $env:SWIN2SR_MODEL_PATH with ModelFolderUnavailable, and installs under ~ for a leading ~' {
        $env:SWIN2SR_MODEL_PATH = 'relative-models'
        $failure = { Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog } | Should -Throw -ErrorId 'ModelFolderUnavailable,*' -PassThru
        $failure.Exception.Message | Should -BeLike "*'relative-models'*not a full path*"
        $failure.TargetObject | Should -Be 'relative-models'
        # Nothing was created relative to the process's folder, which is not PowerShell's location.
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'relative-models') | Should -BeFalse
        Get-Swin2SRModel -Installed -WarningVariable warned -WarningAction SilentlyContinue | Out-Null
        "$warned" | Should -BeLike '*not listed*not a full path*'

        $below = 'swin2sr-pester-' + [Guid]::NewGuid().ToString('N')
        $env:SWIN2SR_MODEL_PATH = "~/$below"
        try {
            $model = Install-Swin2SRModel test-nearest-x2 -Catalog $Catalog
            $model.Path | Should -Be (Join-Path $HOME $below 'test-nearest-x2.onnx')
            (Get-Swin2SRModel test-nearest-x2 -Installed).Path | Should -Be $model.Path
        }
        finally { Remove-Item -LiteralPath (Join-Path $HOME $below) -Recurse -Force -ErrorAction SilentlyContinue }
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) '~') | Should -BeFalse
    }

    It 'completes catalog names for -Name' {
        $line = 'Install-Swin2SRModel classical-x'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Be @('classical-x2', 'classical-x2-fp16', 'classical-x4', 'classical-x4-fp16')
    }

    It 'completes the module''s catalog names, instead of waiting, for a -Catalog file that does not answer' -Skip:$IsWindows {
        # A named pipe with no writer blocks its reader for ever: it stands for a share whose server is gone.
        $silent = Join-Path $TestDrive 'silent/catalog.json'
        $null = New-Item -ItemType Directory -Force (Split-Path $silent)
        & mkfifo $silent
        $line = "Install-Swin2SRModel -Catalog '$silent' -Name classical-x2"
        $child = Start-ChildPwsh "Import-Module '$ModulePath'; (TabExpansion2 -inputScript `"$line`" -cursorColumn $($line.Length)).CompletionMatches.CompletionText"
        try {
            $child.WaitForExit(60000) | Should -BeTrue -Because 'Tab waited for the catalog (it froze the console)'
            $child.StdOut.Result -split '\r?\n' -ne '' | Should -Be @('classical-x2', 'classical-x2-fp16')
        }
        finally { if (-not $child.HasExited) { $child.Kill() } }
    }

    It 'completes a wildcard for Get-Swin2SRModel -Name to the names it matches' {
        # -Name takes wildcards; a prefix match completed *-x4 to nothing.
        $line = 'Get-Swin2SRModel *-x4'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be @('classical-x4', 'classical-x4-fp16', 'compressed-x4', 'compressed-x4-fp16', 'realworld-x4', 'realworld-x4-fp16', 'swin2sr-tiny-x4')
    }

    It 'completes the names of a -Catalog typed relative to the current location' {
        Push-Location -LiteralPath $Served
        try {
            $line = 'Install-Swin2SRModel -Catalog ./catalog.json -Name test-n'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'test-nearest-x2'
        }
        finally { Pop-Location }
    }
}
