# Bad, odd and hostile inputs, unwritable outputs, what the outputs keep, alpha, and the quality gate: what a user
# of Invoke-Swin2SRUpscale sees (error records, results, warnings, the journal). The engine's tests cover each
# case in depth (tests/Swin2SR.Core.Tests/Imaging and Pipeline); these check that it reaches the user.
BeforeDiscovery {
    # Tests run as root, which ignores permissions: a read-only or a small tmpfs stands in for a locked folder or a full disk.
    $probe = Join-Path ([IO.Path]::GetTempPath()) ("swin2sr-mount-probe-" + [Guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $probe
    $script:CanMount = $IsLinux -and $(try { & mount -t tmpfs -o size=64k tmpfs $probe 2>$null; $LASTEXITCODE -eq 0 } catch { $false })
    if ($script:CanMount) { & umount $probe }
    Remove-Item -LiteralPath $probe
    # Root without the capabilities that override file permissions meets them as any user does: a file root reads,
    # which root under setpriv cannot, stands in for another user's file.
    $locked = "$probe.txt"
    Set-Content -LiteralPath $locked -Value 'x'
    if ($IsLinux) { chmod 000 $locked }
    $script:CanDropRoot = $IsLinux -and $(try {
            $null = & cat $locked 2>$null
            $rootReads = $LASTEXITCODE -eq 0
            $said = & setpriv --bounding-set '-dac_override,-dac_read_search' cat $locked 2>&1
            $rootReads -and "$said" -match 'Permission denied'
        } catch { $false })
    Remove-Item -LiteralPath $locked -Force
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
    $script:BoxBlurX2 = Join-Path $RepoRoot 'models/test/boxblur-x2.onnx'
    $script:InvertX2 = Join-Path $RepoRoot 'models/test/invert-x2.onnx'

    function Save-Image($Image, [string] $Path, $Encoder) {
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -LiteralPath $Path)
        try { [SixLabors.ImageSharp.ImageExtensions]::Save($Image, $Path, $Encoder) }
        finally { $Image.Dispose() }
        Get-Item -LiteralPath $Path
    }

    # PNG's CRC-32 (polynomial 0xEDB88320); the u suffix keeps the literals unsigned.
    function Get-Crc32([byte[]] $Bytes) {
        [uint32] $crc = 0xFFFFFFFFu
        foreach ($b in $Bytes) {
            $crc = $crc -bxor [uint32] $b
            for ($k = 0; $k -lt 8; $k++) { $crc = if ($crc -band 1u) { 0xEDB88320u -bxor ($crc -shr 1) } else { $crc -shr 1 } }
        }
        [uint32] ($crc -bxor 0xFFFFFFFFu)
    }

    function Set-BigEndian([byte[]] $Bytes, [int] $Offset, [uint32] $Value) {
        foreach ($i in 0..3) { $Bytes[$Offset + $i] = ($Value -shr (8 * (3 - $i))) -band 0xFF }
    }

    # An uncompressed little-endian RGB TIFF of $Bits-bit samples, in one strip or in $Tile x $Tile tiles (those at
    # the edges padded); $Pixel gives a pixel's three levels, or four with -Alpha (unassociated, ExtraSamples 2, as
    # Photoshop saves a cut-out; with -Untagged, no ExtraSamples tag says what the fourth sample is). With -Gray -Alpha,
    # two levels, gray and alpha, as GIMP saves a mask. ImageSharp writes neither 16-bit nor tiled TIFF, nor alpha in TIFF.
    function New-RawTiff([string] $Path, [int] $Width, [int] $Height, [scriptblock] $Pixel, [int] $Tile = 0, [int] $Bits = 16, [switch] $Alpha, [switch] $Untagged, [switch] $Gray) {
        $samples = (3, 1)[[int] $Gray.IsPresent] + [int] $Alpha.IsPresent
        $stream = [IO.MemoryStream]::new()
        $writer = [IO.BinaryWriter]::new($stream)
        $writer.Write([byte[]] @(0x49, 0x49, 42, 0, 0, 0, 0, 0))
        $pieceWidth = if ($Tile) { $Tile } else { $Width }
        $pieceHeight = if ($Tile) { $Tile } else { $Height }
        $offsets = [Collections.Generic.List[uint32]]::new()
        for ($top = 0; $top -lt $Height; $top += $pieceHeight) {
            for ($left = 0; $left -lt $Width; $left += $pieceWidth) {
                $offsets.Add([uint32] $stream.Position)
                foreach ($y in $top..($top + $pieceHeight - 1)) {
                    foreach ($x in $left..($left + $pieceWidth - 1)) {
                        $levels = if ($x -lt $Width -and $y -lt $Height) { & $Pixel $x $y } else { @(0) * $samples }
                        foreach ($level in $levels) { if ($Bits -eq 8) { $writer.Write([byte] $level) } else { $writer.Write([uint16] $level) } }
                    }
                }
            }
        }
        $pieceBytes = $pieceWidth * $pieceHeight * $samples * $Bits / 8
        if ($stream.Position % 2) { $writer.Write([byte] 0) } # values start on a word boundary
        $bitsAt = $stream.Position
        foreach ($sample in 1..$samples) { $writer.Write([uint16] $Bits) }
        $offsetsAt = $stream.Position
        foreach ($offset in $offsets) { $writer.Write($offset) }
        $countsAt = $stream.Position
        foreach ($offset in $offsets) { $writer.Write([uint32] $pieceBytes) }
        # Offsets and byte counts: in the entry for one strip, else in the lists above.
        $one = $offsets.Count -eq 1
        $entries = @(
            # Two SHORTs of BitsPerSample fit the entry itself, where TIFF requires them.
            @(256, 4, $Width), @(257, 4, $Height), @(258, 3, $samples, $(if ($samples -eq 2) { $Bits -bor ($Bits -shl 16) } else { $bitsAt })),
            @(259, 3, 1), @(262, 3, (2, 1)[[int] $Gray.IsPresent]), @(277, 3, $samples), @(284, 3, 1))
        if ($Alpha -and -not $Untagged) { $entries += , @(338, 3, 2) }
        $entries += if ($Tile) {
            , @(322, 4, $Tile); , @(323, 4, $Tile); , @(324, 4, $offsets.Count, $offsetsAt); , @(325, 4, $offsets.Count, $countsAt)
        } else {
            , @(273, 4, $offsets[0]); , @(278, 4, $Height); , @(279, 4, $pieceBytes)
        }
        $directoryAt = $stream.Position
        $writer.Write([uint16] $entries.Count)
        foreach ($e in $entries | Sort-Object { $_[0] }) {
            $writer.Write([uint16] $e[0]); $writer.Write([uint16] $e[1])
            if ($e.Count -eq 4) { $writer.Write([uint32] $e[2]); $writer.Write([uint32] $e[3]) }
            elseif ($e[1] -eq 3) { $writer.Write([uint32] 1); $writer.Write([uint16] $e[2]); $writer.Write([uint16] 0) }
            else { $writer.Write([uint32] 1); $writer.Write([uint32] $e[2]) }
        }
        $writer.Write([uint32] 0)
        $stream.Position = 4
        $writer.Write([uint32] $directoryAt)
        $writer.Flush()
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -LiteralPath $Path)
        [IO.File]::WriteAllBytes($Path, $stream.ToArray())
        Get-Item -LiteralPath $Path
    }

    # A valid small PNG whose header then claims $Side x $Side pixels (its CRC recomputed, so only the size lies).
    function New-BombPng([string] $Path, [int] $Side) {
        $bytes = [IO.File]::ReadAllBytes((New-TestImage $Path).FullName)
        Set-BigEndian $bytes 16 $Side
        Set-BigEndian $bytes 20 $Side
        Set-BigEndian $bytes 29 (Get-Crc32 $bytes[12..28])
        [IO.File]::WriteAllBytes($Path, $bytes)
        Get-Item -LiteralPath $Path
    }

    # A small PNG whose only resolution is its EXIF's, $Numerator/$Denominator dots per inch: an eXIf chunk in place of
    # the pHYs chunk ImageSharp writes. The block is big-endian TIFF: one directory, XResolution and YResolution
    # (RATIONAL), both pointing to the value at byte 38.
    function New-ExifResolutionPng([string] $Path, [uint32] $Numerator, [uint32] $Denominator) {
        $png = [IO.File]::ReadAllBytes((New-TestImage $Path).FullName)
        [byte[]] $exif = @(0x4D, 0x4D, 0, 0x2A, 0, 0, 0, 8, 0, 2, 1, 0x1A, 0, 5, 0, 0, 0, 1, 0, 0, 0, 38, 1, 0x1B, 0, 5, 0, 0, 0, 1, 0, 0, 0, 38) + [byte[]]::new(12)
        Set-BigEndian $exif 38 $Numerator
        Set-BigEndian $exif 42 $Denominator
        [byte[]] $chunk = [byte[]]::new(12 + $exif.Length)
        Set-BigEndian $chunk 0 $exif.Length
        [Text.Encoding]::ASCII.GetBytes('eXIf').CopyTo($chunk, 4)
        $exif.CopyTo($chunk, 8)
        Set-BigEndian $chunk (8 + $exif.Length) (Get-Crc32 $chunk[4..(7 + $exif.Length)])
        $phys = [Text.Encoding]::ASCII.GetString($png).IndexOf('pHYs') - 4
        $rest = $png[0..($phys - 1)] + $png[($phys + 21)..($png.Length - 1)]
        [IO.File]::WriteAllBytes($Path, [byte[]] ($rest[0..32] + $chunk + $rest[33..($rest.Length - 1)]))
        Get-Item -LiteralPath $Path
    }

    function New-Noise([string] $Path, [int] $Side, [int] $Seed) {
        $random = [Random]::new($Seed)
        [byte[]] $pixels = [byte[]]::new(3 * $Side * $Side)
        $random.NextBytes($pixels)
        $image = [SixLabors.ImageSharp.Image]::LoadPixelData[SixLabors.ImageSharp.PixelFormats.Rgb24]($pixels, $Side, $Side)
        Save-Image $image $Path ([SixLabors.ImageSharp.Formats.Png.PngEncoder]::new())
    }

    # Red rises left to right, green top to bottom, blue is noise: content at every scale, so a broken output
    # (its negative) is far from it even in the quality gate's 4x4 blocks, where pure noise averages to grey.
    function New-Gradients([string] $Path, [int] $Side, [int] $Seed) {
        $random = [Random]::new($Seed)
        [byte[]] $pixels = [byte[]]::new(3 * $Side * $Side)
        $random.NextBytes($pixels)
        for ($i = 0; $i -lt $Side * $Side; $i++) {
            $pixels[3 * $i] = [byte] [Math]::Floor(255 * ($i % $Side) / ($Side - 1))
            $pixels[3 * $i + 1] = [byte] [Math]::Floor(255 * [Math]::Floor($i / $Side) / ($Side - 1))
        }
        $image = [SixLabors.ImageSharp.Image]::LoadPixelData[SixLabors.ImageSharp.PixelFormats.Rgb24]($pixels, $Side, $Side)
        Save-Image $image $Path ([SixLabors.ImageSharp.Formats.Png.PngEncoder]::new())
    }

    # 1-pixel stripes of saturated colours (red, green, blue unless -Colours says): no luma contrast of their own, but
    # a 4x4-block mean counts one of three colours twice, a luma ripple that only their phase makes. -Diagonal runs
    # them at 45 degrees.
    function New-ColourStripes([string] $Path, [int] $Width, [int] $Height, [int[][]] $Colours = @((255, 0, 0), (0, 255, 0), (0, 0, 255)), [switch] $Diagonal) {
        [byte[]] $pixels = [byte[]]::new(3 * $Width * $Height)
        for ($i = 0; $i -lt $Width * $Height; $i++) {
            $stripe = if ($Diagonal) { $i % $Width + [Math]::Floor($i / $Width) } else { $i % $Width }
            $colour = $Colours[$stripe % $Colours.Count]
            foreach ($c in 0..2) { $pixels[3 * $i + $c] = $colour[$c] }
        }
        $image = [SixLabors.ImageSharp.Image]::LoadPixelData[SixLabors.ImageSharp.PixelFormats.Rgb24]($pixels, $Width, $Height)
        Save-Image $image $Path ([SixLabors.ImageSharp.Formats.Png.PngEncoder]::new())
    }

    function Get-PngMetadata([string] $Path) {
        [SixLabors.ImageSharp.MetadataExtensions]::GetPngMetadata([SixLabors.ImageSharp.Image]::Identify($Path).Metadata)
    }

    # Runs $Command in a child that imports the module as root without the capabilities that override file
    # permissions ($CanDropRoot), so permissions apply to it as to any user; the last line it prints, JSON, is returned.
    function Invoke-WithPermissions([string] $Command) {
        $exe, $prefix = Get-ChildPwshCommand
        $child = @($exe) + @($prefix) + @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$ModulePath'; $Command")
        $said = & setpriv --bounding-set '-dac_override,-dac_read_search' @child
        ($said | Select-Object -Last 1) | ConvertFrom-Json
    }

    # What the child reports of its errors, for Invoke-WithPermissions: `$e` holds them.
    $script:ErrorReport = "Errors = @(`$e | ForEach-Object { @{ Id = `$_.FullyQualifiedErrorId; Category = `$_.CategoryInfo.Category.ToString(); Target = `$_.TargetObject; Message = `$_.ToString() } })"

    function Mount-Tmpfs([string] $Path, [string] $Options) {
        $null = New-Item -ItemType Directory -Force -Path $Path
        & mount -t tmpfs -o $Options tmpfs $Path
        if ($LASTEXITCODE -ne 0) { throw "mount -t tmpfs -o $Options failed" }
        $script:Mounts += , $Path
    }
}

