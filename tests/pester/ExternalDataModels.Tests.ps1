# Models that keep their weights in a file beside them (ONNX external data, as models over 2 GB do), installed from
# a catalog through a real HTTP server on 127.0.0.1: models/test/boxblur-external-x2.onnx and its .onnx.data.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    . (Join-Path $PSScriptRoot 'ModelServer.ps1')
    Import-Module $ModulePath -Force

    $script:TestModels = Join-Path $RepoRoot 'models/test'
    $script:DataName = 'boxblur-external-x2.onnx.data'
    # Three folders served: two with the weights file beside the model (two exports of one name, model.onnx, whose
    # graphs name the same weights file), one without it.
    $script:Served = New-TestFolder
    foreach ($folder in 'whole', 'twin', 'no-data') {
        $null = New-Item -ItemType Directory -Path (Join-Path $Served $folder)
        Copy-Item -LiteralPath (Join-Path $TestModels 'boxblur-external-x2.onnx') -Destination (Join-Path $Served "$folder/model.onnx")
    }
    foreach ($folder in 'whole', 'twin') {
        Copy-Item -LiteralPath (Join-Path $TestModels $DataName) -Destination (Join-Path $Served "$folder/$DataName")
    }
    $script:Server = Start-TestModelServer -Root $Served
    $modelFile = Get-Item -LiteralPath (Join-Path $TestModels 'boxblur-external-x2.onnx')
    $sha256 = (Get-FileHash -LiteralPath $modelFile.FullName -Algorithm SHA256).Hash.ToLowerInvariant()
    $script:Catalog = Join-Path $Served 'catalog.json'
    @{
        schema = 1
        models = @(foreach ($folder in 'whole', 'twin', 'no-data') {
                @{ name = "blur-$folder-x2"; url = "$($Server.Url)/$folder/model.onnx"; sizeBytes = $modelFile.Length; sha256 = $sha256; scale = 2 }
            })
    } | ConvertTo-Json -Depth 5 | Set-Content -LiteralPath $Catalog
    $script:SavedEnvironment = Save-ModelEnvironment
}

AfterAll {
    if ($Server) { Stop-TestModelServer $Server }
    Remove-Item -LiteralPath $Served -Recurse -Force -ErrorAction SilentlyContinue
    Restore-ModelEnvironment $SavedEnvironment
}

