BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # Pixels as a flat [byte[]] (R, G, B per pixel, row by row), so that the tests know every value they compare.
    function New-Pixels([int] $Width, [int] $Height, [int] $Seed, [int] $Low = 0, [int] $High = 255) {
        $random = [Random]::new($Seed)
        [byte[]] $pixels = foreach ($i in 1..(3 * $Width * $Height)) { $random.Next($Low, $High + 1) }
        , $pixels
    }

    function Save-Pixels([string] $Path, [byte[]] $Pixels, [int] $Width, [int] $Height) {
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -LiteralPath $Path)
        $image = [SixLabors.ImageSharp.Image]::LoadPixelData[SixLabors.ImageSharp.PixelFormats.Rgb24]($Pixels, $Width, $Height)
        try { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, $Path) }
        finally { $image.Dispose() }
        Get-Item -LiteralPath $Path
    }

    # The top-left block of an image's pixels.
    function Select-Block([byte[]] $Pixels, [int] $Width, [int] $BlockWidth, [int] $BlockHeight) {
        [byte[]] $block = foreach ($y in 0..($BlockHeight - 1)) { $Pixels[(3 * $y * $Width)..(3 * ($y * $Width + $BlockWidth) - 1)] }
        , $block
    }

    # The protocol written out independently: Y = 16 + (65.481 R + 128.553 G + 24.966 B) / 255 on 8-bit values, the
    # border cut from each side, MSE, 10 log10(255^2 / MSE); and the same over the R, G, B values.
    function Get-ExpectedPsnr([byte[]] $A, [byte[]] $B, [int] $Width, [int] $Height, [int] $Border) {
        $sumY = 0.0; $sumRgb = 0.0; $count = 0
        for ($y = $Border; $y -lt $Height - $Border; $y++) {
            for ($x = $Border; $x -lt $Width - $Border; $x++) {
                $i = 3 * ($y * $Width + $x)
                $ya = 16 + (65.481 * $A[$i] + 128.553 * $A[$i + 1] + 24.966 * $A[$i + 2]) / 255
                $yb = 16 + (65.481 * $B[$i] + 128.553 * $B[$i + 1] + 24.966 * $B[$i + 2]) / 255
                $sumY += ($ya - $yb) * ($ya - $yb)
                foreach ($c in 0..2) { $sumRgb += ([double] $A[$i + $c] - $B[$i + $c]) * ([double] $A[$i + $c] - $B[$i + $c]) }
                $count++
            }
        }
        [pscustomobject]@{
            PsnrY   = 10 * [Math]::Log10(65025 / ($sumY / $count))
            PsnrRgb = 10 * [Math]::Log10(65025 / ($sumRgb / (3 * $count)))
        }
    }
}

