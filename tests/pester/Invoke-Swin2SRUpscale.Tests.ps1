BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Invoke-Swin2SRUpscale' {
    BeforeEach {
        $root = New-TestFolder
        $in = Join-Path $root 'in'
        $out = Join-Path $root 'out'
    }
    AfterEach {
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    Context 'pipeline binding and paths' {
        It 'takes Get-ChildItem output and writes one result and one file per input' {
            $files = 1..3 | ForEach-Object { New-TestImage (Join-Path $in "img$_.png") -Width (10 * $_) -Height 7 -Seed $_ }
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            $results | Should -HaveCount 3
            $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
            foreach ($file in $files) {
                $result = $results | Where-Object InputPath -eq $file.FullName
                $result.OutputPath | Should -Be (Join-Path $out $file.Name)
                $size = Get-TestImageSize $result.OutputPath
                $source = Get-TestImageSize $file.FullName
                $size.Width | Should -Be (2 * $source.Width)
                $size.Height | Should -Be (2 * $source.Height)
            }
        }

        It 'handles names with brackets, spaces, quotes and non-ASCII letters' {
            $names = @('a [1].png', 'with space.png', "quote'd.png", 'ünïcødé 名前.png')
            foreach ($name in $names) { $null = New-TestImage (Join-Path $in $name) }
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            $results.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            foreach ($name in $names) { Test-Path -LiteralPath (Join-Path $out $name) | Should -BeTrue }
        }

        It 'refuses an output, rejected, model, store or catalog path of another provider instead of reading it from the process''s folder' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $name = 'swin2sr-not-a-folder-' + [Guid]::NewGuid().ToString('N')
            $commands = @(
                { Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory "Env:\$name" }
                { Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -KeepRejected "Env:\$name" }
                { Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model "Env:\$name.onnx" -OutputDirectory $out }
                { Get-Swin2SRJob -JobStore "Env:\$name.db" }
                { Get-Swin2SRModel -Catalog "Env:\$name.json" }
            )
            foreach ($command in $commands) {
                { & $command } | Should -Throw -ErrorId 'NotFileSystemPath,*' -Because "$command"
            }
            # The provider path of Env:\x is 'x': read as a file-system path, it named a folder where pwsh started.
            Get-ChildItem -LiteralPath ([Environment]::CurrentDirectory) -Filter "$name*" | Should -BeNullOrEmpty
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'takes a folder as its images, and says which images of kinds it cannot read it left out, not other files' {
            $null = New-TestImage (Join-Path $in 'a.png')
            foreach ($name in 'IMG_0001.HEIC', 'IMG_0002.heic', 'DSC_0003.NEF', 'notes.txt', 'a.png.xmp', 'Thumbs.db') {
                Set-Content -LiteralPath (Join-Path $in $name) -Value 'not read'
            }
            $results = Invoke-Swin2SRUpscale -Path $in -Model $NearestX2 -OutputDirectory $out -WarningVariable warned -WarningAction SilentlyContinue
            $results.Name | Should -Be 'a.png'
            $said = @($warned | Where-Object { "$_" -match 'cannot read' })
            $said | Should -HaveCount 1
            "$($said[0])" | Should -BeLike "'$in' also holds images of kinds this module cannot read, left out: 2 HEIC, 1 camera raw (*convert them*"
        }

        It 'says which images of a folder it left out for names without an image''s extension, read from their first bytes' {
            $null = New-TestImage (Join-Path $in 'a.png')
            # A shop system's export without extension, and a browser's download: images, named as none.
            $null = New-TestImage (Join-Path $in 'SKU-10422')
            Move-Item -LiteralPath (New-TestImage (Join-Path $in 'photo.jpg')).FullName -Destination (Join-Path $in 'photo.jpg_large')
            foreach ($name in 'README', 'a.png~', 'a.png.xmp') { Set-Content -LiteralPath (Join-Path $in $name) -Value 'not an image' }
            $results = Invoke-Swin2SRUpscale -Path $in -Model $NearestX2 -OutputDirectory $out -WarningVariable warned -WarningAction SilentlyContinue
            $results.Name | Should -Be 'a.png'
            $said = @($warned | Where-Object { "$_" -match 'left out' })
            $said | Should -HaveCount 1
            "$($said[0])" | Should -BeLike "'$in' also holds 2 image(s) whose names do not end in an image's extension, left out: 'SKU-10422', 'photo.jpg_large'. *give them by name*"
            # What the warning says to do includes them.
            $named = Get-ChildItem -LiteralPath (Join-Path $in 'SKU-10422'), (Join-Path $in 'photo.jpg_large') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            $named.Status | Should -Be @('Succeeded', 'Succeeded')
        }

        It 'leaves a folder''s hidden files out, as Get-ChildItem does (the AppleDouble ._photo.jpg a Mac writes on a share)' {
            $null = New-TestImage (Join-Path $in 'photo.jpg')
            $hidden = New-Item -Path (Join-Path $in '._photo.jpg') -Value 'AppleDouble'
            if ($IsWindows) { $hidden.Attributes = $hidden.Attributes -bor [IO.FileAttributes]::Hidden }
            (Get-ChildItem -LiteralPath $in).Name | Should -Be 'photo.jpg' -Because 'Get-ChildItem lists no hidden file without -Force'
            $results = Invoke-Swin2SRUpscale -Path $in -Model $NearestX2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -BeNullOrEmpty
            $results.Name | Should -Be 'photo.jpg'
        }

        It 'expands wildcards in -Path and takes -LiteralPath as written' {
            $null = New-TestImage (Join-Path $in 'x1.png')
            $null = New-TestImage (Join-Path $in 'x2.png')
            $null = New-TestImage (Join-Path $in 'y [b].png')
            (Invoke-Swin2SRUpscale -Path (Join-Path $in 'x*.png') -Model $NearestX2 -OutputDirectory $out) | Should -HaveCount 2
            $literal = Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'y [b].png') -Model $NearestX2 -OutputDirectory $out
            $literal.Status | Should -Be 'Succeeded'
        }

        It 'mirrors the folder structure below the inputs'' common root' {
            $a = New-TestImage (Join-Path $in 'shop/a/one.png')
            $b = New-TestImage (Join-Path $in 'shop/b/c/two.png')
            $results = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            ($results | Where-Object InputPath -eq $a.FullName).OutputPath | Should -Be (Join-Path $out 'a/one.png')
            ($results | Where-Object InputPath -eq $b.FullName).OutputPath | Should -Be (Join-Path $out 'b/c/two.png')
        }

        It 'writes to an enhanced folder beside each input by default' {
            $file = New-TestImage (Join-Path $in 'photo.png')
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2
            $result.OutputPath | Should -Be (Join-Path $in 'enhanced/photo.png')
            Test-Path -LiteralPath $result.OutputPath | Should -BeTrue
        }

        It 'leaves out the outputs of earlier runs when a recursive listing picks them up again' {
            $null = New-TestImage (Join-Path $in 'photo.png')
            $null = New-TestImage (Join-Path $in 'sub/item.png')
            $first = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -JobName nightly
            $first.Status | Should -Be @('Succeeded', 'Succeeded')
            # The next night the listing holds the outputs too: they are left out, with one warning, not upscaled again.
            $second = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -JobName nightly -WarningVariable warned -WarningAction SilentlyContinue
            $second.Status | Should -Be @('Skipped', 'Skipped')
            $second.InputPath | Should -Not -Match 'enhanced'
            @($warned | Where-Object { "$_" -match 'Left out 2 file\(s\) in .enhanced. folders' }) | Should -HaveCount 1
            # What the warning says to do upscales them (-OutputDirectory alone would still leave them out, beside their inputs).
            "$warned" | Should -Match 'give -OutputDirectory, in a run that does not also list their inputs'
            $outputsAgain = Get-ChildItem -LiteralPath $in -Recurse -File | Where-Object FullName -like '*enhanced*' |
                Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'outputs-again') -JobName again
            $outputsAgain.Status | Should -Be @('Succeeded', 'Succeeded')
            Get-ChildItem -LiteralPath $in -Recurse -Directory -Filter enhanced | ForEach-Object { Test-Path -LiteralPath (Join-Path $_.FullName 'enhanced') } | Should -Not -Contain $true
            # The same holds for an output folder inside the listed tree. Switching to one, the enhanced folders' files are
            # still outputs of the earlier runs, as the listing holds their inputs beside them.
            $inner = Join-Path $in 'out'
            $switched = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $inner -JobName inner -WarningVariable warned -WarningAction SilentlyContinue
            $switched.InputPath | Should -Not -Match 'enhanced'
            $switched.Status | Should -Be @('Succeeded', 'Succeeded')
            @($warned | Where-Object { "$_" -match "Left out 2 file\(s\) in .enhanced. folders whose inputs are given too" }) | Should -HaveCount 1
            $again = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $inner -JobName inner -WarningAction SilentlyContinue
            $again.InputPath | Should -Not -Match '/out/'
            Test-Path -LiteralPath (Join-Path $inner 'out') | Should -BeFalse
        }

        It 'leaves out the outputs of an output folder given through a symbolic link that the listing reaches by its own path' -Skip:(-not $IsLinux) {
            $null = New-TestImage (Join-Path $in 'photo.png')
            $inner = New-Item -ItemType Directory (Join-Path $in 'out')
            # /srv/enhanced -> /srv/shop/out: the output folder's path is not below the listed folder's, its files are.
            $link = New-Item -ItemType SymbolicLink -Path (Join-Path $root 'enhanced') -Target $inner.FullName
            $first = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $link.FullName -JobName linked
            $first.Status | Should -Be 'Succeeded'
            $second = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $link.FullName -JobName linked -WarningVariable warned -WarningAction SilentlyContinue
            $second.Status | Should -Be 'Skipped'
            @($warned | Where-Object { "$_" -match 'Left out 1 file\(s\) inside the output folder' }) | Should -HaveCount 1
            # Not upscaled again, 4 times larger, into out/out.
            Test-Path -LiteralPath (Join-Path $inner 'out') | Should -BeFalse
        }

        It 'never writes an output over its own input, even with -Force' {
            $file = New-TestImage (Join-Path $in 'photo.png')
            $before = [IO.File]::ReadAllBytes($file.FullName)
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $in -Force -WarningVariable warned -WarningAction SilentlyContinue
            $result | Should -BeNullOrEmpty
            @($warned | Where-Object { "$_" -match 'would be replaced by their own outputs' }) | Should -HaveCount 1
            [IO.File]::ReadAllBytes($file.FullName) | Should -Be $before
        }

        It 'warns before a run when two inputs would share one output, and writes it once' {
            $null = New-TestImage (Join-Path $in 'photo.png') -Seed 1
            $null = New-TestImage (Join-Path $in 'photo.bmp') -Seed 2
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -Format Png `
                -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable problems -ErrorAction SilentlyContinue
            @($warned | Where-Object { "$_" -match 'would be written to the same file' -and "$_" -match 'photo\.bmp' -and "$_" -match 'photo\.png' }) | Should -HaveCount 1
            @($results | Where-Object Status -eq 'Succeeded') | Should -HaveCount 1
            $refused = @($results | Where-Object Status -ne 'Succeeded')
            $refused | Should -HaveCount 1
            $refused[0].ErrorId | Should -BeIn @('OutputCollision', 'OutputExists')
            @(Get-ChildItem -LiteralPath $out -File).Name | Should -Be @('photo.png')
        }

        It 'names the input it did not upscale in the OutputCollision error, which opens with the output both share' {
            $null = New-TestImage (Join-Path $in 'photo.png') -Seed 1
            $null = New-TestImage (Join-Path $in 'photo.bmp') -Seed 2
            # -Force: the second input fails as sharing the output in this run, not skipped as OutputExists.
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -Format Png -Force `
                -WarningAction SilentlyContinue -ErrorVariable problems -ErrorAction SilentlyContinue
            $refused = @($results | Where-Object Status -eq 'Failed')
            $refused | Should -HaveCount 1
            $problems | Should -HaveCount 1
            "$($problems[0])" | Should -BeLike "$(Join-Path $out 'photo.png'): '$($refused[0].InputPath)' was not upscaled: another input of this run*"
        }

        It 'never lets a retry with -Force replace the output the job wrote for another input of the same output name' {
            $null = New-TestImage (Join-Path $in 'photo.png') -Seed 1
            $null = New-TestImage (Join-Path $in 'photo.bmp') -Seed 2
            $first = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -Format Png -Force -JobName shared `
                -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            $written = @($first | Where-Object Status -eq 'Succeeded')
            $written | Should -HaveCount 1
            $hash = (Get-FileHash -LiteralPath (Join-Path $out 'photo.png')).Hash

            $retried = Resume-Swin2SRJob shared -RetryFailed -ErrorVariable problems -ErrorAction SilentlyContinue
            $retried.Status | Should -Be 'Failed'
            $retried.ErrorId | Should -Be 'OutputCollision'
            "$($problems[0])" | Should -BeLike "*the job wrote this file for another input, '$($written[0].InputPath)'*"
            $problems[0].TargetObject | Should -Be $retried.InputPath
            (Get-FileHash -LiteralPath (Join-Path $out 'photo.png')).Hash | Should -Be $hash
            (Get-Swin2SRJobItem shared | Where-Object Status -eq Succeeded).InputPath | Should -Be $written[0].InputPath
        }

        It 'tells to rename, not to use -Format Same, when a GIF and a PNG of one name meet with -Format Same' {
            $null = New-TestImage (Join-Path $in 'logo.png') -Seed 1
            $null = New-TestImage (Join-Path $in 'logo.gif') -Seed 2
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out `
                -WarningVariable warned -WarningAction SilentlyContinue -ErrorVariable problems -ErrorAction SilentlyContinue
            $shared = @($warned | Where-Object { "$_" -match 'would be written to the same file' })
            $shared | Should -HaveCount 1
            "$($shared[0])" | Should -Match 'Rename one of them \(a GIF is written as PNG'
            "$($shared[0])" | Should -Not -Match 'Use -Format Same'
            @(Get-ChildItem -LiteralPath $out -File).Name | Should -Be @('logo.png')
        }

        It 'names the first shared outputs in a warning each and counts the rest in one, which -Verbose names' {
            # A shop folder exported both as .jpg and as .png, made PNG: a warning for each pair buried the run's others.
            foreach ($i in 1..7) {
                $null = New-TestImage (Join-Path $in "item$i.png") -Seed $i
                $null = New-TestImage (Join-Path $in "item$i.jpg") -Seed $i
            }
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -Format Png -WhatIf `
                -WarningVariable warned -WarningAction SilentlyContinue -Verbose 4>&1 | Tee-Object -Variable said
            @($warned | Where-Object { "$_" -match 'would be written to the same file' }) | Should -HaveCount 5
            $counted = @($warned | Where-Object { "$_" -match 'more outputs' })
            $counted | Should -HaveCount 1
            "$($counted[0])" | Should -BeLike '2 more outputs would each be written for more than one input (-Verbose names them)*Use -Format Same*'
            @($said | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and "$_" -match 'would be written to the same file' }) | Should -HaveCount 2
        }

        It 'tells why a file named without an image''s extension shares its output with a PNG of its name, with -Format Same' {
            $null = New-TestImage (Join-Path $in 'SKU-10422.png') -Seed 1
            $null = New-TestImage (Join-Path $in 'SKU-10422') -Seed 2
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -WhatIf `
                -WarningVariable warned -WarningAction SilentlyContinue
            $shared = @($warned | Where-Object { "$_" -match 'would be written to the same file' })
            $shared | Should -HaveCount 1
            "$($shared[0])" | Should -BeLike '*Rename one of them (*so is a file named without an image''s extension*'
        }

        It 'says so when no input reaches it, instead of ending without a word, and -QueueOnly -WhatIf says Queue' {
            $empty = New-Item -ItemType Directory -Path (Join-Path $root 'empty')
            $results = Get-ChildItem -LiteralPath $empty.FullName | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -WarningVariable warned -WarningAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            @($warned | Where-Object { "$_" -match '^No input reached Invoke-Swin2SRUpscale' }) | Should -HaveCount 1
            # The folder itself, its images in a subfolder: no error, so the warning is all that tells of it.
            $null = New-TestImage (Join-Path $empty.FullName 'below/a.png')
            $null = Invoke-Swin2SRUpscale -Path $empty.FullName -Model $NearestX2 -OutputDirectory $out -WarningVariable folder -WarningAction SilentlyContinue
            @($folder | Where-Object { "$_" -match '^No input reached .*not in its subfolders' }) | Should -HaveCount 1
            # A path that matches nothing has its own error, and no second word about it.
            $null = Invoke-Swin2SRUpscale -Path (Join-Path $in 'zz*.png') -Model $NearestX2 -OutputDirectory $out -WarningVariable quiet -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            @($quiet | Where-Object { "$_" -match 'No input reached' }) | Should -BeNullOrEmpty
            # -WhatIf writes to the host: a child's output shows it.
            $file = New-TestImage (Join-Path $in 'q.png')
            $said = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; Invoke-Swin2SRUpscale -LiteralPath '$($file.FullName)' -Model '$NearestX2' -OutputDirectory '$out' -JobName later -JobStore '$(Join-Path $root 'q.db')' -QueueOnly -WhatIf") -join "`n"
            $said | Should -Match "Queue '.*q\.png' in job 'later', to be upscaled with model 'nearest-x2' by Resume-Swin2SRJob"
        }

        It 'says that a file named with brackets is left out when -Path matched other files instead' {
            $null = New-TestImage (Join-Path $in 'shirt[1].jpg')
            $null = New-TestImage (Join-Path $in 'shirt1.jpg')
            $results = Invoke-Swin2SRUpscale -Path (Join-Path $in 'shirt[1].jpg') -Model $NearestX2 -OutputDirectory $out -WhatIf `
                -WarningVariable warned -WarningAction SilentlyContinue
            $said = @($warned | Where-Object { "$_" -match 'wildcards' })
            $said | Should -HaveCount 1
            "$($said[0])" | Should -Be "'$(Join-Path $in 'shirt[1].jpg')' is left out: -Path takes the brackets in its name as wildcards, and '$(Join-Path $in 'shirt[1].jpg')' matched 'shirt1.jpg' instead. Use -LiteralPath for a file named with brackets."
            # A pattern that matches the file itself too says nothing.
            $null = Invoke-Swin2SRUpscale -Path (Join-Path $in 'shirt*.jpg') -Model $NearestX2 -OutputDirectory $out -WhatIf -WarningVariable quiet -WarningAction SilentlyContinue
            @($quiet | Where-Object { "$_" -match 'wildcards' }) | Should -BeNullOrEmpty
        }

        It 'reports a pattern that matches nothing, and says to use -LiteralPath for a name with brackets' {
            $file = New-TestImage (Join-Path $in 'a[1].png')
            $results = Invoke-Swin2SRUpscale -Path (Join-Path $in 'zz*.png'), (Join-Path $in 'a[1].png') -Model $NearestX2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            $problems | Should -HaveCount 2
            $problems.FullyQualifiedErrorId | ForEach-Object { $_ | Should -BeLike 'PathNotFound*' }
            $problems[0].TargetObject | Should -Be (Join-Path $in 'zz*.png')
            "$($problems[0])" | Should -Not -Match 'LiteralPath'
            "$($problems[1])" | Should -Match 'use -LiteralPath'
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out).Status | Should -Be 'Succeeded'
        }

        It 'takes its own results and job items again by their InputPath, to redo the failures' {
            $file = New-TestImage (Join-Path $in 'photo [1].png')
            $first = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName first
            # Without a binding by InputPath the result's text ("Succeeded: /path") was taken as a -Path: DriveNotFound.
            $again = $first | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'again') -JobName again
            $again.Status | Should -Be 'Succeeded'
            $again.InputPath | Should -Be $file.FullName
            $items = Get-Swin2SRJobItem first | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'items') -JobName items
            $items.Status | Should -Be 'Succeeded'
            $items.InputPath | Should -Be $file.FullName
        }

        It 'reports a path that does not exist and goes on with the rest' {
            $file = New-TestImage (Join-Path $in 'real.png')
            $results = Invoke-Swin2SRUpscale -Path (Join-Path $in 'missing.png'), $file.FullName -Model $NearestX2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue
            $results.Status | Should -Be 'Succeeded'
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
        }

        It 'says that a path over the platform''s length limit cannot be opened, rather than that it does not exist' -Skip:(-not $IsLinux) {
            # Made one folder at a time from inside the last (as a copy of a deep tree is), each step below the
            # limit, the file's full path over 4096 bytes.
            $name = 'd' * 240
            $image = New-TestImage (Join-Path $root 'photo.png')
            $null = New-Item -ItemType Directory -Path $in
            # bash, as dash's cd fails once the path it keeps is over the limit.
            bash -c 'cd "$1" && for i in $(seq 18); do mkdir "$2" && cd "$2"; done && cp "$3" photo.png' bash $in $name $image.FullName
            $LASTEXITCODE | Should -Be 0
            $file = $in + "/$name" * 18 + '/photo.png'
            try {
                foreach ($parameter in 'LiteralPath', 'Path') {
                    $arguments = @{ $parameter = $file }
                    $null = Invoke-Swin2SRUpscale @arguments -Model $NearestX2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue
                    $problems | Should -HaveCount 1
                    $problems[0].FullyQualifiedErrorId | Should -BeLike 'InputPathTooLong*'
                    $problems[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
                    $problems[0].ToString() | Should -BeLike "*over this platform's limit of 4095*"
                }
            }
            finally {
                # rm walks a tree deeper than PATH_MAX; Remove-Item does not.
                sh -c 'rm -rf "$1"' sh $in
            }
        }

        It 'names a relative -LiteralPath that does not exist by its full path, as -Path does' {
            # A scheduled run's log is read later, far from the folder the task started in.
            $null = New-Item -ItemType Directory -Path $in
            Push-Location -LiteralPath $in
            try {
                $null = Invoke-Swin2SRUpscale -LiteralPath 'gone.png' -Model $NearestX2 -ErrorVariable problems -ErrorAction SilentlyContinue
            }
            finally { Pop-Location }
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
            $problems[0].TargetObject | Should -Be 'gone.png' -Because 'the target is the value as given, as for -Path'
            "$($problems[0])" | Should -BeLike "*'$(Join-Path $in 'gone.png')'*"
        }
    }

    Context 'what is written' {
        It 'writes nothing with -WhatIf' {
            $null = New-TestImage (Join-Path $in 'a.png')
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -WhatIf
            $results | Should -BeNullOrEmpty
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'refuses a malformed -PathMap or SWIN2SR_PATHMAP before -WhatIf rehearses the run' {
            $null = New-TestImage (Join-Path $in 'a.png')
            { Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $NearestX2 -OutputDirectory $out -PathMap 'no-equals-sign' -WhatIf } |
                Should -Throw -ErrorId 'InvalidPathMap*'
            $said = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; `$env:SWIN2SR_PATHMAP = 'no-equals-sign'; try { Invoke-Swin2SRUpscale -LiteralPath '$(Join-Path $in 'a.png')' -Model '$NearestX2' -OutputDirectory '$out' -WhatIf } catch { 'refused: ' + `$_.FullyQualifiedErrorId }") -join "`n"
            $said | Should -BeLike '*refused: InvalidPathMap*'
            $said | Should -Not -BeLike '*What if*'
            { Resume-Swin2SRJob nojob -JobStore (Join-Path $root 'none.db') -PathMap 'no-equals-sign' -WhatIf } | Should -Throw -ErrorId 'InvalidPathMap*'
        }

        It 'refuses a -TileSize the model''s stated window does not divide before -WhatIf rehearses the run, as the run would' {
            $null = New-TestImage (Join-Path $in 'a.png')
            $refused = { Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $NearestX2 -OutputDirectory $out -TileSize 100 -WhatIf } |
                Should -Throw -ErrorId 'InvalidTiling*' -PassThru
            $refused.Exception.Message | Should -BeLike '*try 104*'
            { Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $NearestX2 -OutputDirectory $out -TileSize 32 -TileOverlap 20 -QueueOnly -WhatIf } |
                Should -Throw -ErrorId 'InvalidTiling*'
            $said = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; try { Invoke-Swin2SRUpscale -LiteralPath '$(Join-Path $in 'a.png')' -Model '$NearestX2' -OutputDirectory '$out' -TileSize 100 -WhatIf } catch { 'refused: ' + `$_.FullyQualifiedErrorId }") -join "`n"
            $said | Should -BeLike '*refused: InvalidTiling*'
            $said | Should -Not -BeLike '*What if*'
        }

        It 'rehearses a model of fixed input size with -WhatIf as it runs: the -TileSize it does not use is no error, an overlap over half its size is' {
            $null = New-TestImage (Join-Path $in 'a.png')
            $fixed = New-FixedSizeModel (Join-Path $root 'fixed-64.onnx')
            Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $fixed -OutputDirectory $out -TileSize 100 -WhatIf
            $refused = { Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $fixed -OutputDirectory $out -TileOverlap 40 -WhatIf } |
                Should -Throw -ErrorId 'InvalidTiling*' -PassThru
            $refused.Exception.Message | Should -BeLike '*half the tile size (32)*'
            Test-Path -LiteralPath $out | Should -BeFalse
            # And the run does what the rehearsal said: 64x64 tiles, whatever -TileSize.
            $result = Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $fixed -OutputDirectory $out -TileSize 100 -Device Cpu
            $result.Status | Should -Be 'Succeeded'
            { Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'a.png') -Model $fixed -OutputDirectory (Join-Path $root 'out2') -TileOverlap 40 -Device Cpu -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidTiling*'
        }

        It 'says with -WhatIf which inputs it would upscale and which it would skip for an existing output' {
            $null = New-TestImage (Join-Path $in 'a.png')
            $null = New-TestImage (Join-Path $in 'b.png')
            $null = Get-Item -LiteralPath (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -MinConsistencyPsnr 0
            # What if: goes to the host, not to a stream: a child's output shows it.
            $said = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; `$env:SWIN2SR_JOBSTORE = '$(Join-Path $root 'jobs.db')'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -WhatIf") -join "`n"
            $said | Should -Match "Skip '[^']*a\.png': its output exists \(-Force replaces it\)"
            $said | Should -Match "Upscale '[^']*b\.png' with model 'nearest-x2'"
            $forced = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; `$env:SWIN2SR_JOBSTORE = '$(Join-Path $root 'jobs.db')'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -WhatIf -Force") -join "`n"
            $forced | Should -Match "Upscale '[^']*a\.png' with model 'nearest-x2'"
            $named = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; `$env:SWIN2SR_JOBSTORE = '$(Join-Path $root 'jobs.db')'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -WhatIf -JobName nightly") -join "`n"
            $named | Should -Match "Skip '[^']*a\.png' unless job 'nightly' made its output from an older version of it"
        }

        It 'skips an existing output unless -Force is given' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $first = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            $written = (Get-Item -LiteralPath $first.OutputPath).LastWriteTimeUtc
            Start-Sleep -Milliseconds 50
            $second = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            $second.Status | Should -Be 'Skipped'
            $second.ErrorId | Should -Be 'OutputExists'
            (Get-Item -LiteralPath $first.OutputPath).LastWriteTimeUtc | Should -Be $written
            $forced = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -Force
            $forced.Status | Should -Be 'Succeeded'
            (Get-Item -LiteralPath $first.OutputPath).LastWriteTimeUtc | Should -BeGreaterThan $written
        }

        It 'keeps the permissions of an output that -Force replaces, a read-only one too' -Skip:$IsWindows {
            $file = New-TestImage (Join-Path $in 'a.png')
            $first = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            [IO.File]::WriteAllText($first.OutputPath, 'an older output')
            $readOnly = [IO.UnixFileMode]'UserRead, GroupRead'
            [IO.File]::SetUnixFileMode($first.OutputPath, $readOnly)
            ($file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -Force).Status | Should -Be 'Succeeded'
            (Get-TestImageSize $first.OutputPath).Width | Should -Be 48 -Because 'the older output was replaced'
            [IO.File]::GetUnixFileMode($first.OutputPath) | Should -Be $readOnly -Because 'an output made read-only stays so when it is made again, as an editor saving over it keeps it'
        }

        It 'converts the format and keeps the size with -Format Jpeg' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 30 -Height 20
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out -Format Jpeg -Quality 80
            $result.OutputPath | Should -Be (Join-Path $out 'a.jpg')
            [IO.File]::ReadAllBytes($result.OutputPath)[0..1] | Should -Be @(0xFF, 0xD8)
            (Get-TestImageSize $result.OutputPath).Width | Should -Be 120
        }

        It 'writes a GIF of grays (GIF has no gray colour type) as a grayscale PNG' {
            $null = New-Item -ItemType Directory -Force $in
            $gray = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.L8]]::new(12, 8)
            try {
                for ($y = 0; $y -lt 8; $y++) { for ($x = 0; $x -lt 12; $x++) { $gray[$x, $y] = [SixLabors.ImageSharp.PixelFormats.L8]::new($x * 20 + $y) } }
                [SixLabors.ImageSharp.ImageExtensions]::SaveAsGif($gray, (Join-Path $in 'scan.gif'))
            }
            finally { $gray.Dispose() }
            $result = Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'scan.gif') -Model $NearestX2 -OutputDirectory $out
            $result.OutputPath | Should -Be (Join-Path $out 'scan.png')
            [SixLabors.ImageSharp.MetadataExtensions]::GetPngMetadata([SixLabors.ImageSharp.Image]::Identify($result.OutputPath).Metadata).ColorType | Should -Be 'Grayscale'
        }

        It 'shows each result''s folder in the default table, however the results of several folders interleave' {
            $first = New-TestImage (Join-Path $in 'first/a.png')
            $second = New-TestImage (Join-Path $in 'second/b.png')
            $third = New-TestImage (Join-Path $in 'first/c.png')
            $results = $first, $second, $third | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out
            # Images finish in any order; this is the order that split a folder in two.
            $interleaved = foreach ($name in 'a.png', 'b.png', 'c.png') { $results | Where-Object Name -eq $name }
            $lines = ($interleaved | Format-Table | Out-String -Width 250) -split '\r?\n'
            $lines | Where-Object { $_ -match '^\s*Directory:' } | Should -BeNullOrEmpty -Because 'a group header repeats when its folder comes back'
            $lines | Where-Object { $_ -match "^Succeeded\s+a\.png\s.*\s$([regex]::Escape((Join-Path $in 'first')))\s*$" } | Should -HaveCount 1
            $lines | Where-Object { $_ -match "^Succeeded\s+b\.png\s.*\s$([regex]::Escape((Join-Path $in 'second')))\s*$" } | Should -HaveCount 1
            # Below the current location, the folder is shown relative to it: the part that tells folders apart.
            Push-Location -LiteralPath $in
            try { $lines = ($interleaved | Format-Table | Out-String -Width 250) -split '\r?\n' }
            finally { Pop-Location }
            $lines | Where-Object { $_ -match '^Succeeded\s+c\.png\s.*\sfirst\s*$' } | Should -HaveCount 1
        }

        It 'keeps the dpi by default, and with -KeepPrintSize states it times the scale, also when the job is resumed' {
            $file = New-TestImage (Join-Path $in 'scan.jpg')
            $image = [SixLabors.ImageSharp.Image]::Load($file.FullName)
            try {
                $image.Metadata.ResolutionUnits = [SixLabors.ImageSharp.Metadata.PixelResolutionUnit]::PixelsPerInch
                $image.Metadata.HorizontalResolution = 300
                $image.Metadata.VerticalResolution = 300
                [SixLabors.ImageSharp.ImageExtensions]::SaveAsJpeg($image, $file.FullName)
            }
            finally { $image.Dispose() }
            $kept = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory (Join-Path $out 'kept')
            [SixLabors.ImageSharp.Image]::Identify($kept.OutputPath).Metadata.HorizontalResolution | Should -Be 300
            $null = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory (Join-Path $out 'print') -KeepPrintSize -JobName print-size -QueueOnly
            $resumed = Resume-Swin2SRJob print-size
            $resumed.Status | Should -Be 'Succeeded'
            $metadata = [SixLabors.ImageSharp.Image]::Identify($resumed.OutputPath).Metadata
            $metadata.HorizontalResolution, $metadata.VerticalResolution | Should -Be @(1200, 1200)
        }

        It 'returns typed result objects with sizes, scale, model and duration' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 13 -Height 5
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out
            $result.PSObject.TypeNames[0] | Should -Be 'Swin2SR.PowerShell.Swin2SRUpscaleResult'
            $result.InputWidth, $result.InputHeight | Should -Be @(13, 5)
            $result.OutputWidth, $result.OutputHeight | Should -Be @(52, 20)
            $result.Scale | Should -Be 4
            $result.Model | Should -Be 'nearest-x4'
            $result.Duration | Should -BeOfType [TimeSpan]
            $result.Duration.Ticks | Should -BeGreaterThan 0
            ($result | Format-Table | Out-String) | Should -Match 'Succeeded\s+a\.png\s+13x5\s+52x20'
        }
    }

    Context 'precision and scheduling' {
        It 'warns when -Device Auto falls back to the CPU, says how to choose it without the warning, and -Device Cpu does not warn' {
            $usableGpu = Get-Swin2SRDevice -Kind Cuda | Where-Object Usable
            if ($usableGpu) { Set-ItResult -Skipped -Because 'a usable GPU runs the model: there is no fallback to warn about' }
            $file = New-TestImage (Join-Path $in 'a.png')
            $null = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $out 'auto') -WarningVariable auto -WarningAction SilentlyContinue
            $fallback = @($auto.Message | Where-Object { $_ -like 'Running on the CPU*' })
            $fallback | Should -HaveCount 1
            $fallback[0] | Should -BeLike '*-Device Cpu chooses the CPU without this warning.'
            $null = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $out 'cpu') -Device Cpu -WarningVariable cpu -WarningAction SilentlyContinue
            $cpu | Should -BeNullOrEmpty
        }

        It 'runs the embedded model in fp16 with -Precision Fp16, within 40 dB of fp32, and says so on each result' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 40 -Height 32
            # Noise is no photo: the quality gate (tested elsewhere) would reject both.
            $half = $file | Invoke-Swin2SRUpscale -Scale 2 -Device Cpu -Precision Fp16 -MinConsistencyPsnr 0 -OutputDirectory (Join-Path $out 'fp16')
            $full = $file | Invoke-Swin2SRUpscale -Scale 2 -Device Cpu -MinConsistencyPsnr 0 -OutputDirectory (Join-Path $out 'fp32')
            $half.Status, $full.Status | Should -Be @('Succeeded', 'Succeeded')
            $half.Precision, $full.Precision | Should -Be @('Fp16', 'Fp32')
            $quality = Measure-Swin2SRQuality -Reference $full.OutputPath -Path $half.OutputPath
            $quality.PsnrRgb | Should -BeGreaterThan 40
            $quality.PsnrRgb | Should -BeLessThan 100 # not the same bytes: the fp16 rewrite did run
        }

        It 'warns that -Scale is ignored when -Model upscales by another factor, and not when they agree' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 8 -Height 8
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -Scale 2 -OutputDirectory $out -MinConsistencyPsnr 0 -WarningVariable warned -WarningAction SilentlyContinue
            ($result.OutputWidth, $result.OutputHeight) | Should -Be @(32, 32)
            $warned.Message | Should -Contain "-Scale 2 is ignored: the model 'nearest-x4' upscales 4x, and its outputs are 4 times the size of their inputs."
            $null = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -Scale 4 -OutputDirectory (Join-Path $out 'agree') -MinConsistencyPsnr 0 -WarningVariable agreed -WarningAction SilentlyContinue
            $agreed.Message | Where-Object { $_ -like '*-Scale*' } | Should -BeNullOrEmpty
        }

        It 'warns once that -BatchSize is not used with a model exported with a fixed batch, and not when they agree' {
            $model = New-FixedBatchModel (Join-Path $root 'fixed-batch.onnx')
            $files = 'a.png', 'b.png' | ForEach-Object { New-TestImage (Join-Path $in $_) -Width 24 -Height 24 }
            $results = $files | Invoke-Swin2SRUpscale -Model $model -Device Cpu -BatchSize 4 -TileSize 8 -TileOverlap 0 -OutputDirectory $out -WarningVariable warned -WarningAction SilentlyContinue
            $results.Status | Should -Be @('Succeeded', 'Succeeded')
            @($warned.Message | Where-Object { $_ -like '*-BatchSize*' }) | Should -Be @('-BatchSize 4 is not used: the model was exported with a fixed batch of 2 tiles, which every batch has')
            $null = $files | Invoke-Swin2SRUpscale -Model $model -Device Cpu -BatchSize 2 -TileSize 8 -TileOverlap 0 -OutputDirectory (Join-Path $out 'agree') -WarningVariable agreed -WarningAction SilentlyContinue
            $agreed | Should -BeNullOrEmpty
        }

        It 'warns before the run when -BatchSize on the CPU needs more memory than the process may use, naming the estimate and the limit' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 24 -Height 16
            # 4 GiB as the memory this process may use: one CPU worker, and a quarter of it (1 GiB) for images in flight;
            # a 272x272 tile (256 and room for the edge context) at 12 KiB a pixel is 0.85 GiB.
            $run = "Import-Module '$ModulePath'; `$null = Get-Item -LiteralPath '$($file.FullName)' | Invoke-Swin2SRUpscale -Model '$NearestX4' -Device Cpu " +
                "-TileSize 256 -OutputDirectory '$out' -Force -WarningVariable warned -WarningAction SilentlyContinue 6>`$null -BatchSize"
            $env:DOTNET_GCHeapHardLimit = '0x100000000'
            try {
                $tooMany = Invoke-ChildPwsh -Command "$run 4; @(`$warned.Message) -like '*-BatchSize*'"
                $fits = Invoke-ChildPwsh -Command "$run 3; @(`$warned.Message) -like '*-BatchSize*'"
            }
            finally { Remove-Item Env:DOTNET_GCHeapHardLimit }
            $tooMany | Should -Be ('-BatchSize 4 needs at least 3.4 GiB for the tiles held at once by 1 CPU worker (4 of up to 272x272 each, 12 KiB a pixel ' +
                'with the smallest models), more than the 3.0 GiB this process may use beside the images in flight (4.0 GiB less 1.0 GiB): the run may ' +
                'run out of memory and be stopped. -BatchSize 3 is the most that fits; on the CPU a batch of one tile is as fast.')
            $fits | Should -BeNullOrEmpty
        }

        It 'upscales an image in a process that may use 768 MB (a 1 GiB container) with smaller CPU tiles, and says so' {
            # The garbage collector of a 1 GiB container sees 768 MB (its heap hard limit, set here without a cgroup):
            # beside the default 256 tile (867 MB at 12 KiB a pixel) no image had any memory, and this one was refused.
            $file = New-TestImage (Join-Path $in 'small-machine.png') -Width 40 -Height 24
            $run = "Import-Module '$ModulePath'; Get-Item -LiteralPath '$($file.FullName)' | Invoke-Swin2SRUpscale -Model '$NearestX4' " +
                "-Device Cpu -MinConsistencyPsnr 0 -OutputDirectory '$out' -Force -Verbose 4>&1 | ForEach-Object { if (`$_ -is [Management.Automation.VerboseRecord]) { `$_.Message } else { `$_.Status } }"
            $env:DOTNET_GCHeapHardLimit = '0x30000000'
            try { $said = Invoke-ChildPwsh -Command $run }
            finally { Remove-Item Env:DOTNET_GCHeapHardLimit }
            $said | Should -Contain 'Succeeded'
            $said | Should -Contain 'Tiles of at most 120 (not 256): smaller tiles leave images room in the 768 MB this process may use (-TileSize sets the size).'
        }

        It 'reports with -Verbose the share of computed pixels that were padding, edge context or overlap' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 40 -Height 24
            $verbose = $file | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out -TileSize 16 -TileOverlap 4 -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            # 40x24 with its edge context (a window of 8 before, then up to a multiple of 8 with at least 4 after: 56x40)
            # in tiles of 16 and room for the context (32), with 4 of overlap: 2x2 tiles of 1024 pixels compute 4096
            # pixels for 960.
            ($verbose.Message -match 'Tiling overhead') | Should -Be 'Tiling overhead: 76.6% of the pixels the model computed were padding, edge context or tile overlap.'
        }

        It 'says once with -Verbose why the CPU runs one tile at a time, however many tile shapes and workers' {
            $files = 'a.png', 'b.png' | ForEach-Object { New-TestImage (Join-Path $in $_) -Width 40 -Height 24 }
            $verbose = $files | Invoke-Swin2SRUpscale -Model $NearestX4 -Device Cpu -OutputDirectory $out -TileSize 16 -TileOverlap 4 -Force -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            @($verbose.Message -match 'batch') | Should -Be @('cpu: one tile at a time, as always on the CPU: larger batches were no faster per tile (measured with a core per worker) and hold more memory (-BatchSize asks for more).')
        }

        It 'says with -Verbose what memory the CPU computes in, and $env:SWIN2SR_HUGE_PAGES = 0 keeps ONNX Runtime''s arena' {
            $file = New-TestImage (Join-Path $in 'a.png') -Width 24 -Height 16
            # The choice is made once per process: each setting gets a fresh child.
            $command = "Import-Module '$ModulePath'; (Get-Item -LiteralPath '$($file.FullName)' | Invoke-Swin2SRUpscale -Model '$NearestX2' -Device Cpu " +
                "-OutputDirectory '$out' -Force -Verbose 4>&1 | Where-Object { `$_ -is [Management.Automation.VerboseRecord] }).Message -match '^CPU tensors'"
            $default = Invoke-ChildPwsh -Command $command | Where-Object { $_ -like 'CPU tensors*' }
            $env:SWIN2SR_HUGE_PAGES = '0'
            try { $switchedOff = Invoke-ChildPwsh -Command $command | Where-Object { $_ -like 'CPU tensors*' } }
            finally { Remove-Item Env:SWIN2SR_HUGE_PAGES }
            if ($IsLinux) {
                $default | Should -Be 'CPU tensors on transparent huge pages, reused from tile to tile.'
                $switchedOff | Should -Be "CPU tensors on ONNX Runtime's arena: SWIN2SR_HUGE_PAGES is 0."
            }
            else {
                $default, $switchedOff | Should -Be @("CPU tensors on ONNX Runtime's arena: huge pages are asked for on Linux only.") * 2
            }
        }
    }

    Context 'bad input' {
        It 'writes an error record for a corrupt file and upscales the rest' {
            $good = 1..2 | ForEach-Object { New-TestImage (Join-Path $in "good$_.png") -Seed $_ }
            $bytes = [IO.File]::ReadAllBytes($good[0].FullName)
            [IO.File]::WriteAllBytes((Join-Path $in 'broken.png'), $bytes[0..([int]($bytes.Length / 2))])
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -HaveCount 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'CorruptImage,*'
            $problems[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $problems[0].TargetObject | Should -Be (Join-Path $in 'broken.png')
            $problems[0].ToString() | Should -Match 'broken\.png'
            ($results | Where-Object Status -eq 'Succeeded') | Should -HaveCount 2
            ($results | Where-Object Status -eq 'Failed').InputPath | Should -Be (Join-Path $in 'broken.png')
            Test-Path -LiteralPath (Join-Path $out 'broken.png') | Should -BeFalse
            Get-LeftoverTempFile $out | Should -BeNullOrEmpty
        }

        It 'shows a failed image with no output path and its unknown sizes empty, not 0' {
            $null = New-TestImage (Join-Path $in 'good.png') -Width 13 -Height 5
            Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -ErrorAction SilentlyContinue
            $failed = $results | Where-Object Status -eq 'Failed'
            $failed.OutputPath | Should -BeNullOrEmpty -Because 'no file was written'
            foreach ($size in 'InputWidth', 'InputHeight', 'OutputWidth', 'OutputHeight') {
                $failed.$size | Should -BeNullOrEmpty -Because "the $size of an image that could not be read is not known"
            }
            $list = $failed | Format-List | Out-String
            $list | Should -Match '(?m)^OutputPath\s*:\s*$'
            $list | Should -Match '(?m)^InputSize\s*:\s*$'
            $list | Should -Match '(?m)^OutputSize\s*:\s*$'
            $good = $results | Where-Object Status -eq 'Succeeded'
            ($good.InputSize, $good.OutputSize) | Should -Be @('13x5', '26x10') -Because 'the sizes the views show are properties a report can select'
            ($good | ConvertTo-Json | ConvertFrom-Json).OutputSize | Should -Be '26x10'
            ($results | Format-Table | Out-String) | Should -Match 'Failed\s+bad\.png\s+\d+\.\d\ds\s+UnsupportedFormat'
        }

        It 'reports a text file named .jpg as an unsupported format' {
            Set-Content -LiteralPath (Join-Path (New-Item -ItemType Directory -Force $in) 'notes.jpg') -Value 'not an image'
            $result = Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'notes.jpg') -Model $NearestX2 -OutputDirectory $out -ErrorVariable problems -ErrorAction SilentlyContinue
            $result.Status | Should -Be 'Failed'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedFormat,*'
        }

        It 'stops at the first bad image with -ErrorAction Stop' {
            New-Item -ItemType Directory -Force $in | Out-Null
            Set-Content -LiteralPath (Join-Path $in 'empty.png') -Value $null
            { Invoke-Swin2SRUpscale -LiteralPath (Join-Path $in 'empty.png') -Model $NearestX2 -OutputDirectory $out -ErrorAction Stop } |
                Should -Throw -ErrorId 'EmptyFile,Swin2SR.PowerShell.Commands.InvokeSwin2SRUpscaleCommand'
        }

        It 'leaves the images after the first bad one to Resume-Swin2SRJob when -ErrorAction Stop ends the run' {
            New-Item -ItemType Directory -Force $in | Out-Null
            Set-Content -LiteralPath (Join-Path $in 'a-bad.png') -Value 'garbage'
            $good = 'b.png', 'c.png', 'd.png' | ForEach-Object { New-TestImage (Join-Path $in $_) }
            $store = Join-Path $root 'stopped.db'
            { Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $store -ErrorAction Stop } |
                Should -Throw -ErrorId 'UnsupportedFormat,*'
            $job = Get-Swin2SRJob -JobStore $store
            $job.Total | Should -Be 4
            $resumed = Resume-Swin2SRJob $job.Name -JobStore $store
            # However many finished before the run stopped, the job ends with every good image done once.
            @($resumed).Count | Should -Be (3 - $job.Succeeded)
            $final = Get-Swin2SRJob $job.Name -JobStore $store
            $final.State, $final.Succeeded, $final.Failed | Should -Be @('CompletedWithErrors', 3, 1)
            $good | ForEach-Object { Join-Path $out $_.Name } | Test-Path | Should -Be @($true, $true, $true)
        }

        It 'fails the whole run with a clear error when the model does not exist, saying how to find one' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $failure = { $file | Invoke-Swin2SRUpscale -Model 'no-such-model' -OutputDirectory $out } | Should -Throw -ErrorId 'ModelNotFound*' -PassThru
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Get-Swin2SRModel lists the models by name'
            $failure = { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -TileSize 12 } | Should -Throw -ErrorId 'InvalidTiling*' -PassThru
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Get-Help Invoke-Swin2SRUpscale -Parameter TileSize'
        }

        It 'takes a -Model path from the current location (relative, a PowerShell drive), and names a folder given as one' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $models = New-Item -ItemType Directory -Path (Join-Path $root 'models')
            Copy-Item -LiteralPath $NearestX2 -Destination (Join-Path $models 'mine.onnx')
            # The process's folder is elsewhere: a path taken from it would not exist.
            [IO.Directory]::GetCurrentDirectory() | Should -Not -Be $root
            Push-Location -LiteralPath $root
            try {
                ($file | Invoke-Swin2SRUpscale -Model ./models/mine.onnx -OutputDirectory $out).Status | Should -Be 'Succeeded'
                $null = New-PSDrive -Name Swin2SRModels -PSProvider FileSystem -Root $models.FullName
                ($file | Invoke-Swin2SRUpscale -Model Swin2SRModels:/mine.onnx -OutputDirectory $out -Force).Model | Should -Be 'mine'
                { $file | Invoke-Swin2SRUpscale -Model ./models/ -OutputDirectory $out -Force } | Should -Throw -ExpectedMessage "*$($models.FullName)*is a folder*"
            }
            finally {
                Pop-Location
                Remove-PSDrive -Name Swin2SRModels -ErrorAction SilentlyContinue
            }
        }

        It 'fails the whole run, writing nothing, when -OutputDirectory is a file' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $taken = New-Item -ItemType File -Path (Join-Path $root 'taken.png')
            { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $taken.FullName } | Should -Throw -ErrorId 'OutputDirectoryIsFile*'
            (Get-Item -LiteralPath $taken.FullName).Length | Should -Be 0
        }

        It 'refuses an impossible tiling before the job is touched: a finished job stays finished, no new job is left behind' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $null = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName tiled
            { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -TileSize 32 -TileOverlap 20 -JobName tiled } | Should -Throw -ErrorId 'InvalidTiling*'
            { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -TileSize 100 -JobName typo } | Should -Throw -ExpectedMessage '*try 104*'
            $job = Get-Swin2SRJob tiled
            ($job.State, $job.Succeeded, $job.Pending) | Should -Be @('Completed', 1, 0)
            Get-Swin2SRJob typo -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            ($file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName tiled).ErrorId | Should -Be 'AlreadyDone'
        }
        It 'names a generated job only once it exists: not when the tiling or the job store refuses the run' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $store = Join-Path $root 'jobs.db'
            $refused = try { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -TileSize 12 -JobStore $store -InformationVariable shown } catch { $_ }
            $refused.FullyQualifiedErrorId | Should -BeLike 'InvalidTiling*'
            "$shown" | Should -BeNullOrEmpty -Because 'no job exists to show'
            $refused.TargetObject | Should -Be 12 -Because 'the error names the value to change'
            $refused = try { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -TileSize 32 -TileOverlap 20 -JobStore $store } catch { $_ }
            $refused.TargetObject | Should -Be 20
            # Refused from the window the model states, before the store is opened: not even the store was made.
            $store | Should -Not -Exist

            # A store whose folder is a file cannot be made, for a run as for -QueueOnly.
            $unmakeable = Join-Path (New-Item -ItemType File (Join-Path $root 'not-a-folder')).FullName 'jobs.db'
            foreach ($queueOnly in $false, $true) {
                $refused = try { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $unmakeable -QueueOnly:$queueOnly -InformationVariable shown } catch { $_ }
                $refused.FullyQualifiedErrorId | Should -BeLike 'JobStore*'
                "$shown" | Should -BeNullOrEmpty -Because "no job exists to show (-QueueOnly:$queueOnly)"
            }
        }
    }

    Context 'progress and cancellation' {
        It 'reports progress with a rate and time remaining' {
            1..4 | ForEach-Object { $null = New-TestImage (Join-Path $in "p$_.png") -Seed $_ }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModulePath'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out'")
                $results = $ps.Invoke()
                $results | Should -HaveCount 4
                $records = @($ps.Streams.Progress)
                $records.Count | Should -BeGreaterThan 1
                ($records | Where-Object StatusDescription -match '^4 of 4 done') | Should -Not -BeNullOrEmpty
                ($records | Where-Object { $_.SecondsRemaining -ge 0 -and $_.StatusDescription -match 'images/s' }) | Should -Not -BeNullOrEmpty
                $records[-1].RecordType | Should -Be 'Completed'
            }
            finally { $ps.Dispose() }
        }

        It 'moves the percentage, gives the time remaining and names the image while one long image is upscaled' {
            # One image in many tiny tiles, run one at a time: long enough for progress records before it is done.
            $pixels = [byte[]]::new(1600 * 1600 * 3)
            [Random]::new(1).NextBytes($pixels)
            $image = [SixLabors.ImageSharp.Image]::LoadPixelData[SixLabors.ImageSharp.PixelFormats.Rgb24]($pixels, 1600, 1600)
            $long = Join-Path (New-Item -ItemType Directory -Force $in) 'long.png'
            try { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, $long) } finally { $image.Dispose() }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModulePath'; Invoke-Swin2SRUpscale -LiteralPath '$long' -Model '$NearestX4' -OutputDirectory '$out' -TileSize 8 -TileOverlap 0 -BatchSize 1")
                ($ps.Invoke()).Status | Should -Be 'Succeeded'
                $during = @($ps.Streams.Progress | Where-Object { $_.RecordType -ne 'Completed' -and $_.StatusDescription -match '^0 of 1 done' })
                $during.Count | Should -BeGreaterThan 2 -Because 'the image must take long enough for this test to mean anything'
                $moving = @($during | Where-Object { $_.PercentComplete -gt 0 -and $_.PercentComplete -lt 100 -and $_.SecondsRemaining -gt 0 })
                $moving | Should -Not -BeNullOrEmpty -Because 'a run of one long image used to sit at 0% with no time remaining until its end'
                $percents = $during.PercentComplete
                $percents | Should -Be ($percents | Sort-Object) -Because 'the percentage never goes backwards'
                # The Classic progress view and Receive-Job show CurrentOperation: a run of large scans named none of them.
                $moving.CurrentOperation | Should -Contain 'Upscaling long.png'
            }
            finally { $ps.Dispose() }
        }

        It 'names the job and only the skips and failures there are, short enough for the one-line progress view' {
            1..2 | ForEach-Object { $null = New-TestImage (Join-Path $in "p$_.png") -Seed $_ }
            $null = New-TestImage (Join-Path $out 'p1.png')
            $null = New-Item -ItemType File (Join-Path $in 'empty.png')
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModulePath'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -ErrorAction SilentlyContinue")
                ($ps.Invoke()).Status | ForEach-Object ToString | Sort-Object | Should -Be @('Failed', 'Skipped', 'Succeeded')
                $records = @($ps.Streams.Progress | Where-Object RecordType -ne 'Completed')
                $records[-1].StatusDescription | Should -Match '^3 of 3 done \(1 skipped, 1 failed\), [0-9.]+ images/s$'
                # The empty file may fail before the first record, so no record is assumed to come before any outcome.
                @($records.StatusDescription -match '\b0 (skipped|failed)') | Should -BeNullOrEmpty -Because 'no skip or failure is named before there is one'
                # PowerShell's one-line (Minimal) view is at most 120 columns and cuts the activity at half of them;
                # with a generated job name, the model and the counts used to be cut off.
                $records[-1].Activity | Should -Match "^Swin2SR job 'upscale-\d{8}-\d{6}-[0-9a-f]{4}'$"
                $records[-1].Activity.Length + $records[-1].StatusDescription.Length | Should -BeLessOrEqual 100
            }
            finally { $ps.Dispose() }
        }

        It 'runs non-interactively with progress on and exits cleanly' {
            $null = New-TestImage (Join-Path $in 'a.png')
            $output = Invoke-ChildPwsh -Command "`$ProgressPreference = 'Continue'; Import-Module '$ModulePath'; (Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out').Status" 2>&1
            $LASTEXITCODE | Should -Be 0
            $output | Should -Contain 'Succeeded'
        }

        It 'stops within two seconds on Ctrl+C and leaves no temp or partial file' {
            1..80 | ForEach-Object { $null = New-TestImage (Join-Path $in "c$_.png") -Width 128 -Height 128 -Seed $_ }
            $ps = [powershell]::Create()
            try {
                # Tiny tiles and batches make the run long enough to interrupt mid-way.
                $null = $ps.AddScript("Import-Module '$ModulePath'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -TileSize 8 -TileOverlap 0 -BatchSize 1")
                $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
                $async = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ($output.Count -lt 2 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
                $output.Count | Should -BeGreaterOrEqual 2
                $clock = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $clock.Elapsed.TotalSeconds | Should -BeLessThan 2
                $async.IsCompleted | Should -BeTrue
                $written = @(Get-ChildItem -LiteralPath $out -File)
                $written.Count | Should -BeLessThan 80
                Get-LeftoverTempFile $out | Should -BeNullOrEmpty
                foreach ($file in $written) { (Get-TestImageSize $file.FullName).Width | Should -Be 512 }
            }
            finally { $ps.Dispose() }
        }
    }

    Context 'discoverability' {
        It 'has full help with a synopsis, every parameter and examples' {
            $help = Get-Help Invoke-Swin2SRUpscale -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty
            $help.Synopsis | Should -Not -Match '^\s*Invoke-Swin2SRUpscale \['
            $documented = $help.parameters.parameter.name
            foreach ($name in (Get-Command Invoke-Swin2SRUpscale).Parameters.Keys | Where-Object { $_ -notin [System.Management.Automation.PSCmdlet]::CommonParameters -and $_ -notin [System.Management.Automation.PSCmdlet]::OptionalCommonParameters }) {
                $documented | Should -Contain $name
            }
            @($help.examples.example).Count | Should -BeGreaterOrEqual 3
            (Get-Help Invoke-Swin2SRUpscale -Parameter TileSize).description | Out-String | Should -Match '\S'
        }

        It 'writes the prose of every cmdlet''s help as plain text, without Markdown''s code marks' {
            # Get-Help shows the text as it is: `enhanced` reached the console with its backticks.
            foreach ($command in Get-Command -Module Swin2SR.PowerShell) {
                $help = Get-Help $command.Name -Full
                $prose = @($help.description) + @($help.parameters.parameter.description) + @($help.alertSet) | Out-String
                $prose | Should -Not -Match '`' -Because "$($command.Name)'s description, parameters and notes are read as plain text"
            }
        }

        It 'shows a default value that the help source wraps onto two lines whole, not its tail as a description' {
            $tileSize = Get-Help Invoke-Swin2SRUpscale -Parameter TileSize
            $tileSize.defaultValue | Should -Match '^256 \(.*252 for a window of 12\)$'
            $tileSize.description.Text | Should -Not -Match '^its window below it'
        }

        It 'completes -Model with the models shipped in the module' {
            $shipped = Get-ChildItem -LiteralPath (Join-Path $ModulePath 'models') -Filter *.onnx | ForEach-Object BaseName
            $shipped | Should -Not -BeNullOrEmpty
            $completion = TabExpansion2 -inputScript 'Invoke-Swin2SRUpscale -Model ' -cursorColumn 'Invoke-Swin2SRUpscale -Model '.Length
            $completion.CompletionMatches.CompletionText | Should -Be ($shipped | Sort-Object)
            $quoted = "Invoke-Swin2SRUpscale -Model 'swin2sr-tiny-x"
            (TabExpansion2 -inputScript $quoted -cursorColumn $quoted.Length).CompletionMatches.CompletionText | Should -Be ($shipped | Where-Object { $_ -like 'swin2sr-tiny-x*' } | Sort-Object)
        }

        It 'completes -DeviceId with the GPUs Get-Swin2SRDevice lists, and never with file names' {
            $gpus = @(Get-Swin2SRDevice -Kind Cuda | ForEach-Object { [string] $_.Index })
            Push-Location -LiteralPath $root
            try {
                $null = New-Item -ItemType File -Path (Join-Path $root 'photo.png')
                foreach ($command in 'Invoke-Swin2SRUpscale', 'Resume-Swin2SRJob') {
                    $line = "$command -DeviceId "
                    $texts = @((TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object CompletionText)
                    $texts.Count | Should -Be $gpus.Count
                    $texts | Should -Be $gpus
                    $texts | Should -Not -Contain './photo.png'
                }
            }
            finally { Pop-Location }
        }

        It 'completes a -Model path with folders and .onnx files only, from the current location' {
            $models = New-Item -ItemType Directory -Path (Join-Path $root 'models')
            $null = New-Item -ItemType Directory -Path (Join-Path $models 'more')
            Copy-Item -LiteralPath $NearestX2 -Destination (Join-Path $models 'mine.onnx')
            Set-Content -LiteralPath (Join-Path $models 'notes.txt') -Value 'not a model'
            Push-Location -LiteralPath $root
            try {
                $line = 'Invoke-Swin2SRUpscale -Model ./models/'
                $texts = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText -replace '\\', '/'
                $texts | Should -Be @('./models/mine.onnx', './models/more')
            }
            finally { Pop-Location }
        }

        It 'exports only its cmdlets and requires PowerShell 7.4 Core' {
            $module = Get-Module Swin2SR.PowerShell
            $module.ExportedCmdlets.Keys | Should -Contain 'Invoke-Swin2SRUpscale'
            $module.PowerShellVersion | Should -Be ([version]'7.4')
            $module.CompatiblePSEditions | Should -Be 'Core'
        }
    }
}