Describe 'Models with their weights in a file beside them' {
    BeforeEach {
        $root, $store = New-ModelTestFolder
        $image = New-TestImage (Join-Path $root 'in/a.png') -Width 12 -Height 8
    }
    AfterEach {
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'installs the weights file with the model, lists it, upscales, and refuses the model by name once the file is gone' {
        $model = Install-Swin2SRModel blur-whole-x2 -Catalog $Catalog
        $data = Join-Path $store "blur-whole-x2/$DataName"
        $model.Path | Should -Be (Join-Path $store 'blur-whole-x2/blur-whole-x2.onnx') -Because 'a model with weights files gets a folder of its own'
        $model.DataFiles | Should -Be @($data)
        $model.Size | Should -Be ((Get-Item -LiteralPath $model.Path).Length + (Get-Item -LiteralPath $data).Length) -Because 'the weights are what takes the space'
        (Get-FileHash -LiteralPath $data).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $TestModels $DataName)).Hash
        (Get-Swin2SRModel blur-whole-x2 -Installed).DataFiles | Should -Be @($data)
        ($model | Format-List | Out-String) | Should -Match "DataFiles\s+: $([regex]::Escape($data))"
        (Get-Swin2SRModel swin2sr-tiny-x2 | Format-List | Out-String) | Should -Not -Match 'DataFiles' 
        ($image | Invoke-Swin2SRUpscale -Model blur-whole-x2 -OutputDirectory (Join-Path $root 'out') -Device Cpu).Status | Should -Be 'Succeeded'

        Remove-Item -LiteralPath $data
        (Get-Swin2SRModel blur-whole-x2 -Installed -WarningAction SilentlyContinue).ChangedSinceInstall | Should -BeLike "its weights file '$DataName' is missing*"
        { $image | Invoke-Swin2SRUpscale -Model blur-whole-x2 -OutputDirectory (Join-Path $root 'out2') -Device Cpu -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelChanged*' -ExpectedMessage "*its weights file '$DataName' is missing*"
        (Install-Swin2SRModel blur-whole-x2 -Catalog $Catalog).ChangedSinceInstall | Should -BeNullOrEmpty
        Test-Path -LiteralPath $data | Should -BeTrue
    }

    It 'says with -WhatIf both places a catalog model may go, since only its download tells whether it has weights files' {
        # What if: goes to the host, not to a stream: a child's output shows it. It named blur-whole-x2.onnx in the
        # model folder, where a model with weights files never goes.
        $said = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; Install-Swin2SRModel blur-whole-x2 -Catalog '$Catalog' -WhatIf") -join ''
        $said | Should -BeLike ("*on target ""$(Join-Path $store 'blur-whole-x2.onnx'), or $(Join-Path $store 'blur-whole-x2/blur-whole-x2.onnx') " +
            'with its weights files beside it if its graph keeps its weights in other files (known once it is downloaded)".*')
        Join-Path $store 'blur-whole-x2' | Should -Not -Exist
        $model = Install-Swin2SRModel blur-whole-x2 -Catalog $Catalog
        $model.Path | Should -Be (Join-Path $store 'blur-whole-x2/blur-whole-x2.onnx') -Because 'the second place named is where it went'
    }

    It 'installs two models whose graphs name the same weights file side by side, and upscales with each' {
        # Both model.onnx exports of other folders, each naming boxblur-external-x2.onnx.data: the second was refused.
        $models = Install-Swin2SRModel blur-whole-x2, blur-twin-x2 -Catalog $Catalog
        $models.Name | Should -Be @('blur-whole-x2', 'blur-twin-x2')
        @($models.DataFiles | Select-Object -Unique) | Should -HaveCount 2
        foreach ($name in $models.Name) {
            ($image | Invoke-Swin2SRUpscale -Model $name -OutputDirectory (Join-Path $root "out-$name") -Device Cpu).Status | Should -Be 'Succeeded'
        }
        @(Get-Swin2SRModel blur-* -Installed | Where-Object ChangedSinceInstall) | Should -BeNullOrEmpty

        Uninstall-Swin2SRModel blur-twin-x2
        Join-Path $store 'blur-twin-x2' | Should -Not -Exist -Because 'its own folder goes with its files'
        (Get-Swin2SRModel blur-* -Installed).Name | Should -Be 'blur-whole-x2'
        ($image | Invoke-Swin2SRUpscale -Model blur-whole-x2 -OutputDirectory (Join-Path $root 'out-after') -Device Cpu).Status | Should -Be 'Succeeded'
    }

    It 'runs a model installed with its weights file directly in the model folder, as before, and moves it into its own folder with -Force' {
        $null = Install-Swin2SRModel blur-whole-x2 -Catalog $Catalog
        # The layout an earlier version left; a move keeps the times the installation recorded.
        Get-ChildItem -LiteralPath (Join-Path $store 'blur-whole-x2') | Move-Item -Destination $store
        Remove-Item -LiteralPath (Join-Path $store 'blur-whole-x2')
        $old = Get-Swin2SRModel blur-whole-x2 -Installed
        $old.Path | Should -Be (Join-Path $store 'blur-whole-x2.onnx')
        $old.DataFiles | Should -Be @(Join-Path $store $DataName)
        $old.ChangedSinceInstall | Should -BeNullOrEmpty
        ($image | Invoke-Swin2SRUpscale -Model blur-whole-x2 -OutputDirectory (Join-Path $root 'out') -Device Cpu).Status | Should -Be 'Succeeded'
        # A job records its model's path, which the move below leaves behind.
        $null = $image | Invoke-Swin2SRUpscale -Model blur-whole-x2 -OutputDirectory (Join-Path $root 'queued') -JobName queued -QueueOnly

        (Install-Swin2SRModel blur-whole-x2 -Catalog $Catalog -Force).Path | Should -Be (Join-Path $store 'blur-whole-x2/blur-whole-x2.onnx')
        @(Get-ChildItem -LiteralPath $store -File).Name | Should -Be @('blur-whole-x2.json') -Because 'the files of the old layout are gone'
        (Resume-Swin2SRJob queued -Device Cpu).Status | Should -Be 'Succeeded' -Because 'the job finds its model where installing it again moved it'
    }

    It 'fails to install a model whose weights file the server does not have, naming the file, and leaves nothing' {
        Install-Swin2SRModel blur-no-data-x2 -Catalog $Catalog -ErrorVariable failed -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ModelFileNotFound,*'
        "$($failed[0])" | Should -BeLike "*its weights file '$DataName' ($($Server.Url)/no-data/$DataName)*"
        @(Get-ChildItem -LiteralPath $store -Force -ErrorAction SilentlyContinue) | Should -HaveCount 0
    }

    It 'stops a run of a model copied without its weights file with ModelLoadFailed naming the file' {
        $copied = Join-Path $root 'copied/blur.onnx'
        $null = New-Item -ItemType Directory -Path (Split-Path $copied)
        Copy-Item -LiteralPath (Join-Path $TestModels 'boxblur-external-x2.onnx') -Destination $copied
        { $image | Invoke-Swin2SRUpscale -Model $copied -OutputDirectory (Join-Path $root 'out') -Device Cpu -ErrorAction Stop } |
            Should -Throw -ErrorId 'ModelLoadFailed*' -ExpectedMessage "*its weights file '$DataName' is missing*"
    }
}