Describe 'Measure-Swin2SRQuality' {
    BeforeEach {
        $root = New-TestFolder
    }
    AfterEach {
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    Context 'scores' {
        It 'scores identical files as Infinity and SSIM 1, and says what it compared' {
            $pixels = New-Pixels 24 16 1
            $a = Save-Pixels (Join-Path $root 'a.png') $pixels 24 16
            $b = Save-Pixels (Join-Path $root 'b.png') $pixels 24 16
            $result = Measure-Swin2SRQuality -Reference $a.FullName -Path $b.FullName
            $result.PsnrY | Should -Be ([double]::PositiveInfinity)
            $result.PsnrRgb | Should -Be ([double]::PositiveInfinity)
            $result.SsimY | Should -Be 1.0
            $result.Reference | Should -Be $a.FullName
            $result.Path | Should -Be $b.FullName
            $result.Name | Should -Be 'b.png'
            @($result.Width, $result.Height, $result.Border) | Should -Be @(24, 16, 0)
        }

        It 'scores a copy five levels brighter at 20 log10(255^2 / (219 * 5)) on Y and 10 log10(2601) on RGB' {
            # Every Y moves by 219 * 5 / 255 (the three weights sum to 219); every R, G, B value by 5.
            $pixels = New-Pixels 20 20 2 -Low 10 -High 240
            [byte[]] $brighter = foreach ($v in $pixels) { $v + 5 }
            $reference = Save-Pixels (Join-Path $root 'ref.png') $pixels 20 20
            $image = Save-Pixels (Join-Path $root 'img.png') $brighter 20 20
            $result = Measure-Swin2SRQuality $reference.FullName $image.FullName -Border 3
            [Math]::Abs($result.PsnrY - 20 * [Math]::Log10(65025 / 1095)) | Should -BeLessThan 1e-4
            [Math]::Abs($result.PsnrRgb - 10 * [Math]::Log10(2601)) | Should -BeLessThan 1e-4
            $result.SsimY | Should -BeLessThan 1
            $result.Border | Should -Be 3
        }

        It 'agrees with the protocol computed independently on random images, border included' {
            $a = New-Pixels 24 18 3
            $b = New-Pixels 24 18 4
            $reference = Save-Pixels (Join-Path $root 'ref.png') $a 24 18
            $image = Save-Pixels (Join-Path $root 'img.png') $b 24 18
            foreach ($border in 0, 2) {
                $expected = Get-ExpectedPsnr $a $b 24 18 $border
                $result = Measure-Swin2SRQuality -Reference $reference.FullName -Path $image.FullName -Border $border
                [Math]::Abs($result.PsnrY - $expected.PsnrY) | Should -BeLessThan 1e-4
                [Math]::Abs($result.PsnrRgb - $expected.PsnrRgb) | Should -BeLessThan 1e-4
                $result.SsimY | Should -BeLessThan 0.2 -Because 'two independent random images are barely similar'
            }
        }

        It 'with -Scale compares a reference up to scale-1 pixels larger on its common top-left block, border = scale' {
            $pixels = New-Pixels 35 27 5
            $reference = Save-Pixels (Join-Path $root 'hr.png') $pixels 35 27
            $image = Save-Pixels (Join-Path $root 'sr.png') (Select-Block $pixels 35 32 24) 32 24
            $result = Measure-Swin2SRQuality -Reference $reference.FullName -Path $image.FullName -Scale 4
            $result.PsnrY | Should -Be ([double]::PositiveInfinity)
            @($result.Width, $result.Height, $result.Border) | Should -Be @(32, 24, 4)
        }
    }

    Context 'folders and pipeline input' {
        It 'pairs two folders by base name and warns about what has no partner on either side' {
            $a = New-Pixels 16 16 6
            $b = New-Pixels 16 16 7 -Low 0 -High 250
            [byte[]] $b5 = foreach ($v in $b) { $v + 5 }
            $null = Save-Pixels (Join-Path $root 'hr/a.png') $a 16 16
            $null = Save-Pixels (Join-Path $root 'hr/b.bmp') $b 16 16
            $null = Save-Pixels (Join-Path $root 'hr/c.png') (New-Pixels 16 16 8) 16 16
            $null = Save-Pixels (Join-Path $root 'sr/a.png') $a 16 16
            $null = Save-Pixels (Join-Path $root 'sr/B.png') $b5 16 16
            $null = Save-Pixels (Join-Path $root 'sr/d.png') (New-Pixels 16 16 9) 16 16
            $results = Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path (Join-Path $root 'sr') -WarningVariable warnings -WarningAction SilentlyContinue
            $results | Should -HaveCount 2
            ($results | Where-Object Name -eq 'a.png').PsnrY | Should -Be ([double]::PositiveInfinity)
            # Base names match whatever the extension and the case.
            $upper = $results | Where-Object Name -eq 'B.png'
            [IO.Path]::GetFileName($upper.Reference) | Should -Be 'b.bmp'
            [Math]::Abs($upper.PsnrRgb - 10 * [Math]::Log10(2601)) | Should -BeLessThan 1e-4
            $warnings | Should -HaveCount 2
            $warnings[0].Message | Should -BeLike "*d.png*"
            $warnings[1].Message | Should -BeLike "*1 of the 3 reference images*: c.png."
        }

        It 'says a folder stands for the images directly in it when -Path names one whose images are in subfolders' {
            # As Invoke-Swin2SRUpscale -OutputDirectory leaves them: the input folders mirrored below the output folder.
            $pixels = New-Pixels 16 16 13
            $null = Save-Pixels (Join-Path $root 'hr/a.png') $pixels 16 16
            $null = Save-Pixels (Join-Path $root 'sr/2024/a.png') $pixels 16 16
            $results = Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path (Join-Path $root 'sr') -WarningVariable warnings -WarningAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            $warnings | Should -HaveCount 1 -Because 'the names are not what is wrong, so no warning about references left unmatched'
            $warnings[0].Message | Should -BeLike 'No input reached Measure-Swin2SRQuality*not in its subfolders, which Get-ChildItem -Recurse -File lists*nothing was measured.'
            (Get-ChildItem -LiteralPath (Join-Path $root 'sr') -Recurse -File | Measure-Swin2SRQuality -Reference (Join-Path $root 'hr')).Name | Should -Be 'a.png'
        }

        It 'says a reference folder''s images named without an image''s extension are paired once renamed, not given by name' {
            $pixels = New-Pixels 16 16 14
            $null = Save-Pixels (Join-Path $root 'hr/a.png') $pixels 16 16
            # A shop system's export, named as no image: -Reference takes one path, so it cannot be given by name.
            $null = Save-Pixels (Join-Path $root 'hr/SKU-10422') $pixels 16 16
            $null = Save-Pixels (Join-Path $root 'sr/a.png') $pixels 16 16
            $null = Save-Pixels (Join-Path $root 'sr/SKU-10422.png') $pixels 16 16
            $results = Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path (Join-Path $root 'sr') -WarningVariable warnings -WarningAction SilentlyContinue
            $results.Name | Should -Be 'a.png'
            $said = @($warnings | Where-Object { "$_" -match 'left out' })
            $said | Should -HaveCount 1
            "$($said[0])" | Should -BeExactly ("'$(Join-Path $root 'hr')' also holds 1 image(s) whose names do not end in an image's extension, left out: 'SKU-10422'. " +
                "A reference folder pairs images by name with the files in it named as images: rename them with their image's extension " +
                "(SKU-10422 to SKU-10422.jpg, photo.jpg_large to photo.jpg) to compare images with them.")
            # What the warning says to do pairs it.
            Rename-Item -LiteralPath (Join-Path $root 'hr/SKU-10422') -NewName 'SKU-10422.png'
            (Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path (Join-Path $root 'sr')).Name | Should -Be @('SKU-10422.png', 'a.png')
        }

        It 'sums up in one warning the references no input was compared with, and lists each with -Verbose' {
            $pixels = New-Pixels 16 16 12
            foreach ($name in 'r01', 'r02', 'r03', 'r04', 'r05', 'r06', 'r07', 'r08') {
                $null = Save-Pixels (Join-Path $root "hr/$name.png") $pixels 16 16
            }
            $image = Save-Pixels (Join-Path $root 'sr/r04.png') $pixels 16 16
            $result = Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path $image.FullName -WarningVariable warnings -WarningAction SilentlyContinue -Verbose 4>&1
            $verbose = @($result | Where-Object { $_ -is [Management.Automation.VerboseRecord] })
            ($result | Where-Object Name -eq 'r04.png').PsnrY | Should -Be ([double]::PositiveInfinity)
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike "*7 of the 8 reference images*: r01.png, r02.png, r03.png, r05.png, r06.png and 2 more*-Verbose*"
            $verbose | Should -HaveCount 7
            $verbose[-1].Message | Should -BeLike "*$([IO.Path]::DirectorySeparatorChar)r08.png'*"
        }

        It 'pairs outputs named after low-resolution dataset files (babyx4, 0001_x2) with their originals' {
            $a = New-Pixels 16 16 10
            $b = New-Pixels 16 16 11
            $null = Save-Pixels (Join-Path $root 'hr/baby.png') $a 16 16
            $null = Save-Pixels (Join-Path $root 'hr/0001.png') $b 16 16
            $null = Save-Pixels (Join-Path $root 'sr/babyx4.png') $a 16 16
            $null = Save-Pixels (Join-Path $root 'sr/0001_x2.png') $b 16 16
            $null = Save-Pixels (Join-Path $root 'sr/birdx4.png') $b 16 16
            $results = Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path (Join-Path $root 'sr') -WarningVariable warnings -WarningAction SilentlyContinue
            $results | Should -HaveCount 2
            $results | ForEach-Object { [IO.Path]::GetFileNameWithoutExtension($_.Reference) } | Sort-Object | Should -Be @('0001', 'baby')
            $results.PsnrY | Should -Be @([double]::PositiveInfinity, [double]::PositiveInfinity)
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike "*'birdx4' or 'bird'*"
        }

        It 'keeps a progress bar of its own beside the Invoke-Swin2SRUpscale run piped into it' {
            $null = Save-Pixels (Join-Path $root 'in/a.png') (New-Pixels 8 8 30) 8 8
            $null = Save-Pixels (Join-Path $root 'hr/a.png') (New-Pixels 16 16 31) 16 16
            # A fresh process, where ids start again: its first run takes the first bar, and the second run shows its bar
            # at the same time as the measurement piped from it (Measure-Swin2SRQuality's id was fixed at 2).
            $script = Join-Path $root 'bars.ps1'
            Set-Content -LiteralPath $script -Value @'
param($ModulePath, $Model, $Root)
$job = Start-ThreadJob -ArgumentList $ModulePath, $Model, $Root {
    param($ModulePath, $Model, $Root)
    Import-Module $ModulePath
    $run = @{ Path = "$Root/in"; Model = $Model; OutputDirectory = "$Root/out"; JobStore = "$Root/jobs.db"; Device = 'Cpu'; Force = $true }
    $null = Invoke-Swin2SRUpscale @run
    Invoke-Swin2SRUpscale @run | Measure-Swin2SRQuality -Reference "$Root/hr"
}
$null = Wait-Job $job -Timeout 120
@($job.Progress | Select-Object ActivityId, Activity) | ConvertTo-Json -Compress
'@
            $records = Invoke-ChildPwsh -File $script -Arguments @($ModulePath, $NearestX2, $root) | ConvertFrom-Json
            $measuring = @($records | Where-Object Activity -like 'Measuring*' | ForEach-Object ActivityId | Sort-Object -Unique)
            $upscaling = @($records | Where-Object Activity -notlike 'Measuring*' | ForEach-Object ActivityId | Sort-Object -Unique)
            $measuring | Should -HaveCount 1 -Because ($records | Out-String)
            $upscaling | Should -HaveCount 2 -Because 'each run keeps one bar of its own'
            $upscaling | Should -Not -Contain $measuring[0]
        }

        It 'warns when images of two folders are compared with one reference of their name, and measures both' {
            # Outputs of a tree of folders, measured against a flat folder of references: out/a/x.png and out/b/x.png.
            $pixels = New-Pixels 16 16 20
            $null = Save-Pixels (Join-Path $root 'hr/x.png') $pixels 16 16
            $first = Save-Pixels (Join-Path $root 'sr/a/x.png') $pixels 16 16
            $second = Save-Pixels (Join-Path $root 'sr/b/x.png') (New-Pixels 16 16 90) 16 16
            $null = Save-Pixels (Join-Path $root 'sr/a/x.jpg') $pixels 16 16
            $results = Get-ChildItem -LiteralPath (Join-Path $root 'sr') -Recurse -File |
                Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -WarningVariable warnings -WarningAction SilentlyContinue
            $results | Should -HaveCount 3
            # One warning, whatever the order: the JPEG beside a/x.png is taken as the same picture, as matching by base name intends.
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike "*' are both compared with '$(Join-Path $root 'hr/x.png')': the reference folder*"
            $warnings[0].Message | Should -BeLike "*'$($second.FullName)'*"
            $warnings[0].Message | Should -BeLike "*'$(Split-Path $first.FullName)*"
        }

        It 'names the base name it matched when a babyx4 finds two references, and does not call them unused' {
            $pixels = New-Pixels 16 16 15
            $null = Save-Pixels (Join-Path $root 'hr/baby.png') $pixels 16 16
            $null = Save-Pixels (Join-Path $root 'hr/baby.bmp') $pixels 16 16
            $null = Save-Pixels (Join-Path $root 'hr/bird.png') $pixels 16 16
            $image = Save-Pixels (Join-Path $root 'sr/babyx4.png') $pixels 16 16
            $results = Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -Path $image.FullName `
                -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'AmbiguousReference,*'
            $problems[0].Exception.Message | Should -BeLike "*more than one image named 'baby' (baby.bmp, baby.png)*"
            $warnings | Should -HaveCount 1
            $warnings[0].Message | Should -BeLike "*1 of the 3 reference images*: bird.png."
        }

        It 'compares each output with the reference of its own file name where the folder holds several of its base name' {
            # A shop folder with photo.jpg and photo.png (and, on a file system that tells case, Case.png and case.png),
            # upscaled with -Format Same: each output keeps its input's name, and was refused as AmbiguousReference.
            $names = @('photo.jpg', 'photo.png') + $(if ($IsLinux) { 'Case.png', 'case.png' })
            $seed = 40
            foreach ($name in $names) {
                $pixels = New-Pixels 16 16 (++$seed)
                $null = Save-Pixels (Join-Path $root "hr/$name") $pixels 16 16
                $null = Save-Pixels (Join-Path $root "sr/$name") $pixels 16 16
            }
            $results = Get-ChildItem -LiteralPath (Join-Path $root 'sr') -File | Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') `
                -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $problems | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
            $results | Should -HaveCount $names.Count
            # Equal pixels only where each met its own reference (the files' pixels differ from one name to the next).
            $results.PsnrY | Sort-Object -Unique | Should -Be ([double]::PositiveInfinity)
        }

        It 'pairs a name whose accents a Mac decomposed with the same name composed' -Skip:$IsMacOS {
            # References copied off a Mac are named 'cafe' + a combining acute (NFD); outputs made here 'café' (NFC).
            $composed = "caf$([char] 0xE9)"
            $decomposed = "cafe$([char] 0x301)"
            $pixels = New-Pixels 16 16 60
            $null = Save-Pixels (Join-Path $root "hr/$decomposed.png") $pixels 16 16
            $image = Save-Pixels (Join-Path $root "sr/$composed.png") $pixels 16 16
            $result = $image | Measure-Swin2SRQuality -Reference (Join-Path $root 'hr') -WarningVariable warnings -WarningAction SilentlyContinue
            $warnings | Should -BeNullOrEmpty
            $result.PsnrY | Should -Be ([double]::PositiveInfinity)
        }

        It 'takes Get-ChildItem output, names with wildcard characters included' {
            $pixels = New-Pixels 16 16 10
            foreach ($name in 'x [1].png', "it's.png") {
                $null = Save-Pixels (Join-Path $root "hr/$name") $pixels 16 16
                $null = Save-Pixels (Join-Path $root "sr/$name") $pixels 16 16
            }
            $results = Get-ChildItem -LiteralPath (Join-Path $root 'sr') -File | Measure-Swin2SRQuality -Reference (Join-Path $root 'hr')
            $results | Should -HaveCount 2
            $results.PsnrY | Sort-Object -Unique | Should -Be ([double]::PositiveInfinity)
        }

        It 'measures the outputs of Invoke-Swin2SRUpscale piped to it, by their OutputPath' {
            $pixels = New-Pixels 16 16 13
            $input1 = Save-Pixels (Join-Path $root 'in/a [1].png') $pixels 16 16
            $upscaled = $input1 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'sr')
            Copy-Item -LiteralPath $upscaled.OutputPath -Destination (Join-Path $root 'ref.png')
            # Without a binding by OutputPath the result's text ("Succeeded: /path") was taken as a -Path: DriveNotFound.
            $result = $upscaled | Measure-Swin2SRQuality -Reference (Join-Path $root 'ref.png')
            $result.Path | Should -Be $upscaled.OutputPath
            $result.PsnrY | Should -Be ([double]::PositiveInfinity)
        }

        It 'completes -Scale with the usual factors, not file names' {
            $line = 'Measure-Swin2SRQuality -Reference a.png -Scale '
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('2', '3', '4', '8')
        }

        It 'shows a table with the scores' {
            $pixels = New-Pixels 16 16 11
            $file = Save-Pixels (Join-Path $root 'a.png') $pixels 16 16
            $text = Measure-Swin2SRQuality $file.FullName $file.FullName | Format-Table | Out-String
            $text | Should -Match 'PSNR\(Y\) dB\s+SSIM\(Y\)\s+PSNR\(RGB\) dB\s+Size\s+Border'
            $text | Should -Match 'a\.png\s+Infinity\s+1\.0000\s+Infinity\s+16x16\s+0'
        }
    }

    Context 'bad input' {
        It 'gives an error record per bad file, naming it, and measures the rest' {
            $pixels = New-Pixels 16 16 12
            $reference = Save-Pixels (Join-Path $root 'hr/a.png') $pixels 16 16
            $good = Save-Pixels (Join-Path $root 'sr/good.png') $pixels 16 16
            $wide = Save-Pixels (Join-Path $root 'sr/wide.png') (New-Pixels 20 16 13) 20 16
            $text = Join-Path $root 'sr/text.png'
            Set-Content -LiteralPath $text -Value 'not an image'
            $missing = Join-Path $root 'sr/missing.png'
            $results = Measure-Swin2SRQuality -Reference $reference.FullName -Path $good.FullName, $wide.FullName, $text, $missing `
                -ErrorVariable problems -ErrorAction SilentlyContinue
            $results.Name | Should -Be 'good.png'
            $problems | Should -HaveCount 3
            $byId = @{}
            foreach ($p in $problems) { $byId[$p.FullyQualifiedErrorId.Split(',')[0]] = $p }
            @($byId.Keys | Sort-Object) | Should -Be @('PathNotFound', 'SizeMismatch', 'UnsupportedFormat')
            $byId['SizeMismatch'].TargetObject | Should -Be $wide.FullName
            $byId['SizeMismatch'].Exception.Message | Should -BeLike "*20x16*16x16*"
            $byId['SizeMismatch'].CategoryInfo.Category | Should -Be 'InvalidData'
            $byId['UnsupportedFormat'].TargetObject | Should -Be $text
        }

        It 'refuses images left smaller than the SSIM window once the border is cut' {
            $pixels = New-Pixels 14 14 14
            $file = Save-Pixels (Join-Path $root 'a.png') $pixels 14 14
            (Measure-Swin2SRQuality $file.FullName $file.FullName -Border 1).PsnrY | Should -Be ([double]::PositiveInfinity)
            $result = Measure-Swin2SRQuality $file.FullName $file.FullName -Border 2 -ErrorVariable problems -ErrorAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ImageTooSmall,*'
            $problems[0].Exception.Message | Should -BeLike '*10x10*11x11*'
        }

        It 'stops with a terminating error when the reference does not exist' {
            $file = Save-Pixels (Join-Path $root 'a.png') (New-Pixels 16 16 15) 16 16
            { Measure-Swin2SRQuality -Reference (Join-Path $root 'nope') -Path $file.FullName -ErrorAction Stop } |
                Should -Throw -ErrorId 'PathNotFound,Swin2SR.PowerShell.Commands.MeasureSwin2SRQualityCommand'
        }

        It 'stops once, naming the reference, when the reference file cannot be read as an image' {
            $a = Save-Pixels (Join-Path $root 'sr/a.png') (New-Pixels 16 16 17) 16 16
            $b = Save-Pixels (Join-Path $root 'sr/b.png') (New-Pixels 16 16 18) 16 16
            $reference = Join-Path $root 'hr.png'
            Set-Content -LiteralPath $reference -Value 'not an image'
            # Before, each image gave the same error about the reference, which was decoded again for every one.
            { Measure-Swin2SRQuality -Reference $reference -Path $a.FullName, $b.FullName } |
                Should -Throw -ErrorId 'UnsupportedFormat,Swin2SR.PowerShell.Commands.MeasureSwin2SRQualityCommand'
            try { Measure-Swin2SRQuality -Reference $reference -Path $a.FullName, $b.FullName } catch { $stopped = $_ }
            $stopped.TargetObject | Should -Be $reference
        }

        It 'stops when the reference folder holds no images' {
            $file = Save-Pixels (Join-Path $root 'a.png') (New-Pixels 16 16 16) 16 16
            $empty = New-Item -ItemType Directory (Join-Path $root 'empty')
            { Measure-Swin2SRQuality -Reference $empty.FullName -Path $file.FullName } |
                Should -Throw -ErrorId 'NoReferenceImages,Swin2SR.PowerShell.Commands.MeasureSwin2SRQualityCommand'
        }
    }
}