Describe 'Invoke-Swin2SRUpscale with hostile input and output' {
    BeforeEach {
        $root = New-TestFolder
        $in = Join-Path $root 'in'
        $out = Join-Path $root 'out'
        $store = Join-Path $root 'jobs.db'
        $script:Mounts = @()
    }
    AfterEach {
        foreach ($mount in $script:Mounts) { & umount $mount }
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    Context 'bad inputs' {
        It 'fails each bad file with its own error id and a message naming it, upscales the rest, and journals the reasons' {
            $good = New-TestImage (Join-Path $in 'good.png') -Width 30 -Height 20
            $png = [IO.File]::ReadAllBytes($good.FullName)
            $jpeg = [IO.File]::ReadAllBytes((New-TestImage (Join-Path $root 'src.jpg') -Width 64 -Height 48).FullName)
            $tga = Save-Image ([SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgb24]]::new(8, 8)) (Join-Path $in 'old.tga') ([SixLabors.ImageSharp.Formats.Tga.TgaEncoder]::new())
            [IO.File]::WriteAllBytes((Join-Path $in 'zero.png'), [byte[]]@())
            [IO.File]::WriteAllBytes((Join-Path $in 'cut.png'), $png[0..([int]($png.Length / 2))])
            [IO.File]::WriteAllBytes((Join-Path $in 'cut.jpg'), $jpeg[0..([int]($jpeg.Length * 2 / 3))])
            Set-Content -LiteralPath (Join-Path $in 'notes.jpg') -Value 'quarterly numbers, not a picture'
            Set-Content -LiteralPath (Join-Path $in 'page.jpg') -Value '<!DOCTYPE html><html><head><title>403 Forbidden</title></head></html>'
            $null = New-BombPng (Join-Path $in 'bomb.png') 100000
            # Image data whose zlib header asks for a preset dictionary (found by the fuzzer): .NET's inflater throws
            # ZLibException for it, which escaped the loader; the header's check stays right, the CRC is recomputed.
            $dictionary = [byte[]] $png.Clone()
            $idat = [Text.Encoding]::ASCII.GetString($dictionary).IndexOf('IDAT')
            $dictionary[$idat + 4], $dictionary[$idat + 5] = 0x78, 0x7D
            $length = ([int] $dictionary[$idat - 2] -shl 8) -bor $dictionary[$idat - 1]
            Set-BigEndian $dictionary ($idat + 4 + $length) (Get-Crc32 $dictionary[$idat..($idat + 3 + $length)])
            [IO.File]::WriteAllBytes((Join-Path $in 'dictionary.png'), $dictionary)
            $expected = @{ 'zero.png' = 'EmptyFile'; 'cut.png' = 'CorruptImage'; 'cut.jpg' = 'CorruptImage'; 'notes.jpg' = 'UnsupportedFormat'
                'page.jpg' = 'UnsupportedFormat'; 'old.tga' = 'UnsupportedFormat'; 'bomb.png' = 'ImageTooLarge'; 'dictionary.png' = 'CorruptImage' }
            if ($IsLinux) {
                # Opening a named pipe waits for a writer: were it opened, this writer would end the wait after a
                # minute, and the test would fail instead of hanging.
                $pipe = Join-Path $in 'pipe.png'
                mkfifo $pipe
                $expected['pipe.png'] = 'NotAFile'
                $release = Start-ThreadJob { Start-Sleep 60; [IO.File]::OpenWrite($using:pipe).Dispose() }
            }

            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName bad -JobStore $store -ErrorVariable problems -ErrorAction SilentlyContinue
            if ($release) { Remove-Job $release -Force }

            ($results | Where-Object Status -eq 'Succeeded').Name | Should -Be 'good.png'
            $problems | Should -HaveCount $expected.Count
            foreach ($name in $expected.Keys) {
                $path = Join-Path $in $name
                $record = $problems | Where-Object TargetObject -eq $path
                $record.FullyQualifiedErrorId | Should -BeLike "$($expected[$name]),*"
                $record.ToString() | Should -BeLike "$path*"
                ($results | Where-Object InputPath -eq $path).Status | Should -Be 'Failed'
            }
            ($problems | Where-Object TargetObject -eq (Join-Path $in 'bomb.png')).ToString() | Should -Match '100000x100000.*-MaxInputMegapixels'
            ($problems | Where-Object TargetObject -eq (Join-Path $in 'page.jpg')).ToString() | Should -Match 'web page \(HTML\).*download the image again'
            ($problems | Where-Object TargetObject -eq (Join-Path $in 'dictionary.png')).ToString() | Should -Match 'its image data does not inflate'
            if ($IsLinux) {
                $record = $problems | Where-Object TargetObject -eq $pipe
                $record.ToString() | Should -Be "${pipe}: it is a named pipe (FIFO), not a regular file: only image files can be upscaled"
                $record.CategoryInfo.Category | Should -Be 'InvalidType'
            }
            @(Get-ChildItem -LiteralPath $out -Recurse -Force -File).Name | Should -Be 'good.png'

            $journal = Get-Swin2SRJobItem bad -JobStore $store -Status Failed
            $journal | Should -HaveCount $expected.Count
            foreach ($item in $journal) {
                $item.ErrorId | Should -Be $expected[$item.Name]
                $item.Error | Should -BeLike "$($item.InputPath): *"
            }
        }

        It 'fails an input its permissions keep from being read as InputUnreadable, PermissionDenied, and does the others' -Skip:(-not $CanDropRoot) {
            $null = New-TestImageSet $in 2
            $locked = Join-Path $in 'locked.png'
            $null = New-TestImage $locked
            chmod 000 $locked
            $report = Invoke-WithPermissions ("`$r = Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobStore '$store' -ErrorVariable e -ErrorAction SilentlyContinue; " +
                "@{ Failed = @(`$r | Where-Object Status -eq 'Failed').InputPath; Succeeded = @(`$r | Where-Object Status -eq 'Succeeded').Count; $ErrorReport } | ConvertTo-Json -Compress -Depth 3")
            $report.Failed | Should -Be $locked
            $report.Succeeded | Should -Be 2
            $report.Errors[0].Id | Should -BeLike 'InputUnreadable,*'
            $report.Errors[0].Category | Should -Be 'PermissionDenied'
            $report.Errors[0].Target | Should -Be $locked
            $report.Errors[0].Message | Should -BeLike "$locked*denied*"
        }

        It 'applies -MaxInputMegapixels and -MaxOutputMegapixels from the header' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 40 -Height 30
            $tooBig = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -MaxInputMegapixels 0.001 -ErrorVariable e1 -ErrorAction SilentlyContinue
            $tooBig.ErrorId | Should -Be 'ImageTooLarge'
            $e1[0].CategoryInfo.Category | Should -Be 'LimitsExceeded'
            $outputTooBig = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -MaxOutputMegapixels 0.004 -ErrorAction SilentlyContinue
            $outputTooBig.ErrorId | Should -Be 'OutputTooLarge'
            ($file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -MaxOutputMegapixels 0.005).Status | Should -Be 'Succeeded'

            # Limits raised as far as they go still leave an output that no array could hold: refused, not crashed.
            $mural = New-BombPng (Join-Path $in 'mural.png') 14000
            $huge = $mural | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -MaxInputMegapixels 1000 -MaxOutputMegapixels 100000 -ErrorVariable e2 -ErrorAction SilentlyContinue
            $huge.ErrorId | Should -Be 'OutputTooLarge'
            $e2[0].ToString() | Should -BeLike "$($mural.FullName): the x2 output would be 784 megapixels, more than one image can hold in memory*"
        }

        It 'names a file too long for an image within -MaxInputMegapixels by the size its header states, not by its length' {
            # 1.7 GB, over the 1.66 GB a 100-megapixel image may take: a hole after the header, no disk used. Before
            # its header was read from the open file, a file under that length was read whole to be refused.
            $poster = New-BombPng (Join-Path $in 'poster.png') 40000
            $file = [IO.File]::Open($poster.FullName, 'Open', 'ReadWrite')
            try { $file.SetLength(1700MB) } finally { $file.Dispose() }
            $result = $poster | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -ErrorVariable e -ErrorAction SilentlyContinue
            $result.ErrorId | Should -Be 'ImageTooLarge'
            $e[0].ToString() | Should -Be "$($poster.FullName): 40000x40000 is 1600 megapixels, over the limit of 100 (-MaxInputMegapixels)"
        }

        It 'fails an input deleted after it was listed and does the others' {
            $victim = New-TestImage (Join-Path $in 'a.png')
            $null = New-TestImage (Join-Path $in 'b.png')
            # ForEach-Object's -End runs before Invoke-Swin2SRUpscale starts its run: the file is gone by then.
            $results = Get-ChildItem -LiteralPath $in -File | ForEach-Object -Process { $_ } -End { Remove-Item -LiteralPath $victim.FullName } |
                Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -ErrorVariable problems -ErrorAction SilentlyContinue
            ($results | Where-Object Name -eq 'a.png').ErrorId | Should -Be 'InputNotFound'
            ($results | Where-Object Name -eq 'b.png').Status | Should -Be 'Succeeded'
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'outputs that would replace their input' {
        It 'fails an input that a symbolic link makes its own output, even with -Force, and leaves it as it was' -Skip:(-not $IsLinux) {
            $original = New-TestImage (Join-Path $in 'a.png')
            $before = (Get-FileHash -LiteralPath $original.FullName).Hash
            # A link to the file: the paths differ, the file is one.
            $null = New-Item -ItemType Directory (Join-Path $root 'links')
            $link = New-Item -ItemType SymbolicLink -Path (Join-Path $root 'links/a.png') -Target $original.FullName
            $results = Get-Item -LiteralPath $link.FullName | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $in -Force -JobStore $store -ErrorVariable problems -ErrorAction SilentlyContinue
            $results.ErrorId | Should -Be 'OutputIsInput'
            $problems[0].ToString() | Should -BeLike "*is the input file $($link.FullName) itself*"
            $problems[0].CategoryInfo.Category | Should -Be 'WriteError'
            (Get-FileHash -LiteralPath $original.FullName).Hash | Should -Be $before
            # A link to its folder is the output folder itself: the file is left out before the run, as an earlier output is.
            $folderLink = New-Item -ItemType SymbolicLink -Path (Join-Path $root 'link') -Target $in
            $results = Get-ChildItem -LiteralPath $folderLink.FullName -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $in -Force -JobStore $store -WarningVariable warned -WarningAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            "$warned" | Should -Match 'would be replaced by their own outputs'
            (Get-FileHash -LiteralPath $original.FullName).Hash | Should -Be $before
        }
    }

    Context 'outputs that cannot be written' {
        It 'refuses an output folder it may not write to before computing anything, in one error naming it, and a run once it is writable does the work' -Skip:(-not $CanDropRoot) {
            $null = New-TestImageSet $in 3
            $null = New-Item -ItemType Directory -Path $out
            chmod 555 $out
            $upscale = "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobStore '$store' -JobName locked -ErrorVariable e -ErrorAction SilentlyContinue"
            $whatIf = Invoke-WithPermissions "`$r = $upscale -WhatIf; @{ $ErrorReport } | ConvertTo-Json -Compress -Depth 3"
            $whatIf.Errors.Id | Should -Be 'OutputFolderNotWritable,Swin2SR.PowerShell.Commands.InvokeSwin2SRUpscaleCommand'

            $report = Invoke-WithPermissions ("`$r = $upscale; @{ Results = @(`$r).Count; Journaled = Test-Path -LiteralPath '$store'; $ErrorReport } | ConvertTo-Json -Compress -Depth 3")
            $report.Results | Should -Be 0 -Because 'no image is decoded or upscaled only to fail at its write'
            $report.Errors.Count | Should -Be 1 -Because 'one folder refused, one error, not one per image'
            $report.Errors[0].Category | Should -Be 'PermissionDenied'
            $report.Errors[0].Target | Should -Be $out
            $report.Errors[0].Message | Should -BeLike "Outputs cannot be written in the folder '$out': permission denied. 3 images were to be written there*"
            $report.Journaled | Should -BeFalse -Because 'no job is recorded for inputs that did not run'
            @(Get-ChildItem -LiteralPath $out -Force) | Should -BeNullOrEmpty

            chmod 755 $out
            $again = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -JobName locked
            $again.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        }

        It 'tries the folders a grown job writes its outputs to, not those the night''s listing alone would give them' -Skip:(-not $CanDropRoot) {
            # Night 1 over shop/shoes writes into $out; the night shop/bags appears, the shoes still go into $out, not $out/shoes.
            $null = New-TestImage (Join-Path $in 'shoes/boot.png')
            $null = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -JobName shop -Device Cpu
            $null = New-TestImage (Join-Path $in 'shoes/sandal.png') -Seed 2
            $null = New-TestImage (Join-Path $in 'bags/tote.png') -Seed 3
            # A folder the job never writes to, which this user may not write.
            $null = New-Item -ItemType Directory -Path (Join-Path $out 'shoes')
            chmod 555 (Join-Path $out 'shoes')
            $upscale = "Get-ChildItem -LiteralPath '$in' -Recurse -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobStore '$store' -JobName shop -Device Cpu -ErrorVariable e -ErrorAction SilentlyContinue"
            $report = Invoke-WithPermissions ("`$r = $upscale; @{ Written = @(`$r | Where-Object Status -eq Succeeded | ForEach-Object OutputPath | Sort-Object); $ErrorReport } | ConvertTo-Json -Compress -Depth 3")
            $report.Errors | Should -BeNullOrEmpty -Because "$out/shoes is no output folder of the job"
            $report.Written | Should -Be @((Join-Path $out 'bags/tote.png'), (Join-Path $out 'sandal.png'))
        }

        It 'leaves a resumed job Pending, in one error, when its output folder cannot be written, and resumes it once it is writable' -Skip:(-not $CanDropRoot) {
            $null = New-TestImageSet $in 2
            $null = New-Item -ItemType Directory -Path $out
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -JobName queued -QueueOnly
            chmod 555 $out
            $report = Invoke-WithPermissions ("`$r = Resume-Swin2SRJob queued -JobStore '$store' -ErrorVariable e -ErrorAction SilentlyContinue; " +
                "@{ Results = @(`$r).Count; $ErrorReport } | ConvertTo-Json -Compress -Depth 3")
            $report.Results | Should -Be 0
            $report.Errors.Id | Should -Be 'OutputFolderNotWritable,Swin2SR.PowerShell.Commands.ResumeSwin2SRJobCommand'
            $report.Errors[0].Target | Should -Be $out
            $report.Errors[0].Message | Should -BeLike "*job 'queued' was not run, and its images wait as they were. Nothing was written."
            (Get-Swin2SRJobItem queued -JobStore $store).Status | Should -Be @('Pending', 'Pending')

            chmod 755 $out
            (Resume-Swin2SRJob queued -JobStore $store).Status | Should -Be @('Succeeded', 'Succeeded')
        }

        It 'leaves out the images of a mirrored output folder on a read-only disk, in one error naming it, and does the others in their places' -Skip:(-not $CanMount) {
            $null = New-TestImage (Join-Path $in 'a/one.png')
            $null = New-TestImage (Join-Path $in 'b/two.png')
            Mount-Tmpfs (Join-Path $out 'b') 'ro,size=1m'
            $results = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -ErrorVariable problems -ErrorAction SilentlyContinue
            $results.Name | Should -Be 'one.png'
            $results.OutputPath | Should -Be (Join-Path $out 'a/one.png') -Because 'the image left out does not move the others'' outputs'
            $problems.Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'OutputFolderNotWritable,*'
            $problems[0].CategoryInfo.Category | Should -Be 'WriteError'
            $problems[0].TargetObject | Should -Be (Join-Path $out 'b')
            $problems[0].ToString() | Should -BeLike '*: its disk is mounted read-only. 1 image was to be written there*'
        }

        It 'fails an image that does not fit on a full disk and leaves no partial or temp file' -Skip:(-not $CanMount) {
            $null = New-Noise (Join-Path $in 'big.png') 256 1
            $null = New-TestImage (Join-Path $in 'small.png') -Width 8 -Height 8
            Mount-Tmpfs $out 'size=64k'
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -ErrorAction SilentlyContinue
            ($results | Where-Object Name -eq 'big.png').ErrorId | Should -Be 'DiskFull'
            ($results | Where-Object Name -eq 'small.png').Status | Should -Be 'Succeeded'
            @(Get-ChildItem -LiteralPath $out -Force -File).Name | Should -Be 'small.png'
        }

        It 'stops after three outputs in a row find the disk full, leaving the rest Pending for a Resume once there is room' -Skip:(-not $CanMount) {
            # 192x192 noise: each x2 output (nearest neighbour, about 150 KB as PNG) is larger than the 64 KB disk.
            1..100 | ForEach-Object { New-Noise (Join-Path $in ('n{0:D3}.png' -f $_)) 192 $_ }
            Mount-Tmpfs $out 'size=64k'
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -JobName full `
                -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            @($results | Where-Object ErrorId -eq 'DiskFull').Count | Should -BeGreaterOrEqual 3
            $warnings.Message | Should -Contain "Job 'full' stopped: 3 outputs in a row found no space left on the disk of '$out', and the run stopped rather than compute images only to fail writing them. Free some space, then Resume-Swin2SRJob 'full' -JobStore '$store' -RetryFailed (which also redoes the images that failed for it)."
            $pending = @(Get-Swin2SRJobItem full -JobStore $store -Status Pending)
            $pending.Count | Should -BeGreaterThan 0 -Because 'the images not yet computed when the disk was found full wait for a Resume'
            $pending.Count + $results.Count | Should -Be 100

            & umount $out
            $script:Mounts = @($script:Mounts | Where-Object { $_ -ne $out })
            $resumed = Resume-Swin2SRJob full -JobStore $store -RetryFailed
            $resumed.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            (Get-Swin2SRJob full -JobStore $store).State | Should -Be 'Completed'
        }

        It 'fails an output path over the platform limit before decoding it' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $deep = Join-Path $out ('d' * 300)
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $deep -JobStore $store -ErrorAction SilentlyContinue
            $result.ErrorId | Should -Be 'OutputPathTooLong'
            $result.Error | Should -Match 'limit of 255'
        }
    }

    Context 'what the output keeps' {
        It 'keeps 16 bits, grayscale and transparency' {
            $deep = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgb48]]::new(8, 8)
            $deep[3, 2] = [SixLabors.ImageSharp.PixelFormats.Rgb48]::new(12345, 54321, 777)
            $null = Save-Image $deep (Join-Path $in 'deep.png') ([SixLabors.ImageSharp.Formats.Png.PngEncoder]@{ BitDepth = 'Bit16' })
            $gray = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.L8]]::new(8, 8)
            $null = Save-Image $gray (Join-Path $in 'gray.png') ([SixLabors.ImageSharp.Formats.Png.PngEncoder]@{ ColorType = 'Grayscale' })
            $clear = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgba32]]::new(8, 8)
            $clear[1, 1] = [SixLabors.ImageSharp.PixelFormats.Rgba32]::new(200, 100, 50, 255)
            $null = Save-Image $clear (Join-Path $in 'clear.png') ([SixLabors.ImageSharp.Formats.Png.PngEncoder]@{ ColorType = 'RgbWithAlpha' })

            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store
            $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            (Get-PngMetadata (Join-Path $out 'deep.png')).BitDepth | Should -Be 'Bit16'
            $back = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgb48]((Join-Path $out 'deep.png'))
            try { $back[7, 5].R | Should -Be 12345 } finally { $back.Dispose() }
            (Get-PngMetadata (Join-Path $out 'gray.png')).ColorType | Should -Be 'Grayscale'
            (Get-PngMetadata (Join-Path $out 'clear.png')).ColorType | Should -Be 'RgbWithAlpha'
        }

        It 'keeps 16 bits in a 16-bit TIFF written as TIFF, without a warning (tiles of <Tile> pixels, 0 for strips)' -ForEach @(@{ Tile = 0 }, @{ Tile = 16 }) {
            # An archive's master scan: uncompressed 48-bit RGB, in strips or in tiles (three across, two down, partly
            # outside the image), made by hand: ImageSharp writes 8-bit TIFF in strips only.
            $tiff = New-RawTiff (Join-Path $in 'master.tif') 40 20 { param($x, $y) if ($x -eq 3 -and $y -eq 2) { 12345, 54321, 777 } else { 1000, 2000, 3000 } } -Tile $Tile
            $result = $tiff | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -WarningVariable warnings
            $result.Status | Should -Be 'Succeeded'
            $result.Warnings | Should -BeNullOrEmpty
            @($warnings | Where-Object { "$_" -match [regex]::Escape($tiff.FullName) }) | Should -BeNullOrEmpty
            [SixLabors.ImageSharp.Image]::Identify($result.OutputPath).PixelType.BitsPerPixel | Should -Be 48
            $back = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgb48]($result.OutputPath)
            # Levels that are no 8-bit level widened (a multiple of 257): they survive only at 16 bits.
            try { ($back[7, 5].R, $back[7, 5].G, $back[7, 5].B) | Should -Be @(12345, 54321, 777) } finally { $back.Dispose() }
        }

        It 'keeps the alpha of an 8-bit RGBA TIFF written as TIFF, without a flatten warning (-AlphaMode <Mode>)' -ForEach @(@{ Mode = 'Bicubic' }, @{ Mode = 'Model' }) {
            # A product cut-out saved from Photoshop: opaque red on the left half, transparent on the right.
            $tiff = New-RawTiff (Join-Path $in 'cutout.tif') 16 8 -Bits 8 -Alpha { param($x, $y) if ($x -lt 8) { 200, 30, 30, 255 } else { 0, 0, 0, 0 } }
            $result = $tiff | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -AlphaMode $Mode -Force -WarningVariable warnings
            $result.Status | Should -Be 'Succeeded'
            $result.OutputPath | Should -Be (Join-Path $out 'cutout.tif')
            $result.Warnings | Should -BeNullOrEmpty
            @($warnings | Where-Object { "$_" -match 'flattened' }) | Should -BeNullOrEmpty
            [SixLabors.ImageSharp.Image]::Identify($result.OutputPath).PixelType.BitsPerPixel | Should -Be 32
            $back = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgba32]($result.OutputPath)
            try {
                ($back.Width, $back.Height) | Should -Be @(32, 16)
                $red = $back[2, 5]
                ($red.R, $red.G, $red.B, $red.A) | Should -Be @(200, 30, 30, 255)
                $back[29, 5].A | Should -Be 0 -Because 'the transparent half stays transparent, not white'
            } finally { $back.Dispose() }
        }

        It 'keeps a 16-bit gray TIFF with alpha (which the decoder cannot read) as 16-bit gray and alpha, which it reads back' {
            # A mask saved from GIMP: gray over unassociated alpha, opaque on the left half, transparent on the right.
            $tiff = New-RawTiff (Join-Path $in 'mask.tif') 16 8 -Gray -Alpha { param($x, $y) if ($x -lt 8) { 12345, 65535 } else { 40000, 0 } }
            $result = $tiff | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -WarningVariable warnings
            $result.Status | Should -Be 'Succeeded'
            $result.OutputPath | Should -Be (Join-Path $out 'mask.tif')
            $result.Warnings | Should -BeNullOrEmpty
            @($warnings | Where-Object { "$_" -match 'flattened' }) | Should -BeNullOrEmpty
            # ImageSharp reads no gray and alpha TIFF: the output is read back by upscaling it again, as a PNG.
            $again = Copy-Item -LiteralPath $result.OutputPath (Join-Path $in 'mask-x2.tif') -PassThru
            $png = $again | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -Format Png
            $png.Status | Should -Be 'Succeeded'
            (Get-PngMetadata $png.OutputPath).ColorType | Should -Be 'GrayscaleWithAlpha'
            $back = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.La32]($png.OutputPath)
            try {
                ($back.Width, $back.Height) | Should -Be @(64, 32)
                ($back[5, 9].L, $back[5, 9].A) | Should -Be @(12345, 65535) -Because 'a level that is no 8-bit level widened survives only at 16 bits'
                $back[60, 9].A | Should -Be 0 -Because 'the transparent half stays transparent, not white'
            } finally { $back.Dispose() }
        }

        It 'upscales the first frame of an animated GIF and warns' {
            $gif = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgba32]]::new(8, 8, [SixLabors.ImageSharp.PixelFormats.Rgba32]::new(250, 0, 0, 255))
            $second = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgba32]]::new(8, 8, [SixLabors.ImageSharp.PixelFormats.Rgba32]::new(0, 0, 250, 255))
            $null = $gif.Frames.AddFrame($second.Frames.RootFrame)
            $second.Dispose()
            $file = Save-Image $gif (Join-Path $in 'anim.gif') ([SixLabors.ImageSharp.Formats.Gif.GifEncoder]::new())
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -WarningVariable warnings -WarningAction SilentlyContinue
            $result.Status | Should -Be 'Succeeded'
            $result.OutputPath | Should -Be (Join-Path $out 'anim.png')
            $result.Warnings | Should -Match 'animated GIF'
            # A report keeps the warning: Export-Csv writes each property's text, which for an array was System.String[].
            ($result | ConvertTo-Csv | ConvertFrom-Csv).Warnings | Should -BeExactly $result.Warnings[0]
            @($warnings | Where-Object { "$_" -match ([regex]::Escape($file.FullName) + '.*first frame') }) | Should -HaveCount 1
        }

        It 'upscales images whose EXIF states an absurd or an inexact resolution with -KeepPrintSize, warns of the one it drops, and finishes' {
            # Found by fuzzing the writer: ImageSharp turned 4278190380 dpi into EXIF by counting up to it (seconds per
            # output), and with -KeepPrintSize searched without end for a fraction of small terms equal to the double
            # 600.0000002, twice 3000000001/10000000 (300 dpi, as a writer may round it).
            $null = New-ExifResolutionPng (Join-Path $in 'absurd.png') 4278190380 1
            $null = New-ExifResolutionPng (Join-Path $in 'inexact.png') 3000000001 10000000
            $null = New-TestImage (Join-Path $in 'good.png')
            # In a child, killed if it has not finished: before the fix the run waited on inexact.png forever.
            $child = Start-ChildPwsh ("Import-Module '$ModulePath'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' " +
                "-OutputDirectory '$out' -JobStore '$store' -KeepPrintSize -WarningAction SilentlyContinue | Select-Object Name, @{ n = 'Status'; e = { `"`$(`$_.Status)`" } }, Warnings | ConvertTo-Json -Compress")
            $finished = $child.WaitForExit(120000)
            if (-not $finished) { $child.Kill($true) }
            $finished | Should -BeTrue -Because 'no stated resolution may keep a run from ending'
            $results = @(($child.StdOut.Result -split "`n" | Where-Object { $_ -like '`[*' }) | ConvertFrom-Json)
            $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
            ($results | Where-Object Name -eq 'absurd.png').Warnings | Should -Be "$(Join-Path $in 'absurd.png'): its stated resolution (4278190380 dots per inch) is implausible, over 1000000: the output states none"
            ($results | Where-Object Name -eq 'inexact.png').Warnings | Should -BeNullOrEmpty
            $exif = [SixLabors.ImageSharp.Image]::Identify((Join-Path $out 'inexact.png')).Metadata.ExifProfile
            $exif.GetValue([SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag]::XResolution).Value.ToDouble() | Should -Be 600
            Get-LeftoverTempFile $out | Should -BeNullOrEmpty
        }

        It 'keeps the fourth sample of an RGBA TIFF without ExtraSamples as alpha, as GIMP and libtiff read it, and says so' {
            $tiff = New-RawTiff (Join-Path $in 'untagged.tif') 16 8 -Bits 8 -Alpha -Untagged { param($x, $y) if ($x -lt 8) { 200, 30, 30, 255 } else { 0, 0, 0, 0 } }
            $result = $tiff | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -WarningAction SilentlyContinue
            $result.Status | Should -Be 'Succeeded'
            $result.Warnings | Should -Be ("$($tiff.FullName): it is a TIFF of 4 samples a pixel without an ExtraSamples tag to say what the 4th is: " +
                'it is taken as transparency (unassociated alpha), as GIMP and libtiff take it; if it is not, save the image as RGB first')
            $back = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgba32]($result.OutputPath)
            try { $back[2, 5].A, $back[29, 5].A | Should -Be @(255, 0) } finally { $back.Dispose() }
        }

        It 'upscales an image whose EXIF states an absurdly small resolution, warns of it, and keeps a low real one' {
            # A damaged rational (72/4294967295) reached the output's EXIF as 0/0, Indeterminate, without a word;
            # 1 dpi (as some map and GIS writers state) is small but real.
            $null = New-ExifResolutionPng (Join-Path $in 'damaged.png') 72 4294967295
            $null = New-ExifResolutionPng (Join-Path $in 'map.png') 1 1

            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -WarningAction SilentlyContinue

            $results.Status | Should -Be @('Succeeded', 'Succeeded')
            ($results | Where-Object Name -eq 'damaged.png').Warnings | Should -Be "$(Join-Path $in 'damaged.png'): its stated resolution (1.68E-08 dots per inch) is implausible, under 0.01: the output states none"
            ($results | Where-Object Name -eq 'map.png').Warnings | Should -BeNullOrEmpty
            $damaged = [SixLabors.ImageSharp.Image]::Identify((Join-Path $out 'damaged.png')).Metadata
            $damaged.ResolutionUnits | Should -Be 'AspectRatio'
            $damaged.ExifProfile.GetValue([SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag]::XResolution).Value.ToDouble() | Should -Be 1
            $map = [SixLabors.ImageSharp.Image]::Identify((Join-Path $out 'map.png')).Metadata
            $map.ResolutionUnits | Should -Not -Be 'AspectRatio'
            $map.ExifProfile.GetValue([SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag]::XResolution).Value.ToDouble() | Should -Be 1
        }

        It 'writes a TIFF that opens for a TIFF whose IPTC block holds no record' {
            # Found by fuzzing the writer: ImageSharp's TIFF encoder wrote such a block as a zero-length entry that broke
            # the output's directory, and the image was reported Succeeded with a file no reader opened.
            $image = [SixLabors.ImageSharp.Image]::Load((New-TestImage (Join-Path $root 'src.png') -Width 24 -Height 16).FullName)
            $image.Metadata.IptcProfile = [SixLabors.ImageSharp.Metadata.Profiles.Iptc.IptcProfile]::new()
            $image.Metadata.IptcProfile.SetValue([SixLabors.ImageSharp.Metadata.Profiles.Iptc.IptcTag]::Caption, 'abc', $true)
            $file = Save-Image $image (Join-Path $in 'scan.tif') ([SixLabors.ImageSharp.Formats.Tiff.TiffEncoder]::new())
            # The caption record's 0x1C marker overwritten: the block keeps its bytes and holds no record.
            $bytes = [IO.File]::ReadAllBytes($file.FullName)
            $at = [Convert]::ToHexString($bytes).IndexOf('1C02780003616263')
            $at % 2 | Should -Be 0
            $bytes[$at / 2] = 0
            [IO.File]::WriteAllBytes($file.FullName, $bytes)

            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store

            $result.Status | Should -Be 'Succeeded'
            $output = [SixLabors.ImageSharp.Image]::Load($result.OutputPath)
            try { $output.Width, $output.Height | Should -Be @(48, 32) } finally { $output.Dispose() }
        }

        It 'upscales a JPEG that lacks only its end-of-image marker as it does the whole file, and warns' {
            $whole = New-TestImage (Join-Path $root 'whole/photo.jpg') -Width 40 -Height 24
            $bytes = [IO.File]::ReadAllBytes($whole.FullName)
            $null = New-Item -ItemType Directory -Force -Path $in
            $cut = Join-Path $in 'photo.jpg'
            [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 3)])
            $reference = $whole | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'reference') -JobStore $store

            $result = Get-Item -LiteralPath $cut | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -WarningVariable warnings -WarningAction SilentlyContinue
            $result.Status | Should -Be 'Succeeded'
            $result.Warnings | Should -Match 'no JPEG end-of-image marker'
            @($warnings | Where-Object { "$_" -match ([regex]::Escape($cut) + '.*end-of-image marker') }) | Should -HaveCount 1
            (Get-FileHash -LiteralPath $result.OutputPath).Hash | Should -Be (Get-FileHash -LiteralPath $reference.OutputPath).Hash
        }

        It 'lists an MPO in a folder and writes it as a JPEG named .jpg' {
            # A 3D camera's DSCF0001.MPO is a JPEG (its first image decoded: Swin2SR.Core.Tests' MultiPictureTests).
            $photo = New-TestImage (Join-Path $root 'photo.jpg')
            $null = New-Item -ItemType Directory -Force -Path $in
            Copy-Item -LiteralPath $photo.FullName -Destination (Join-Path $in 'DSCF0001.MPO')
            $result = Invoke-Swin2SRUpscale -LiteralPath $in -Model $NearestX2 -OutputDirectory $out -JobStore $store
            $result.Status | Should -Be 'Succeeded'
            $result.OutputPath | Should -Be (Join-Path $out 'DSCF0001.jpg')
            [SixLabors.ImageSharp.Image]::DetectFormat($result.OutputPath).Name | Should -Be 'JPEG'
        }
    }

    Context 'alpha' {
        It 'leaves no dark fringe at a transparent edge in either -AlphaMode' {
            $disc = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgba32]]::new(24, 24)
            for ($y = 0; $y -lt 24; $y++) { for ($x = 0; $x -lt 24; $x++) {
                if (($x - 11.5) * ($x - 11.5) + ($y - 11.5) * ($y - 11.5) -le 49) { $disc[$x, $y] = [SixLabors.ImageSharp.PixelFormats.Rgba32]::new(255, 0, 0, 255) }
            } }
            $file = Save-Image $disc (Join-Path $in 'disc.png') ([SixLabors.ImageSharp.Formats.Png.PngEncoder]@{ ColorType = 'RgbWithAlpha' })
            foreach ($mode in 'Bicubic', 'Model') {
                $result = $file | Invoke-Swin2SRUpscale -Model $BoxBlurX2 -OutputDirectory (Join-Path $out $mode) -JobStore $store -AlphaMode $mode
                $result.Status | Should -Be 'Succeeded'
                $image = [SixLabors.ImageSharp.Image]::Load[SixLabors.ImageSharp.PixelFormats.Rgba32]($result.OutputPath)
                try {
                    $dark = for ($y = 0; $y -lt 48; $y++) { for ($x = 0; $x -lt 48; $x++) { $p = $image[$x, $y]; if ($p.A -gt 0 -and $p.R -lt 250) { "$mode ($x,$y) $p" } } }
                    $dark | Should -BeNullOrEmpty
                }
                finally { $image.Dispose() }
            }
        }
    }

    Context 'quality gate' {
        It 'fails an inconsistent output with QualityCheckFailed, keeps it with -KeepRejected and reports ConsistencyPsnr' {
            # A model broken on purpose (its output is the picture's negative): far below the default threshold.
            $picture = New-Gradients (Join-Path $in 'picture.png') 32 2
            $review = Join-Path $root 'review'
            $result = $picture | Invoke-Swin2SRUpscale -Model $InvertX2 -OutputDirectory $out -JobName gate -JobStore $store -KeepRejected $review -ErrorVariable problems -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            $result.ErrorId | Should -Be 'QualityCheckFailed'
            $result.ConsistencyPsnr | Should -BeLessThan 20
            $result.Metrics.InputDeviation | Should -BeGreaterThan 30
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidResult'
            $result.OutputPath | Should -BeNullOrEmpty -Because 'the rejected output was not written there'
            $result.InputWidth, $result.InputHeight | Should -Be @(32, 32) -Because 'the input was read'
            $result.OutputWidth | Should -BeNullOrEmpty
            Test-Path -LiteralPath (Join-Path $out 'picture.png') | Should -BeFalse
            $kept = @(Get-ChildItem -LiteralPath $review -File)
            $kept | Should -HaveCount 1
            $result.Error | Should -Match ([regex]::Escape($kept[0].FullName))
            $item = Get-Swin2SRJobItem gate -JobStore $store
            $item.ErrorId | Should -Be 'QualityCheckFailed'
            $item.ConsistencyPsnr | Should -Be $result.ConsistencyPsnr
        }

        It 'passes a faithful output with its ConsistencyPsnr, and -MinConsistencyPsnr 0 turns the check off' {
            $picture = New-Gradients (Join-Path $in 'picture.png') 32 3
            $faithful = $picture | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store
            $faithful.ConsistencyPsnr | Should -BeGreaterThan 100
            [Math]::Abs($faithful.Metrics.ContrastRatio - 1) | Should -BeLessThan 1e-4
            $inverted = $picture | Invoke-Swin2SRUpscale -Model $InvertX2 -OutputDirectory (Join-Path $root 'out2') -JobStore $store -MinConsistencyPsnr 0
            $inverted.Status | Should -Be 'Succeeded'
            $inverted.ConsistencyPsnr | Should -BeLessThan 20
        }

        It 'passes a model that smooths away noise finer than its 4x4 blocks (a denoiser, a blur)' {
            # Pixel by pixel, a 3x3 blur of white noise is about 11 dB from it: refused by any per-pixel check.
            $noise = New-Noise (Join-Path $in 'noise.png') 32 4
            $blurred = $noise | Invoke-Swin2SRUpscale -Model $BoxBlurX2 -OutputDirectory (Join-Path $root 'out3') -JobStore $store
            $blurred.Status | Should -Be 'Succeeded'
            $blurred.ConsistencyPsnr | Should -BeGreaterThan 20
            Test-Path -LiteralPath $blurred.OutputPath | Should -BeTrue
        }

        It 'passes the embedded default model''s upscale of pure noise (film grain, halftone, sensor noise)' {
            # Pixel by pixel this scored 16.6 dB and was refused: no model reproduces noise, and none should.
            $noise = New-Noise (Join-Path $in 'grain.png') 48 5
            $result = $noise | Invoke-Swin2SRUpscale -OutputDirectory (Join-Path $root 'out4') -JobStore $store
            $result.Status | Should -Be 'Succeeded'
            $result.ConsistencyPsnr | Should -BeGreaterThan 24
            $result.OutputWidth | Should -Be 192
        }

        It 'passes the embedded models'' upscales of 1-pixel colour stripes, which soften the ripple of their block means' {
            # Refused until the contrast was measured on smoothed tones: the block means' ripple kept 0.12-0.44 of
            # itself (vertical red, green, blue: 0.13 at x4, 0.43 at x2) and read as a washed-out output.
            $stripes = @(
                New-ColourStripes (Join-Path $in 'rgb.png') 96 80
                New-ColourStripes (Join-Path $in 'diagonal.png') 96 80 -Diagonal
                New-ColourStripes (Join-Path $in 'cmy.png') 96 80 -Colours (0, 255, 255), (255, 0, 255), (255, 255, 0)
                New-ColourStripes (Join-Path $in 'strip.png') 300 3
            )
            $results = foreach ($scale in 4, 2) {
                $stripes | Invoke-Swin2SRUpscale -Scale $scale -OutputDirectory (Join-Path $root "stripes$scale") -JobStore $store
            }
            $results | Should -HaveCount 8
            $results | Where-Object Status -NE 'Succeeded' | ForEach-Object { "$($_.Name) x$($_.Scale): $($_.Error)" } | Should -BeNullOrEmpty
            $results | ForEach-Object { [double]::IsNaN($_.Metrics.ContrastRatio) | Should -BeTrue }
        }
    }
}
