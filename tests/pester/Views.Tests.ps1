# The default views at 80 columns: a cron or Task Scheduler log, pwsh -File redirected to a file, or a narrow
# terminal is that wide, and the values a reader looks for there must be whole, not cut with an ellipsis.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # The non-blank lines of the default table, as a console of $Width columns shows it.
    function Get-TableLine([object[]] $InputObject, [int] $Width = 80) {
        ($InputObject | Format-Table | Out-String -Width $Width) -split '\r?\n' | Where-Object { $_.Trim() }
    }

    # A camera's file name: long enough to be cut by a careless column, as long as the Name column must hold.
    $script:PhotoName = 'IMG_20240612_183045.png'
}

Describe 'Default views at 80 columns' {
    BeforeEach {
        $root = New-TestFolder
        $in = Join-Path $root 'in'
        $out = Join-Path $root 'out'
        $env:SWIN2SR_JOBSTORE = $store = Join-Path $root 'jobs.db'
        $null = New-TestImage (Join-Path $in $PhotoName) -Width 16 -Height 12
    }
    AfterEach {
        Remove-Item Env:SWIN2SR_JOBSTORE -ErrorAction SilentlyContinue
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'shows each result''s status, whole file name, sizes, time and error, leaving the folder to wider consoles' {
        Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
        $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName photos -ErrorAction SilentlyContinue
        $lines = Get-TableLine $results
        $lines -match "^Succeeded\s+$([regex]::Escape($PhotoName))\s+16x12\s+32x24\s+\d\.\d\ds\s*$" | Should -HaveCount 1
        $lines -match '^Failed\s+bad\.png\s+\d\.\d\ds\s+UnsupportedFormat\s*$' | Should -HaveCount 1
        $lines -match '…' | Should -BeNullOrEmpty -Because 'a column that does not fit is left out, not cut to a few letters'
        # Below the current location, as the folder is shown relative to it.
        Push-Location -LiteralPath $root
        try { $wide = Get-TableLine $results -Width 120 }
        finally { Pop-Location }
        $wide -match '\sin\s*$' | Should -HaveCount 2 -Because 'a wider console shows the folder'

        $rerun = Get-ChildItem -LiteralPath $in -Filter 'IMG_*' | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName photos
        (Get-TableLine $rerun) -match "^Skipped\s+$([regex]::Escape($PhotoName))\s+16x12\s+32x24\s+0\.00s\s+AlreadyDone\s*$" | Should -HaveCount 1

        $items = Get-TableLine (Get-Swin2SRJobItem photos)
        $items -match "^Succeeded\s+$([regex]::Escape($PhotoName))\s+16x12\s+32x24\s+\d\.\d\ds\s*$" | Should -HaveCount 1
        $items -match '^Failed\s+bad\.png\s+\d\.\d\ds\s+UnsupportedFormat\s*$' | Should -HaveCount 1
    }

    It 'lists a result''s quality in dB and, where it has any, its warnings' {
        $whole = New-TestImage (Join-Path $root 'whole/photo.jpg') -Width 40 -Height 24
        $bytes = [IO.File]::ReadAllBytes($whole.FullName)
        # A JPEG without its end-of-image marker is upscaled, with a warning.
        [IO.File]::WriteAllBytes((Join-Path $in 'photo.jpg'), $bytes[0..($bytes.Length - 3)])
        $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -WarningAction SilentlyContinue
        $warned = ($results | Where-Object Name -eq 'photo.jpg' | Format-List | Out-String -Width 200)
        $warned | Should -Match '(?m)^Warnings\s+: .*photo\.jpg: .*end-of-image marker'
        $warned | Should -Match '(?m)^ConsistencyPsnr\s+: \d+\.\d dB\s*$'
        ($results | Where-Object Name -eq $PhotoName | Format-List | Out-String) | Should -Not -Match 'Warnings' -Because 'an empty line on every result would be noise'
    }

    It 'shows a job''s generated name and its state whole, with done, failed and workers' {
        Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
        $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -ErrorAction SilentlyContinue
        $name = $results[0].JobName
        (Get-TableLine (Get-Swin2SRJob $name)) -match "^$([regex]::Escape($name))\s+CompletedWithErrors\s+2/2\s+1\s+0\s*$" | Should -HaveCount 1
    }

    It 'says where a job''s outputs are when it has no -OutputDirectory, and shows the one it has' {
        $beside = (Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2)[0].JobName
        (Get-Swin2SRJob $beside | Format-List | Out-String -Width 80) | Should -Match "(?m)^OutputDirectory\s+: \(none: an 'enhanced' folder beside each input\)$"
        $mirrored = (Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out)[0].JobName
        (Get-Swin2SRJob $mirrored | Format-List | Out-String -Width 200) | Should -Match "(?m)^OutputDirectory\s+: $([regex]::Escape($out))$"
    }

    It 'shows a running job''s worker count and time remaining, and no time remaining once it is stopped' {
        # Tiny tiles make each image hundreds of runs: the job is still running while it is looked at.
        $frame = New-TestImage (Join-Path $root 'frame.png') -Width 128 -Height 128
        1..60 | ForEach-Object { Copy-Item -LiteralPath $frame.FullName -Destination (Join-Path $in "frame_$_.png") }
        $worker = Start-ChildPwsh (Get-WorkerCommand $store "Get-ChildItem -LiteralPath '$in' -Filter 'frame_*' | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -JobName watched -TileSize 8 -TileOverlap 0 -BatchSize 1")
        try {
            Wait-Until { (Test-Path -LiteralPath $store) -and (Get-Swin2SRJob watched -ErrorAction SilentlyContinue).Succeeded -ge 2 }
            $running = Get-Swin2SRJob watched
            (Get-TableLine $running) -match '^watched\s+Running\s+\d+/60\s+0\s+1\s+\d\S*[smhd]\s*$' | Should -HaveCount 1
            ($running | Format-List | Out-String -Width 80) | Should -Match "(?m)^Workers\s+:\s+\S+:$($worker.Id) \(cpu"
            Stop-Swin2SRJob watched
            $worker.WaitForExit(15000) | Should -BeTrue
            (Get-TableLine (Get-Swin2SRJob watched)) -match '^watched\s+Stopped\s+\d+/60\s+0\s+0\s*$' | Should -HaveCount 1
        }
        finally { if (-not $worker.HasExited) { $worker.Kill() } }
    }

    It 'shows a model''s name, source, scale, size and task, and the name of a copied-in model whole' {
        (Get-TableLine (Get-Swin2SRModel swin2sr-tiny-x2)) -match '^swin2sr-tiny-x2\s+Embedded\s+x2\s+[\d.]+ kB\s+classical-sr\s*$' | Should -HaveCount 1
        # As long as the README's example of a model file named as its public export.
        $copied = [Swin2SR.PowerShell.Swin2SRModelInfo]@{ Name = 'swin2SR-classical-sr-x4-64'; Source = 'Installed'; Scale = 4 }
        (Get-TableLine $copied) -match '^swin2SR-classical-sr-x4-64\s+Installed\s+x4' | Should -HaveCount 1
    }

    It 'keeps a model''s Size a number of bytes, which sorts and filters as one, and shows it in decimal units' {
        $small = [Swin2SR.PowerShell.Swin2SRModelInfo]@{ Name = 'small-x2'; Source = 'Available'; Scale = 2; Size = 9500000 }
        $large = [Swin2SR.PowerShell.Swin2SRModelInfo]@{ Name = 'large-x2'; Source = 'Available'; Scale = 2; Size = 54412345 }
        # As text, '9.5 MB' sorted after '54.4 MB' and -gt 10MB compared strings.
        ($small, $large | Sort-Object Size -Descending).Name | Should -Be @('large-x2', 'small-x2')
        @($small, $large | Where-Object Size -gt 10MB).Name | Should -Be @('large-x2')
        (Get-TableLine $large) -match '^large-x2\s+Available\s+x2\s+54\.4 MB\s*$' | Should -HaveCount 1
        ($large | Format-List | Out-String) | Should -Match 'Size\s+: 54\.4 MB \(54\D?412\D?345 bytes\)'
        ([Swin2SR.PowerShell.Swin2SRModelInfo]@{ Name = 'copied'; Source = 'Installed' } | Format-List | Out-String) | Should -Match 'Size\s+:\s*\r?\n'
    }

    It 'shows a <Kind> longer than its column whole, over the next lines, at <Width> columns' -TestCases @(
        foreach ($width in 80, 120) {
            @{ Kind = 'file name'; Width = $width; Start = 10; Column = 23; Value = 'product-blue-shirt-front-view-1200.png'
                Object = { param($v) [Swin2SR.PowerShell.Swin2SRUpscaleResult]@{ InputPath = "/shop/$v"; Status = 'Failed'; ErrorId = 'CorruptImage' } } }
            @{ Kind = 'job item''s name'; Width = $width; Start = 10; Column = 23; Value = 'product-blue-shirt-front-view-1200.png'
                Object = { param($v) [Swin2SR.PowerShell.Swin2SRJobItem]@{ InputPath = "/shop/$v"; Status = 'Failed'; ErrorId = 'CorruptImage' } } }
            @{ Kind = 'job name'; Width = $width; Start = 0; Column = 28; Value = 'nightly-shop-eu-west-products-2024'
                Object = { param($v) [Swin2SR.PowerShell.Swin2SRJobInfo]@{ Name = $v; State = 'Completed' } } }
            @{ Kind = 'scored file''s name'; Width = $width; Start = 0; Column = 29; Value = 'product-blue-shirt-front-view-1200.png'
                Object = { param($v) [Swin2SR.PowerShell.Swin2SRQualityResult]@{ Path = "/sr/$v"; Reference = "/hr/$v" } } }
            @{ Kind = 'model name'; Width = $width; Start = 0; Column = 30; Value = 'swin2SR-realworld-sr-x4-64-bsrgan-psnr'
                Object = { param($v) [Swin2SR.PowerShell.Swin2SRModelInfo]@{ Name = $v; Source = 'Installed'; Scale = 4 } } }
        }
    ) {
        # Cut with an ellipsis, a failed image's name was lost from the log, however wide the console.
        $rows = Get-TableLine (& $Object $Value) -Width $Width | Select-Object -Skip 2
        $rows -match '…' | Should -BeNullOrEmpty
        $rows.Count | Should -BeGreaterThan 1
        ($rows | ForEach-Object { $_.PadRight($Start + $Column).Substring($Start, $Column).Trim() }) -join '' | Should -BeExactly $Value
    }

    It 'leaves a model''s revision to wider consoles, not to the last column or two of 80' {
        $available = [Swin2SR.PowerShell.Swin2SRModelInfo]@{
            Name = 'classical-x2'; Source = 'Available'; Scale = 2; Task = 'classical-sr'
            Revision = '93dfc9089abda257351d3a58d5771e2c1ff69442'
        }
        $narrow = Get-TableLine $available
        # A column of one or two characters printed its header down the page: 'Re', 'vi', 'si', 'on'.
        $narrow[0] | Should -Match '^Name\s+Source\s+Scale\s+Size\s+Partial\s+Task\s*$'
        $narrow[1] | Should -Match '^-+(\s+-+){5}\s*$'
        $narrow -match '…' | Should -BeNullOrEmpty
        (Get-TableLine $available -Width 120) -match '^classical-x2\s+Available\s+x2\s+classical-sr\s+93dfc90\s*$' | Should -HaveCount 1
    }

    It 'shows a quality score with the whole file name' {
        $photo = Join-Path $in $PhotoName
        (Get-TableLine (Measure-Swin2SRQuality $photo $photo)) -match "^$([regex]::Escape($PhotoName))\s+Infinity\s+1\.0000\s+Infinity\s+16x12\s+0\s*$" | Should -HaveCount 1
    }

    It 'tells two models'' outputs of one name apart by their folder in a wider console' {
        foreach ($model in 'model-a', 'model-b') { Copy-Item -LiteralPath (Join-Path $in $PhotoName) -Destination (New-Item -ItemType Directory (Join-Path $root $model)) }
        Push-Location -LiteralPath $root
        try { $lines = Get-TableLine (Measure-Swin2SRQuality (Join-Path $in $PhotoName) -Path model-a, model-b) -Width 120 }
        finally { Pop-Location }
        $lines -match "^$([regex]::Escape($PhotoName))\s.*\smodel-a\s*$" | Should -HaveCount 1
        $lines -match "^$([regex]::Escape($PhotoName))\s.*\smodel-b\s*$" | Should -HaveCount 1
    }

    It 'shows whether the CPU is usable' {
        (Get-TableLine (Get-Swin2SRDevice -Kind Cpu)) -match '^cpu\s.*\s\d+\s+True\s*$' | Should -HaveCount 1
    }
}

Describe 'Compact values in the views' {
    It 'writes a duration of <Seconds> s as <Text>' -TestCases @(
        @{ Seconds = 0; Text = '0.00s' }
        @{ Seconds = 0.814; Text = '0.81s' }
        @{ Seconds = 9.996; Text = '10.0s' }
        @{ Seconds = 59.96; Text = '1m00s' }
        @{ Seconds = 65; Text = '1m05s' }
        @{ Seconds = 2520; Text = '42m' }
        @{ Seconds = 3720; Text = '1h02m' }
        @{ Seconds = 273600; Text = '3d04h' }
    ) {
        [Swin2SR.PowerShell.Swin2SRDisplay]::Duration([TimeSpan]::FromSeconds($Seconds)) | Should -BeExactly $Text
    }

    It 'writes <Done> of <Total> as <Text>, at most 9 characters' -TestCases @(
        @{ Done = 3; Total = 40; Text = '3/40' }
        @{ Done = 1234; Total = 5000; Text = '1234/5000' }
        @{ Done = 12345; Total = 200000; Text = '12k/200k' }
        @{ Done = 1234567; Total = 3000000; Text = '1.2M/3M' }
    ) {
        [Swin2SR.PowerShell.Swin2SRDisplay]::Progress($Done, $Total) | Should -BeExactly $Text
    }
}
