BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Jobs' {
    BeforeEach { $root, $in, $out, $store = New-JobTestFolder }
    AfterEach { Remove-JobTestFolder $root }

    Context 'journal and reruns' {
        It 'lists, with the README''s line as printed, the outputs whose input was deleted since' {
            $null = New-TestImage (Join-Path $in 'kept.png')
            $gone = New-TestImage (Join-Path $in 'gone.png') -Seed 2
            $done = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Device Cpu
            Remove-Item -LiteralPath $gone.FullName
            $printed = (Get-Content -LiteralPath (Join-Path $RepoRoot 'README.md')) -match '^Get-Swin2SRJobItem nightly -Status Succeeded \| Where-Object \{ -not \(Test-Path'
            $printed | Should -HaveCount 1 -Because 'README shows how to find the outputs left by deleted inputs'
            $listed = @(& ([scriptblock]::Create($printed[0])))
            $listed | Should -Be @(($done | Where-Object Name -eq 'gone.png').OutputPath)
            Test-Path -LiteralPath $listed[0] | Should -BeTrue -Because 'a run never deletes an output'
        }

        It 'loads no model for a rerun with nothing new (a scheduled run over a hot folder), and loads it again for a new input' {
            $null = New-TestImageSet $in 2
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -Device Cpu
            $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -Device Cpu -Verbose 4>&1
            $verbose = $rerun | Where-Object { $_ -is [Management.Automation.VerboseRecord] }
            ($rerun | Where-Object ErrorId -eq 'AlreadyDone').Count | Should -Be 2
            ($rerun | Where-Object ErrorId -eq 'AlreadyDone')[0].Scale | Should -Be 2
            @($verbose.Message) -match '^Running on' | Should -BeNullOrEmpty
            $null = New-TestImage (Join-Path $in 'new.png')
            $next = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -Device Cpu -Verbose 4>&1
            ($next | Where-Object Status -eq 'Succeeded').InputPath | Should -Be (Join-Path $in 'new.png')
            @(($next | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message) -match '^Running on' | Should -Not -BeNullOrEmpty
        }
        It 'fails a file whose output another run wrote for a file of its name in another folder, instead of skipping it as done' {
            # Two boxes of scans, each upscaled by a run of its own into one folder: both start at scan0001.
            $box1 = New-TestImage (Join-Path $in 'box1/scan0001.png') -Width 20 -Seed 1
            $null = New-TestImage (Join-Path $in 'box2/scan0001.png') -Width 30 -Seed 2
            $null = New-TestImage (Join-Path $in 'box2/scan0002.png') -Width 30 -Seed 3
            $first = Invoke-Swin2SRUpscale -Path (Join-Path $in 'box1') -Model $NearestX2 -OutputDirectory $out -Device Cpu
            $written = (Get-FileHash -LiteralPath $first.OutputPath).Hash
            $second = Invoke-Swin2SRUpscale -Path (Join-Path $in 'box2') -Model $NearestX2 -OutputDirectory $out -Device Cpu -ErrorVariable problems -ErrorAction SilentlyContinue
            $clash = $second | Where-Object Name -eq 'scan0001.png'
            $clash.Status | Should -Be 'Failed'
            $clash.ErrorId | Should -Be 'OutputCollision'
            "$($problems[0])" | Should -BeLike "*job '$($first.JobName)' wrote this file for another input, '$($box1.FullName)'*"
            ($second | Where-Object Name -eq 'scan0002.png').Status | Should -Be 'Succeeded'
            (Get-FileHash -LiteralPath $first.OutputPath).Hash | Should -Be $written
            # The same file listed again in another job is its own output: skipped as it exists.
            (Invoke-Swin2SRUpscale -Path (Join-Path $in 'box1') -Model $NearestX2 -OutputDirectory $out -Device Cpu).ErrorId | Should -Be 'OutputExists'
        }

        It 'lets a photo re-exported in another format take over the output of the one it replaced, which was deleted' {
            # -Format Webp makes photo.jpg's output and photo.png's one file: while both are there, the second fails.
            $jpeg = New-TestImage (Join-Path $in 'photo.jpg') -Seed 1
            $first = $jpeg | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Format Webp -Device Cpu
            $written = (Get-FileHash -LiteralPath $first.OutputPath).Hash
            $null = New-TestImage (Join-Path $in 'photo.png') -Width 30 -Seed 2
            $both = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Format Webp -Device Cpu -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            ($both | Where-Object Name -eq 'photo.png').ErrorId | Should -Be 'OutputCollision'
            Remove-Item -LiteralPath $jpeg.FullName

            $next = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Format Webp -Device Cpu -ErrorVariable problems
            $problems | Should -BeNullOrEmpty
            $next.Status | Should -Be 'Succeeded' -Because 'photo.jpg is gone: its output is the new photo''s to write'
            $next.OutputWidth | Should -Be 60
            (Get-FileHash -LiteralPath $first.OutputPath).Hash | Should -Not -Be $written
        }

        It 'says why a later run''s input outside the first run''s common folder fails as the output of a file of its name' {
            # The first night's files were all below shop/a, the folders mirrored from there; shop/sub/y.png lands on shop/a/sub/y.png's output.
            $shop = Join-Path $in 'shop'
            $owner = New-TestImage (Join-Path $shop 'a/sub/y.png') -Seed 1
            $null = New-TestImage (Join-Path $shop 'a/x.png') -Seed 2
            $null = Get-ChildItem -LiteralPath $shop -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Device Cpu
            $null = New-TestImage (Join-Path $shop 'sub/y.png') -Width 30 -Seed 3
            $next = Get-ChildItem -LiteralPath $shop -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Device Cpu -ErrorVariable problems -ErrorAction SilentlyContinue
            ($next | Where-Object Status -eq Failed).ErrorId | Should -Be 'OutputCollision'
            "$($problems[0])" | Should -BeLike "*for another input, '$($owner.FullName)', whose output has the same name (a file of this name in another folder: the job mirrors its first run's folders*"
            "$($problems[0])" | Should -Not -BeLike '*-Format*'
        }

        It 'runs the nightly script of about_Swin2SR as printed: exit 1 with each failed file and its reason on one log line, exit 2 without its folder' {
            $about = Get-Content -Raw -LiteralPath (Join-Path $ModulePath 'en-US/about_Swin2SR.help.txt')
            $printed = [regex]::Match($about, '(?ms)^ {8}# nightly\.ps1.*?\{ exit 1 \}$').Value
            $printed | Should -Not -BeNullOrEmpty -Because 'the help shows the script that a scheduled task runs'
            $script = ($printed -replace '(?m)^ {8}', '').Replace('Import-Module Swin2SR.PowerShell', "Import-Module '$ModulePath'")
            $file = Join-Path $root 'nightly.ps1'
            Set-Content -LiteralPath $file -Value $script.Replace('/srv/shop', $in).Replace('/srv/enhanced', $out)
            $null = New-TestImage (Join-Path $in 'good.jpg')
            # Phones, cameras and CMS exports name JPEGs .jpeg too: the script upscales those as well.
            $null = New-TestImage (Join-Path $in 'IMG_0001.jpeg') -Seed 2
            $bad = Join-Path $in 'bad.jpg'
            Set-Content -LiteralPath $bad -Value 'garbage'
            # A log, as cron's: every line of it, stdout and stderr, as grep sees them.
            $log = @(Invoke-ChildPwsh -File $file 2>&1 | ForEach-Object { "$_" -split "`n" })
            $LASTEXITCODE | Should -Be 1 -Because ($log -join "`n")
            Test-Path -LiteralPath (Join-Path $out 'IMG_0001.jpeg') | Should -BeTrue -Because "the nightly script lists .jpeg files too: $($log -join "`n")"
            @($log -match [regex]::Escape($bad)) -match 'not a supported image' |
                Should -Not -BeNullOrEmpty -Because "a sysadmin greps the log for the file and finds why: $($log -join "`n")"
            Remove-Item -LiteralPath $in -Recurse -Force
            $null = Invoke-ChildPwsh -File $file 2>&1
            $LASTEXITCODE | Should -Be 2 -Because 'a source folder that is missing (a share not mounted) did nothing'
        }

        It 'runs the catch block of about_Swin2SR as printed: it tells an unsupported file by its error id, and a catch [type] names the engine''s exception' {
            $about = Get-Content -Raw -LiteralPath (Join-Path $ModulePath 'en-US/about_Swin2SR.help.txt')
            $printed = [regex]::Match($about, '(?ms)^ {8}try \{ \$r = Invoke-Swin2SRUpscale \$file.*?^ {8}\}$').Value
            $printed | Should -Not -BeNullOrEmpty -Because 'the help shows how a script tells one error from another'
            $good = (New-TestImage (Join-Path $in 'good.png')).FullName
            $bad = Join-Path $in 'bad.png'
            Set-Content -LiteralPath $bad -Value 'garbage'
            $loop = "Import-Module '$ModulePath'; `$env:SWIN2SR_JOBSTORE = '$store'; foreach (`$file in '$bad', '$good') { $($printed -replace '(?m)^ {8}', '')`n if (`$r) { 'done: ' + `$r.Status } }"
            $said = @(Invoke-ChildPwsh -Command $loop.Replace('-ErrorAction Stop', "-ErrorAction Stop -Model '$NearestX2' -OutputDirectory '$out' -Device Cpu") 2>&1 | ForEach-Object { "$_" })
            $LASTEXITCODE | Should -Be 0 -Because ($said -join "`n")
            $said -match '^skipped: .*bad\.png: not a supported image' | Should -Not -BeNullOrEmpty -Because ($said -join "`n")
            $said -match '^done: Succeeded$' | Should -Not -BeNullOrEmpty -Because "the loop goes on after the skipped file: $($said -join "`n")"
            # What the help offers too: a typed catch of the engine's exception, which PowerShell finds.
            $typed = "Import-Module '$ModulePath'; try { Invoke-Swin2SRUpscale '$bad' -Model '$NearestX2' -OutputDirectory '$out' -Device Cpu -ErrorAction Stop } catch [Swin2SR.Core.Imaging.ImageInputException] { 'caught ' + `$_.Exception.ErrorId }"
            (Invoke-ChildPwsh -Command $typed 2>&1) -join "`n" | Should -Match 'caught UnsupportedFormat'
        }

        It 'leaves an unchanged bad file failed on a scheduled rerun, exiting 0, until the file changes or -RetryFailed' {
            $null = New-TestImageSet $in 2
            $bad = Join-Path $in 'bad.png'
            Set-Content -LiteralPath $bad -Value 'garbage'
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -ErrorAction SilentlyContinue -ErrorVariable first
            $first.FullyQualifiedErrorId | Should -BeLike 'UnsupportedFormat,*'
            # As cron runs it: the exit code is what a scheduler alerts on.
            $rerun = "Import-Module '$ModulePath'; `$env:SWIN2SR_JOBSTORE = '$store'; Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobName hot -Verbose"
            $said = (Invoke-ChildPwsh -Command $rerun 2>&1 3>&1 4>&1) -join "`n"
            $LASTEXITCODE | Should -Be 0 -Because "a bad file that has not changed does not fail every run: $said"
            $said | Should -Match '1 input failed in earlier runs of job .hot. and is unchanged since.*-RetryFailed'
            $said | Should -Not -Match 'Running on' -Because 'a rerun with nothing new to try loads no model'
            $again = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -ErrorVariable quiet
            $quiet | Should -BeNullOrEmpty
            $left = $again | Where-Object InputPath -eq $bad
            $left.Status, $left.ErrorId, $left.OutputPath | Should -Be @('Skipped', 'FailedBefore', $null)
            $left.Error | Should -Match 'bad\.png.*UnsupportedFormat.*unchanged'
            (Get-Swin2SRJobItem hot -Status Failed).InputPath | Should -Be $bad -Because 'the job still says it failed, and why'
            # Queued for workers, it is left failed alike, said alike, and queued again with -RetryFailed.
            $queued = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -QueueOnly -WarningVariable queuedWarnings
            $queued.Failed, $queued.Pending | Should -Be @(1, 0)
            $queuedWarnings.Message | Should -Match '^1 input failed in earlier runs of job .hot. and is unchanged since.*-RetryFailed'
            $queued = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -QueueOnly -RetryFailed
            $queued.Failed, $queued.Pending | Should -Be @(0, 1)

            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -RetryFailed -ErrorAction SilentlyContinue -ErrorVariable retried
            $retried.FullyQualifiedErrorId | Should -BeLike 'UnsupportedFormat,*'
            Set-Content -LiteralPath $bad -Value 'other garbage'
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName hot -ErrorAction SilentlyContinue -ErrorVariable changed
            $changed.FullyQualifiedErrorId | Should -BeLike 'UnsupportedFormat,*' -Because 'a file that changed is tried again'
        }

        It 'journals every item and reports it from Get-Swin2SRJob and Get-Swin2SRJobItem' {
            $null = New-TestImageSet $in 3
            New-Item -ItemType Directory $in -Force | Out-Null
            Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
            $results = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName first -ErrorAction SilentlyContinue
            $results.JobName | Sort-Object -Unique | Should -Be 'first'
            { Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName 'fir*' } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError*' -ExpectedMessage '*wildcard*'
            { Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName "night`nly" } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError*' -ExpectedMessage '*control character*'
            (Get-Swin2SRJob).Name | Should -Be 'first'
            $job = Get-Swin2SRJob first
            $job.State | Should -Be 'CompletedWithErrors'
            $job.Total | Should -Be 4
            $job.Succeeded | Should -Be 3
            $job.Failed | Should -Be 1
            $job.PercentComplete | Should -Be 100
            $failed = Get-Swin2SRJobItem first -Status Failed
            $failed.InputPath | Should -Be (Join-Path $in 'bad.png')
            $failed.ErrorId | Should -Be 'UnsupportedFormat'
            $failed.Error | Should -Match 'bad\.png'
            $failed.InputWidth | Should -BeNullOrEmpty -Because 'the size of an image that could not be read is not known'
            (Get-Swin2SRJobItem first -Status Succeeded).Attempts | Should -Be @(1, 1, 1)
        }

        It 'adds new inputs on a rerun, skips unchanged ones and redoes changed ones' {
            $files = New-TestImageSet $in 3
            $null = $files[0..1] | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly
            $null = New-TestImage $files[1].FullName -Width 20 -Height 10 -Seed 99
            $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly
            $done = $rerun | Where-Object InputPath -eq $files[0].FullName
            $done.ErrorId | Should -Be 'AlreadyDone'
            $done.InputSize, $done.OutputSize | Should -Be @('16x16', '32x32') -Because 'the job recorded the sizes when it did the image'
            ($rerun | Where-Object InputPath -eq $files[1].FullName).Status | Should -Be 'Succeeded'
            (Get-TestImageSize (Join-Path $out $files[1].Name)).Width | Should -Be 40
            ($rerun | Where-Object InputPath -eq $files[2].FullName).Status | Should -Be 'Succeeded'
            (Get-Swin2SRJob nightly).Total | Should -Be 3
        }

        It 'records the version of an input it read, so that one replaced after it was queued is not done again on the next run' {
            $files = New-TestImageSet $in 2
            $null = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName replaced -QueueOnly
            $null = New-TestImage $files[0].FullName -Width 20 -Height 10 -Seed 99
            $null = Resume-Swin2SRJob replaced
            (Get-TestImageSize (Join-Path $out $files[0].Name)).Width | Should -Be 40 -Because 'the output is of the version read'
            $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName replaced
            $rerun.ErrorId | Should -Be @('AlreadyDone', 'AlreadyDone')
        }

        It 'no longer counts as failed an input moved away after it was listed once a rerun lists its folder without it, and upscales it when it is back' {
            $files = New-TestImageSet $in 2
            $null = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName moved -QueueOnly
            $away = Join-Path $root 'away.png'
            Move-Item -LiteralPath $files[0].FullName $away
            $null = Resume-Swin2SRJob moved -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures.FullyQualifiedErrorId | Should -Match '^InputNotFound'
            (Get-Swin2SRJob moved).State | Should -Be 'CompletedWithErrors'

            $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName moved
            $rerun.ErrorId | Should -Be 'AlreadyDone'
            (Get-Swin2SRJob moved).State | Should -Be 'Completed'
            $gone = Get-Swin2SRJobItem moved -Status Skipped
            $gone.InputPath, $gone.ErrorId | Should -Be @($files[0].FullName, 'InputGone')
            $gone.Error | Should -Match 'listed its folder without it'

            Move-Item -LiteralPath $away $files[0].FullName
            $back = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName moved
            ($back | Where-Object InputPath -eq $files[0].FullName).Status | Should -Be 'Succeeded'
        }

        It 'makes an output again on a rerun when it was deleted since, instead of reporting it AlreadyDone' {
            $files = New-TestImageSet $in 2
            $null = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName cleaned
            Remove-Item -LiteralPath (Join-Path $out $files[0].Name)
            $rerun = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName cleaned
            ($rerun | Where-Object InputPath -eq $files[0].FullName).Status | Should -Be 'Succeeded'
            Test-Path -LiteralPath (Join-Path $out $files[0].Name) | Should -BeTrue
            ($rerun | Where-Object InputPath -eq $files[1].FullName).ErrorId | Should -Be 'AlreadyDone'
            (Get-Swin2SRJob cleaned).Succeeded | Should -Be 2
        }

        It 'redoes inputs the job already did when -Force is given' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $null = Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName forced
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName forced).ErrorId | Should -Be 'AlreadyDone'
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName forced -Force).Status | Should -Be 'Succeeded'
        }

        It 'does not redo a job''s images when a rerun spells -Format in other capitals' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $null = Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName spelled -Format png
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName spelled -Format PNG).ErrorId | Should -Be 'AlreadyDone'
        }

        It 'redoes every item when the options that shape outputs change' {
            $files = New-TestImageSet $in 2
            $null = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName opts
            $again = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName opts -Format Jpeg
            $again.Status | Should -Be @('Succeeded', 'Succeeded')
            Test-Path -LiteralPath (Join-Path $out 'img0001.jpg') | Should -BeTrue
        }

        It 'does not redo a job''s images when its model moves with a module update, only when the model changes' {
            $files = New-TestImageSet $in 2
            # As an update installs the module: the same embedded model in a new version folder, written later.
            $old = New-Item -ItemType Directory -Path (Join-Path $root '1.0.0') | ForEach-Object { Copy-Item $NearestX2 $_.FullName -PassThru }
            $new = New-Item -ItemType Directory -Path (Join-Path $root '1.1.0') | ForEach-Object { Copy-Item $NearestX2 $_.FullName -PassThru }
            $new.LastWriteTimeUtc = [DateTime]::UtcNow.AddDays(1)
            $null = $files | Invoke-Swin2SRUpscale -Model $old.FullName -OutputDirectory $out -JobName moved
            $again = $files | Invoke-Swin2SRUpscale -Model $new.FullName -OutputDirectory $out -JobName moved
            $again.ErrorId | Should -Be @('AlreadyDone', 'AlreadyDone')
            $redone = $files | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out -JobName moved -Force:$false -WarningAction SilentlyContinue
            $redone.Status | Sort-Object -Unique | Should -Not -Be 'Skipped' -Because 'another model is another output'
        }

        It 'never overwrites a file it skipped, even when the job runs again' {
            $file = New-TestImage (Join-Path $in 'a.png')
            New-Item -ItemType Directory $out | Out-Null
            $precious = Join-Path $out 'a.png'
            Set-Content -LiteralPath $precious -Value 'precious'
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName keep).ErrorId | Should -Be 'OutputExists'
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName keep).ErrorId | Should -Be 'OutputExists'
            Get-Content -LiteralPath $precious | Should -Be 'precious'
            (Invoke-Swin2SRUpscale -LiteralPath $file.FullName -Model $NearestX2 -OutputDirectory $out -JobName keep -Force).Status | Should -Be 'Succeeded'
            (Get-TestImageSize $precious).Width | Should -Be 48
        }

        It 'generates a job name when none is given and shows it' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -InformationVariable shown
            $result.JobName | Should -Match '^upscale-\d{8}-\d{6}-[0-9a-f]{4}$'
            "$shown" | Should -Match ([regex]::Escape($result.JobName))
            (Get-Swin2SRJob $result.JobName).State | Should -Be 'Completed'
        }

        It 'names the -JobStore it was given in the commands it shows, so that they find the job' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $other = Join-Path $root "other's.db"
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $other -InformationVariable shown
            # Without -JobStore in it, the hint's Get-Swin2SRJob looked in $env:SWIN2SR_JOBSTORE: JobNotFound.
            "$shown" -match "\((Get-Swin2SRJob .+) shows it; (Resume-Swin2SRJob .+) continues it\)" | Should -BeTrue
            (Invoke-Expression $Matches[1]).Name | Should -Be $result.JobName
            $Matches[2] | Should -BeLike "* -JobStore '*other''s.db'"
            # The store the command finds by itself is not named.
            $again = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'again') -InformationVariable plain
            "$plain" | Should -Not -Match 'JobStore'
            (Get-Swin2SRJob $again.JobName).State | Should -Be 'Completed'
        }

        It 'removes a job with -Confirm:$false, keeps it with -WhatIf, and leaves the outputs' {
            $file = New-TestImage (Join-Path $in 'a.png')
            $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName gone
            Remove-Swin2SRJob gone -WhatIf
            Get-Swin2SRJob gone | Should -Not -BeNullOrEmpty
            Remove-Swin2SRJob gone -Confirm:$false
            Get-Swin2SRJob gone -ErrorVariable missing -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'JobNotFound*'
            Test-Path -LiteralPath $result.OutputPath | Should -BeTrue
        }

        It 'removes with a job the hidden temp files that killed writes of its unfinished items left, and nothing else' {
            $null = New-TestImageSet $in 2 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName killed -QueueOnly
            $target = (Get-Swin2SRJobItem killed | Select-Object -First 1).OutputPath
            $folder = Split-Path -LiteralPath $target
            $null = New-Item -ItemType Directory -Force -Path $folder
            # What ImageWriter leaves when its process is killed mid-write: ".<name>.<32 hex>.tmp" beside the output.
            $leftover = Join-Path $folder ('.{0}.{1}.tmp' -f (Split-Path -Leaf $target), ([guid]::NewGuid().ToString('N')))
            $unrelated = Join-Path $folder ('.someone-else.png.{0}.tmp' -f ([guid]::NewGuid().ToString('N')))
            $kept = Join-Path $folder 'kept.png'

            # Another job still has to write the second output: its temp file may be a write in progress.
            $second = (Get-Swin2SRJobItem killed | Select-Object -Last 1)
            $null = Get-Item -LiteralPath $second.InputPath | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName other -QueueOnly
            $othersWrite = Join-Path $folder ('.{0}.{1}.tmp' -f (Split-Path -Leaf $second.OutputPath), ([guid]::NewGuid().ToString('N')))
            $leftover, $unrelated, $kept, $othersWrite | ForEach-Object { Set-Content -LiteralPath $_ -Value 'partial' }

            Remove-Swin2SRJob killed -Confirm:$false
            Test-Path -LiteralPath $leftover | Should -BeFalse -Because 'a removed job never runs again to clean it up'
            Test-Path -LiteralPath $unrelated | Should -BeTrue
            Test-Path -LiteralPath $kept | Should -BeTrue
            Test-Path -LiteralPath $othersWrite | Should -BeTrue -Because 'job "other" still has to write that output'
        }

        It 'says "1 item" and "3 items" when it asks before removing a job' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName one -QueueOnly
            $null = New-TestImageSet (Join-Path $root 'more') 3 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName three -QueueOnly
            # -WhatIf writes to the host, not to a stream: a child's output shows it.
            $said = (Invoke-ChildPwsh -Command (Get-WorkerCommand $store 'Remove-Swin2SRJob one, three -WhatIf')) -join "`n"
            $said | Should -Match '\(1 item; outputs are kept\)'
            $said | Should -Match '\(3 items; outputs are kept\)'
        }

        It 'keeps the outputs it made in place when a later run''s inputs widen the folder it mirrors, and does not redo them' {
            $null = New-TestImage (Join-Path $in 'b' 'sub' 'x.png')
            $null = New-TestImage (Join-Path $in 'b' 'y.png') -Seed 2
            $first = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName grow
            ($first.OutputPath | Sort-Object) | Should -Be @((Join-Path $out 'sub' 'x.png'), (Join-Path $out 'y.png'))
            $null = New-TestImage (Join-Path $in 'a' 'new.png') -Seed 3

            $second = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName grow
            ($second | Where-Object Name -ne 'new.png').ErrorId | Should -Be @('AlreadyDone', 'AlreadyDone') -Because 'unchanged inputs are not done again'
            ($second | Where-Object Name -eq 'new.png').OutputPath | Should -Be (Join-Path $out 'a' 'new.png')
            Test-Path -LiteralPath (Join-Path $out 'b') | Should -BeFalse -Because 'no second copy of the outputs already made'
        }

        It 'puts a grown job''s new inputs of its first folder beside that folder''s earlier outputs, and redoes none of them the night after' {
            # Night 1: only shop/shoes has photos; night 2 a new shoe and a new category, shop/bags.
            $shoes = Join-Path $in 'shoes'
            $null = New-TestImage (Join-Path $shoes 'boot.png')
            $null = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName shop
            $null = New-TestImage (Join-Path $shoes 'sandal.png') -Seed 2
            $null = New-TestImage (Join-Path $in 'bags' 'tote.png') -Seed 3

            $second = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName shop
            ($second | Where-Object Name -eq 'sandal.png').OutputPath | Should -Be (Join-Path $out 'sandal.png') -Because 'the shoes stay together, where boot.png is'
            ($second | Where-Object Name -eq 'tote.png').OutputPath | Should -Be (Join-Path $out 'bags' 'tote.png')

            $third = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName shop
            $third.ErrorId | Should -Be @('AlreadyDone', 'AlreadyDone', 'AlreadyDone') -Because 'nothing changed since the second night'
            (Get-ChildItem -LiteralPath $out -Recurse -File | ForEach-Object { [IO.Path]::GetRelativePath($out, $_.FullName) } | Sort-Object) |
                Should -Be @((Join-Path 'bags' 'tote.png'), 'boot.png', 'sandal.png') -Because 'one copy of each output'
        }

        It 'says with -WhatIf the outputs a grown job then writes (below its first run''s folder, a done one kept where it is), and changes nothing' {
            # Night 1 over shop/shoes only; the night shop/bags appears, the new shoe goes into $out beside boot.png, not $out/shoes.
            $shoes = Join-Path $in 'shoes'
            $null = New-TestImage (Join-Path $shoes 'boot.png')
            $null = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName shop -Device Cpu
            $null = New-TestImage (Join-Path $shoes 'sandal.png') -Seed 2
            $null = New-TestImage (Join-Path $in 'bags' 'tote.png') -Seed 3

            # -WhatIf writes to the host: a child's output shows it. The child finds the job store by $env:SWIN2SR_JOBSTORE.
            $said = (Invoke-ChildPwsh -Command "Import-Module '$ModulePath'; Get-ChildItem -LiteralPath '$in' -Recurse -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobName shop -Device Cpu -WhatIf") -join "`n"
            (Get-Swin2SRJob shop).Total | Should -Be 1 -Because '-WhatIf adds nothing to the job'

            $run = Get-ChildItem -LiteralPath $in -Recurse -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName shop -Device Cpu
            ($run | Where-Object Name -eq 'boot.png').ErrorId | Should -Be 'AlreadyDone'
            foreach ($result in $run) {
                $action = if ($result.ErrorId -eq 'AlreadyDone') { 'Skip' } else { 'Upscale' }
                $said | Should -Match ([regex]::Escape("$action '$($result.InputPath)'") + '.*" on target "' + [regex]::Escape($result.OutputPath) + '"') -Because "-WhatIf names the file the run wrote for $($result.Name)"
            }
        }

        It 'says how the device was chosen once when several jobs are resumed in one pipeline' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName first -QueueOnly
            $null = New-TestImage (Join-Path $in 'b.png') -Seed 2 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName second -QueueOnly
            # -Device Auto on a machine without a GPU says why it runs on the CPU: once, not once per job.
            $results = 'first', 'second' | Resume-Swin2SRJob -WarningVariable said -WarningAction SilentlyContinue
            $results.Status | Should -Be @('Succeeded', 'Succeeded')
            @($said.Message | Where-Object { $_ -like 'Running on the CPU*' }).Count | Should -Be 1
            @($said.Message | Group-Object | Where-Object Count -gt 1) | Should -BeNullOrEmpty -Because 'no warning is repeated for the second job'
        }

        It 'says when a resumed job has nothing left to do' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName finished
            $results = Resume-Swin2SRJob finished -WarningVariable said -WarningAction SilentlyContinue
            $results | Should -BeNullOrEmpty
            $said.Message | Should -Contain "Job 'finished' has nothing left to do: no image is pending (-RetryFailed also redoes the ones that failed)."
        }

        It 'resumes the other piped jobs when one''s model is gone, which is that job''s ModelNotFound; a finished job needs no model' {
            $model = Join-Path $root 'gone.onnx'
            Copy-Item -LiteralPath $NearestX2 -Destination $model
            $image = New-TestImage (Join-Path $in 'a.png')
            $null = $image | Invoke-Swin2SRUpscale -Model $model -OutputDirectory (Join-Path $out 'finished') -JobName finished
            $null = $image | Invoke-Swin2SRUpscale -Model $model -OutputDirectory (Join-Path $out 'waiting') -JobName waiting -QueueOnly
            $null = $image | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $out 'other') -JobName other -QueueOnly
            Remove-Item -LiteralPath $model

            $results = Get-Swin2SRJob | Resume-Swin2SRJob -ErrorVariable problems -ErrorAction SilentlyContinue -WarningVariable said -WarningAction SilentlyContinue
            $problems | Should -HaveCount 1 -Because 'only the job that has work left needs its model'
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'ModelNotFound,*'
            $problems[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $problems[0].TargetObject | Should -Be $model
            $problems[0].Exception.Message | Should -BeLike "*'waiting'*"
            $said.Message | Should -Contain "Job 'finished' has nothing left to do: no image is pending (-RetryFailed also redoes the ones that failed)."
            $results.JobName | Should -Be 'other' -Because 'the jobs piped after the one without its model are resumed'
            (Get-Swin2SRJob other).State | Should -Be 'Completed'
            (Get-Swin2SRJob waiting).State | Should -Be 'Queued'
        }

        It 'lists the items of the job of piped results, once' {
            $results = New-TestImageSet $in 3 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName listed
            $items = $results | Get-Swin2SRJobItem -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -BeNullOrEmpty -Because "a result's file name is not a job name"
            $items | Should -HaveCount 3 -Because 'three results of one job list its three items once'
            $items.JobName | Sort-Object -Unique | Should -Be 'listed'
        }

        It 'pages through the items in the order they were added, after -Status, across jobs, and counts them all with -IncludeTotalCount' {
            $files = @(New-TestImageSet $in 4)
            $bad = Join-Path $in 'bad.png'
            Set-Content -LiteralPath $bad -Value 'garbage'
            $null = @($files[0], (Get-Item $bad)) + $files[1..3] | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName paged -ErrorAction SilentlyContinue
            $null = New-TestImageSet (Join-Path $root 'more') 2 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'more-out') -JobName other -QueueOnly

            (Get-Swin2SRJobItem paged -First 2 -Skip 1).InputPath | Should -Be @($bad, $files[1].FullName)
            (Get-Swin2SRJobItem paged -Status Succeeded -Skip 1 -First 2).InputPath | Should -Be $files[1..2].FullName -Because 'the page is of the items the filter matches'
            (Get-Swin2SRJobItem paged, other -Skip 4 -First 2).JobName | Should -Be @('paged', 'other') -Because 'the page runs on from one job into the next'
            (Get-Swin2SRJobItem paged, other -Skip 6).Name | Should -Be 'img0002.png' -Because "-Skip goes on past a job it skips whole"

            $counted = Get-Swin2SRJobItem paged -Status Succeeded -First 1 -IncludeTotalCount
            $counted | Should -HaveCount 2
            $counted[0].InputPath | Should -Be $files[0].FullName
            $counted[1] | Should -BeOfType [UInt64]
            $counted[1] | Should -Be 4 -Because 'the total is of every item the filter matches, not the page'
            (Get-Swin2SRJobItem paged, other -First 0 -IncludeTotalCount) | Should -Be 7
        }

        It 'runs its help''s paging example as written, under Set-StrictMode -Version Latest, for a page of one item' {
            $null = New-Item -ItemType Directory -Path $in
            1..101 | ForEach-Object { Set-Content -LiteralPath (Join-Path $in ('bad{0:D3}.png' -f $_)) -Value 'garbage' }
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -ErrorAction SilentlyContinue
            $example = (Get-Help Get-Swin2SRJobItem).examples.example | Where-Object title -Match 'Page through'
            # A caller's strict mode has no .Count on one object: the example's page must be an array.
            $said = & { Set-StrictMode -Version Latest; Invoke-Expression $example.code } | Out-String
            $said | Should -Match 'Failed images 101 to 101 of 101'
            $said | Should -Match 'bad101\.png'
        }

        It 'runs Resume-Swin2SRJob''s retry example as written, with each failure''s message whole' {
            $null = New-TestImageSet $in 1
            Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -ErrorAction SilentlyContinue
            $said = Invoke-HelpExample Resume-Swin2SRJob 'failed images again' | Out-String
            $said | Should -Match '1 UnsupportedFormat'
            $said | Should -Match 'bad\.png\s+UnsupportedFormat'
            # Selected into a table, the message was cut at the console's edge: what to do about the image was lost.
            $said | Should -Not -Match '…'
            # Its end is there, wherever -Wrap broke the column (the test folder's path length moves the breaks).
            ($said -replace '\s+', '') | Should -Match 'GIFexpected\)'
        }

        It 'shows the job of piped results and items, once, and takes -JobName as the other job cmdlets do' {
            $results = New-TestImageSet $in 3 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName shown
            $fromResults = $results | Get-Swin2SRJob -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -BeNullOrEmpty -Because "a result's file name is not a job name"
            $fromResults.Name | Should -Be 'shown' -Because 'three results of one job show it once'
            (Get-Swin2SRJobItem shown | Get-Swin2SRJob).Name | Should -Be 'shown'
            (Get-Swin2SRJob -JobName shown).Name | Should -Be 'shown'
            (Get-Swin2SRJob -Name shown | Get-Swin2SRJob).Name | Should -Be 'shown' -Because 'a job binds by its Name'
        }

        It 'stops and removes the job of piped items, once each, and never a job named like an item''s file' {
            $null = New-TestImageSet $in 3 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName queued -QueueOnly
            # A job whose name is an item's file name: binding the items' Name would stop and remove it.
            $null = New-TestImage (Join-Path $root 'other' 'b.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'other-out') -JobName img0002.png -QueueOnly

            $stopped = Get-Swin2SRJobItem queued | Stop-Swin2SRJob -PassThru -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -BeNullOrEmpty -Because "an item's file name is not a job name"
            $stopped.Name | Should -Be 'queued' -Because 'three items of one job stop it once'
            (Get-Swin2SRJob img0002.png).State | Should -Be 'Queued'

            Get-Swin2SRJobItem queued | Remove-Swin2SRJob -Confirm:$false -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -BeNullOrEmpty
            Get-Swin2SRJob queued -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-Swin2SRJob img0002.png).Total | Should -Be 1

            Remove-Swin2SRJob 'img*', 'img0002.png' -Confirm:$false -ErrorVariable overlapping -ErrorAction SilentlyContinue
            $overlapping | Should -BeNullOrEmpty -Because 'a job that two patterns match is removed once, not then missed'
            Get-Swin2SRJob img0002.png -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }

        It 'acts on piped jobs in the store they were listed from, never on a job of their name in the default store' {
            $null = New-TestImageSet $in 2 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -QueueOnly
            $other = Join-Path $root 'other.db'
            $null = New-TestImage (Join-Path $root 'other-in/b.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'other-out') -JobName nightly -JobStore $other -QueueOnly

            (Get-Swin2SRJob nightly -JobStore $other | Get-Swin2SRJobItem).Name | Should -Be 'b.png'
            # Items and results name their store too, for the job cmdlets they are piped to.
            (Get-Swin2SRJobItem nightly -JobStore $other | Get-Swin2SRJob).Total | Should -Be 1
            $results = Resume-Swin2SRJob nightly -JobStore $other
            ($results | Get-Swin2SRJobItem).Name | Should -Be 'b.png'
            # Both stores' jobs in one pipeline: each is its own job, read from its own store.
            (@(Get-Swin2SRJob nightly; Get-Swin2SRJob nightly -JobStore $other) | Get-Swin2SRJobItem).Name | Should -Be @('img0001.png', 'img0002.png', 'b.png')
            (Get-Swin2SRJob nightly -JobStore $other | Stop-Swin2SRJob -PassThru).Store | Should -Be $other
            Get-Swin2SRJobItem nightly -JobStore $other | Remove-Swin2SRJob -Confirm:$false
            Get-Swin2SRJob -JobStore $other | Should -BeNullOrEmpty
            (Get-Swin2SRJob nightly).Total | Should -Be 2 -Because 'the job of that name in the default store is not the one piped'
            (Get-Swin2SRJob nightly).State | Should -Be 'Queued'
            # Items still bind their InputPath to Invoke-Swin2SRUpscale, which takes no store from them.
            $again = Get-Swin2SRJobItem nightly | Select-Object -First 1 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'again') -JobName again
            $again.Status | Should -Be 'Succeeded'
            $again.Store | Should -Be $store
        }

        It 'retries failed items with Resume -RetryFailed' {
            New-Item -ItemType Directory $in -Force | Out-Null
            $path = Join-Path $in 'late.png'
            Set-Content -LiteralPath $path -Value 'not yet an image'
            $null = Invoke-Swin2SRUpscale -LiteralPath $path -Model $NearestX2 -OutputDirectory $out -JobName retry -ErrorAction SilentlyContinue
            (Get-Swin2SRJob retry).Failed | Should -Be 1
            Resume-Swin2SRJob retry | Should -BeNullOrEmpty
            $null = New-TestImage $path
            Resume-Swin2SRJob retry -RetryFailed -WhatIf | Should -BeNullOrEmpty
            (Get-Swin2SRJob retry).Failed | Should -Be 1 -Because '-WhatIf requeues nothing'
            $retried = Resume-Swin2SRJob retry -RetryFailed
            $retried.Status | Should -Be 'Succeeded'
            (Get-Swin2SRJob retry).State | Should -Be 'Completed'
        }

        It 'resumes the job of piped items once, by their JobName, and the jobs piped from Get-Swin2SRJob' {
            $null = New-TestImageSet $in 3 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName items -QueueOnly
            # -AsJob returns one PowerShell job per resume: three items of one job must resume it once.
            $background = Get-Swin2SRJobItem items | Resume-Swin2SRJob -AsJob -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems | Should -BeNullOrEmpty -Because "an item's file name is not a job name"
            $background | Should -HaveCount 1
            ($background | Receive-Job -Wait -AutoRemoveJob).Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
            (Get-Swin2SRJob items).State | Should -Be 'Completed'

            $null = New-TestImageSet (Join-Path $root 'more') 2 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $root 'more-out') -JobName jobs -QueueOnly
            (Get-Swin2SRJob jobs | Resume-Swin2SRJob).Status | Should -Be @('Succeeded', 'Succeeded')
        }
    }

    Context 'setup errors' {
        It 'names a job that does not exist' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName other -QueueOnly
            Resume-Swin2SRJob nope -ErrorVariable problems -ErrorAction SilentlyContinue
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'JobNotFound*'
            $problems[0].Exception.Message | Should -Match "nope"
        }

        It 'refuses a credential for a SQLite store and says to leave it out, not to give the path it was given' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName other -QueueOnly
            $credential = [pscredential]::new('ops', (ConvertTo-SecureString 'secret' -AsPlainText -Force))
            $failure = { Get-Swin2SRJob -JobStore $store -Credential $credential } | Should -Throw -ErrorId 'CredentialNotApplicable*' -PassThru
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Leave out -Credential'
        }

        It 'says what to check of a SQLite store whose folder cannot be made, not of a PostgreSQL server' {
            $file = New-TestImage (Join-Path $in 'a.png')
            # A file where the store's folder belongs: the recommendation spoke of a server and SSL settings.
            $failure = { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore (Join-Path $file 'jobs.db') } |
                Should -Throw -ErrorId 'JobStoreUnavailable*' -PassThru
            $failure.Exception.Message | Should -Match ([regex]::Escape($file))
            $failure.ErrorDetails.RecommendedAction | Should -Match 'Check the path'
            $failure.ErrorDetails.RecommendedAction | Should -Not -Match 'server'
        }

        It 'says that a folder given as the job store is a folder, not that it is read-only or missing' {
            $file = New-TestImage (Join-Path $in 'a.png')
            # A folder where the store's file belongs: the run called it read-only, the status commands missing.
            $run = { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore $root } | Should -Throw -ErrorId 'JobStoreInvalid*' -PassThru
            $status = { Get-Swin2SRJob -JobStore $root } | Should -Throw -ErrorId 'JobStoreInvalid*' -PassThru
            foreach ($failure in $run, $status) {
                $failure.Exception.Message | Should -BeLike "*'$root' is a folder*$(Join-Path $root 'jobs.db')*"
                $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            }
            Test-Path -LiteralPath $out | Should -BeFalse
        }

        It 'refuses a corrupt job store without changing it' {
            $bad = Join-Path $root 'corrupt.db'
            [IO.File]::WriteAllBytes($bad, [byte[]](1..4096 | ForEach-Object { $_ % 251 }))
            $before = (Get-FileHash -LiteralPath $bad).Hash
            { Get-Swin2SRJob -JobStore $bad } | Should -Throw -ErrorId 'JobStoreCorrupt*'
            (Get-FileHash -LiteralPath $bad).Hash | Should -Be $before
        }

        It 'refuses a job store in a folder that cannot be written' {
            # Tests run as root, which ignores permissions: a read-only mount is the honest case.
            $mount = Join-Path $root 'ro'
            New-Item -ItemType Directory $mount | Out-Null
            & mount -t tmpfs -o ro,size=1m tmpfs $mount 2>$null
            if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'this machine does not allow a read-only tmpfs mount'; return }
            try {
                $file = New-TestImage (Join-Path $in 'a.png')
                $refusal = { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobStore (Join-Path $mount 'jobs.db') } | Should -Throw -ErrorId 'JobStoreReadOnly*' -PassThru
                # A scheduled task or a service names its store in its environment, not on a command line.
                $refusal.ErrorDetails.RecommendedAction | Should -BeLike '*$env:SWIN2SR_JOBSTORE*'
                Test-Path -LiteralPath $out | Should -BeFalse
            }
            finally { & umount $mount }
        }

        It 'says that the disk of the job store is full, not that a server cannot be reached' -Skip:(-not $IsLinux) {
            $mount = Join-Path $root 'small'
            New-Item -ItemType Directory $mount | Out-Null
            & mount -t tmpfs -o size=1m tmpfs $mount 2>$null
            if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'this machine does not allow a tmpfs mount'; return }
            try {
                $onDisk = Join-Path $mount 'jobs.db'
                # The whole disk taken by another file: the store's first commit has no room.
                & dd if=/dev/zero "of=$(Join-Path $mount 'filler')" bs=4k 2>$null
                $file = New-TestImage (Join-Path $in 'a.png')
                $failure = { $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName full -JobStore $onDisk } |
                    Should -Throw -ErrorId 'JobStoreFull*' -PassThru
                Test-Path -LiteralPath $out | Should -BeFalse -Because 'nothing is upscaled that could not be journaled'
                $failure.Exception.Message | Should -BeLike "*disk that holds the job store '$onDisk' is full*"
                $failure.ErrorDetails.RecommendedAction | Should -BeLike 'Free some space on the disk of the store*'
            }
            finally { & umount $mount }
        }

        It 'tells a status command within seconds that a PostgreSQL server cannot be reached' {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $failure = { Get-Swin2SRJob -JobStore "Host=127.0.0.1;Port=$(Get-ClosedPort);Username=u;Password=pw" } | Should -Throw -ErrorId 'JobStoreUnavailable*' -PassThru
            $failure.Exception.Message | Should -BeLike '*could not be reached: tried for *, of up to 5 s*' -Because 'a status command does not wait the minute a run waits'
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 30
        }

        It 'fails at once, even for a run, when the PostgreSQL host name does not resolve' {
            # .invalid never resolves (RFC 6761); -WarningAction Stop would turn a wait for it into the error.
            $store = 'postgresql://u:pw@db01.invalid/x'
            { Get-Swin2SRJob -JobStore $store } | Should -Throw -ErrorId 'JobStoreUnavailable*' -ExpectedMessage '*host name does not resolve*'
            { Resume-Swin2SRJob any -JobStore $store -WarningAction Stop } | Should -Throw -ErrorId 'JobStoreUnavailable*' -ExpectedMessage '*host name does not resolve*'
        }

        It 'warns that a run waits for a PostgreSQL server that cannot be reached' {
            # The warning, made an error, ends the run at its first retry instead of a minute later.
            { Resume-Swin2SRJob any -JobStore "Host=127.0.0.1;Port=$(Get-ClosedPort);Username=u;Password=pw" -WarningAction Stop } |
                Should -Throw -ExpectedMessage '*cannot be reached*waiting up to 60 s*'
        }
    }

    Context 'a job store that does not exist' {
        It 'is not created by a command that reads or acts on jobs: a store named that does not exist is JobStoreNotFound' {
            $missing = Join-Path $root 'typo/jobs.db'
            $commands = @(
                { Get-Swin2SRJob -JobStore $missing }
                { Get-Swin2SRJob nightly -JobStore $missing }
                { Get-Swin2SRJobItem nightly -JobStore $missing }
                { Resume-Swin2SRJob nightly -JobStore $missing }
                { Stop-Swin2SRJob nightly -JobStore $missing }
                { Remove-Swin2SRJob nightly -JobStore $missing -Confirm:$false }
            )
            foreach ($command in $commands) {
                $failure = $command | Should -Throw -ErrorId 'JobStoreNotFound*' -PassThru -Because "$command names a store that is likely a typo"
                $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
                $failure.TargetObject | Should -Be $missing
                $failure.ErrorDetails.RecommendedAction | Should -Match 'Invoke-Swin2SRUpscale creates a store on its first run' 
            }
            $env:SWIN2SR_JOBSTORE = $missing
            { Get-Swin2SRJob } | Should -Throw -ErrorId 'JobStoreNotFound*' -Because '$env:SWIN2SR_JOBSTORE names the store as -JobStore does'
            Test-Path -LiteralPath (Split-Path $missing) | Should -BeFalse
        }

        It 'is, when it is the default store before the first run, a store without jobs that only a run creates' -Skip:(-not $IsLinux) {
            # The default store lives in the user's data folder, which XDG_DATA_HOME moves on Linux.
            Remove-Item Env:SWIN2SR_JOBSTORE
            $saved = $env:XDG_DATA_HOME
            $env:XDG_DATA_HOME = Join-Path $root 'data'
            $default = Join-Path $root 'data/Swin2SR/jobs.db'
            try {
                Get-Swin2SRJob -ErrorVariable problems | Should -BeNullOrEmpty
                Get-Swin2SRJobItem 'night*' -ErrorVariable +problems | Should -BeNullOrEmpty
                $problems | Should -BeNullOrEmpty -Because 'someone who has run nothing yet has no jobs, which is no error'

                Get-Swin2SRJob nightly -ErrorVariable missing -ErrorAction SilentlyContinue
                Get-Swin2SRJobItem nightly -ErrorVariable +missing -ErrorAction SilentlyContinue
                Resume-Swin2SRJob nightly -ErrorVariable +missing -ErrorAction SilentlyContinue
                Stop-Swin2SRJob nightly -ErrorVariable +missing -ErrorAction SilentlyContinue
                Remove-Swin2SRJob nightly -Confirm:$false -ErrorVariable +missing -ErrorAction SilentlyContinue
                $missing | Should -HaveCount 5
                foreach ($problem in $missing) {
                    $problem.FullyQualifiedErrorId | Should -BeLike 'JobNotFound*'
                    $problem.Exception.Message | Should -BeLike "*'nightly'*'$default' does not exist yet*"
                }
                Test-Path -LiteralPath (Join-Path $root 'data') | Should -BeFalse

                $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly
                Test-Path -LiteralPath $default | Should -BeTrue
                (Get-Swin2SRJob).Name | Should -Be 'nightly'
            }
            finally { $env:XDG_DATA_HOME = $saved }
        }
    }

    Context 'tab completion' {
        It 'completes job names from the store that -JobStore names' {
            $other = Join-Path $root 'other.db'
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -JobStore $other
            $line = "Get-Swin2SRJob -JobStore '$other' -Name nig"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'nightly'
        }

        It 'completes job names from a -JobStore typed relative to the current location, as the command reads it' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -JobStore (Join-Path $root 'other.db')
            # Set-Location leaves the process's folder where pwsh started: a path read from there names no store.
            Push-Location -LiteralPath $root
            try {
                $line = 'Get-Swin2SRJob -JobStore ./other.db -Name nig'
                (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'nightly'
            }
            finally { Pop-Location }
        }

        It 'completes a job name that is no bare word so that the command line reads it back as that name' {
            $image = New-TestImage (Join-Path $in 'a.png')
            $names = 'night run', "owner's", 'cost$x', 'a;b', 'nightly', 'Nächtlich'
            foreach ($name in $names) {
                $null = $image | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $out $names.IndexOf($name)) -JobName $name -QueueOnly
            }
            $line = 'Get-Swin2SRJob '
            $texts = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
            $texts | Should -HaveCount $names.Count
            $texts | Should -Contain 'nightly' -Because 'a bare word needs no quotes'
            # What Tab inserts must name the job when the line runs, not open a string, expand $x or end the command.
            foreach ($text in $texts) {
                (Invoke-Expression "Get-Swin2SRJob -JobName $text").Name | Should -BeIn $names -Because "$text was completed"
            }
            (@($texts | ForEach-Object { (Invoke-Expression "Get-Swin2SRJob -JobName $_").Name }) | Sort-Object) | Should -Be ($names | Sort-Object)
        }

        It 'creates no store when the one named does not exist' {
            $null = New-TestImage (Join-Path $in 'a.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly
            $missing = Join-Path $root 'elsewhere/other.db'
            $line = "Get-Swin2SRJob -JobStore '$missing' -Name nig"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Not -Contain 'nightly'
            Test-Path -LiteralPath (Split-Path $missing) | Should -BeFalse
        }
    }

    Context 'scheduled and background runs' {
        It 'exits non-zero from a non-interactive run when an item failed, zero when all succeeded' {
            $null = New-TestImage (Join-Path $in 'good.png')
            $run = "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobName sched"
            $null = Invoke-ChildPwsh -Command (Get-WorkerCommand $store $run)
            $LASTEXITCODE | Should -Be 0
            Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
            $null = Invoke-ChildPwsh -Command (Get-WorkerCommand $store $run) 2>&1
            $LASTEXITCODE | Should -Be 1
        }

        It 'runs as a PowerShell job with -AsJob' {
            $null = New-TestImageSet $in 3
            $job = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName bg -AsJob
            $job | Should -BeOfType [System.Management.Automation.Job]
            $job.PSJobTypeName | Should -Be 'Swin2SRJob'
            (Get-Job -Id $job.Id).Name | Should -Be 'bg'
            $null = Wait-Job $job -Timeout 60
            $job.State | Should -Be 'Completed'
            $received = Receive-Job $job
            $received | Should -HaveCount 3
            $received.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            Remove-Job $job
        }

        It 'hands Receive-Job a bad image''s error as the command without -AsJob writes it, its id naming the command' {
            $null = New-TestImage (Join-Path $in 'good.png')
            Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'garbage'
            $job = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName bgerror -AsJob
            $null = Wait-Job $job -Timeout 60
            $null = Receive-Job $job -ErrorVariable problems -ErrorAction SilentlyContinue
            # about_Swin2SR's scripts match 'UnsupportedFormat,*'; a record made on the job's thread lacked the command.
            $problems.FullyQualifiedErrorId | Should -Be 'UnsupportedFormat,Swin2SR.PowerShell.Commands.InvokeSwin2SRUpscaleCommand'
            $problems.CategoryInfo.Activity | Should -Be 'Invoke-Swin2SRUpscale'
            $problems.TargetObject | Should -Be (Join-Path $in 'bad.png')
            Remove-Job $job
        }

        It 'fails with the reason in JobStateInfo.Reason, as a thread job does, when its run fails' {
            $null = New-TestImageSet $in 2
            $model = New-WrongScaleModel (Join-Path $root 'wrong-scale.onnx')
            $job = Invoke-Swin2SRUpscale -Path $in -Model $model -OutputDirectory $out -JobName failing -Device Cpu -AsJob
            $null = Wait-Job $job -Timeout 60
            $job.State | Should -Be 'Failed'
            $job.JobStateInfo.Reason.Message | Should -Match 'states scale 4, but it upscales x2'
            { Receive-Job $job -ErrorAction Stop } | Should -Throw -ErrorId 'ModelLoadFailed*'
            Remove-Job $job
        }

        It 'returns from Receive-Job after Stop-Job every image the job counts as done' {
            # Many quick images: some finish between the stop and the run's end, and others wait to be read.
            $null = New-TestImageSet $in 200
            $job = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName stopped -Device Cpu -AsJob
            Wait-Until { (Get-Swin2SRJob stopped).Succeeded -ge 20 -or $job.State -ne 'Running' }
            Stop-Job $job
            $job.State | Should -Be 'Stopped' -Because 'the job was still running when it was stopped'
            $received = Receive-Job $job
            $done = Get-Swin2SRJob stopped
            $done.Pending | Should -BeGreaterThan 0
            @($received | Where-Object Status -eq 'Succeeded').Count | Should -Be $done.Succeeded
            Get-OutputCount $out | Should -Be $done.Succeeded
            Remove-Job $job
        }

        It 'gives the images in flight back to the job when the session ends during a -AsJob run' {
            # Images keep finishing while the session ends and the run is stopped (10 to 30 of them were seen after the
            # second): enough that some are still to do then, on a quiet machine too (all of 40 were once done).
            $null = New-TestImageSet $in 120 -Width 128 -Height 128
            $run = "`$job = Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -JobName ended -TileSize 8 -TileOverlap 0 -BatchSize 1 -AsJob; " +
                "while ((Get-Swin2SRJob ended).Succeeded -lt 2) { Start-Sleep -Milliseconds 100 }; Write-Host `"at exit: `$(`$job.State)`""
            $said = "$(Invoke-ChildPwsh -Command (Get-WorkerCommand $store $run) 2>&1)"
            $LASTEXITCODE | Should -Be 0
            $said | Should -Match 'at exit: Running' -Because 'the session ended while the job still ran'
            $said | Should -Match "job 'ended' was interrupted by the end of its PowerShell session.*Resume-Swin2SRJob 'ended'"
            $job = Get-Swin2SRJob ended
            $job.Running | Should -Be 0 -Because 'an image left Running would be taken for one that crashes its worker'
            $job.Pending | Should -BeGreaterThan 0
            Get-LeftoverTempFile $out | Should -BeNullOrEmpty
            $null = Resume-Swin2SRJob ended -Device Cpu -WarningVariable warned
            $warned | Should -Not -Match 'Taking over images that a worker left unfinished'
            (Get-Swin2SRJob ended).State | Should -Be 'Completed'
            Get-OutputCount $out | Should -Be 120
        }

        It 'shows the command itself as the job''s Command, as Start-ThreadJob shows its script block' {
            $null = New-TestImageSet $in 1
            $job = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName cmdtext -AsJob; $null = Wait-Job $job -Timeout 60
            $job.Command | Should -BeExactly 'Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName cmdtext -AsJob'
            (Get-Job -Command 'Invoke-Swin2SRUpscale*').Id | Should -Contain $job.Id
            Remove-Job $job
        }

        It 'gives two -AsJob runs their own progress bar, so that receiving both does not show one over the other' {
            $null = New-TestImageSet (Join-Path $in 'a') 2
            $null = New-TestImageSet (Join-Path $in 'b') 2
            $jobs = 'a', 'b' | ForEach-Object {
                Invoke-Swin2SRUpscale -Path (Join-Path $in $_) -Model $NearestX2 -OutputDirectory (Join-Path $out $_) -JobName "bar-$_" -AsJob
            }
            $null = Wait-Job $jobs -Timeout 60
            $ids = $jobs | ForEach-Object { @($_.Progress.ActivityId | Sort-Object -Unique) }
            $ids | Should -HaveCount 2 -Because 'each run keeps one bar, from its first record to its last'
            $ids[0] | Should -Not -Be $ids[1]
            Remove-Job $jobs
        }

        It 'ends in state Stopped when Stop-Swin2SRJob stops its run, as after Stop-Job, with an error that says how to continue' {
            # The embedded Swin2SR model takes a good part of a second per image on a CPU: the run still works when
            # the stop, looked for every second, is seen (a test model did all 40 images within that second).
            $null = New-TestImageSet $in 40 -Width 128 -Height 128
            $job = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model swin2sr-tiny-x2 -OutputDirectory $out -JobName stoppedelsewhere -Device Cpu -AsJob
            Wait-Until { (Get-Swin2SRJob stoppedelsewhere).Succeeded -ge 1 -or $job.State -ne 'Running' }
            Stop-Swin2SRJob stoppedelsewhere
            $null = Wait-Job $job -Timeout 60
            (Get-Swin2SRJob stoppedelsewhere).Pending | Should -BeGreaterThan 0 -Because 'the run was stopped before it had done every image'
            $job.State | Should -Be 'Stopped' -Because 'its images are not all done, as after Stop-Job'
            $null = Receive-Job $job -ErrorVariable said -ErrorAction SilentlyContinue
            $said.FullyQualifiedErrorId | Should -Contain 'JobStopped,Swin2SR.PowerShell.Commands.InvokeSwin2SRUpscaleCommand'
            "$said" | Should -Match "Resume-Swin2SRJob 'stoppedelsewhere'"
            Remove-Job $job
        }

        It 'is removed by Receive-Job -Wait -AutoRemoveJob, as a thread job is' {
            $null = New-TestImageSet $in 2
            $job = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName autoremoved -AsJob
            (Get-Job -Name 'autorem*').Id | Should -Be $job.Id
            $received = $job | Receive-Job -Wait -AutoRemoveJob -ErrorVariable removeErrors
            $removeErrors | Should -BeNullOrEmpty
            $received | Should -HaveCount 2
            Get-Job -Id $job.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }
}
