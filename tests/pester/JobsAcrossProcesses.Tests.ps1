# Jobs shared by several processes: two runs of one job, signals, a rerun handing its inputs to a live run, stopping
# a run from another session. Split from Jobs.Tests.ps1, which covers one process's runs.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Jobs across processes' {
    BeforeEach { $root, $in, $out, $store = New-JobTestFolder }
    AfterEach { Remove-JobTestFolder $root }

    Context 'across processes' {
        BeforeAll {
            $script:backlogOptions = @{ Model = $NearestX2; JobName = 'backlog'; TileSize = 8; TileOverlap = 0; BatchSize = 1 }

            # $Count copies in $in of an image of 4096 tiny tiles, long enough to upscale for a run of them to be handed
            # more; the command line of that run of job 'backlog'. The image is flat: its outputs take no room.
            function New-Backlog([int] $Count) {
                $null = New-Item -ItemType Directory -Force $in
                $image = Join-Path $root 'large.png'
                $flat = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgb24]]::new(512, 512)
                try { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($flat, $image) } finally { $flat.Dispose() }
                foreach ($i in 1..$Count) { Copy-Item -LiteralPath $image (Join-Path $in ('img{0:D4}.png' -f $i)) }
                $script:backlogOptions.OutputDirectory = $out
                "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX2' -OutputDirectory '$out' -JobName backlog -TileSize 8 -TileOverlap 0 -BatchSize 1"
            }

            # Until the run of job 'backlog' has registered its worker, or $Ended says it ended.
            function Wait-BacklogWorker([scriptblock] $Ended) {
                Wait-Until { (& $Ended) -or ((Test-Path -LiteralPath $store) -and ($job = Get-Swin2SRJob backlog -ErrorAction SilentlyContinue) -and $job.Workers.Count -eq 1) }
                if (& $Ended) { throw "The backlog's run ended before it could be handed more." }
            }

            # The backlog's run in a child process, returned once its worker is registered.
            function Start-Backlog([int] $Count, [switch] $ShowVerbose) {
                $worker = Start-ChildPwsh (Get-WorkerCommand $store "$(New-Backlog $Count)$(if ($ShowVerbose) { ' -Verbose' })")
                Wait-BacklogWorker { $worker.HasExited }
                $worker
            }
        }

        It 'ends a rerun at once, loading no model, when another live run holds every image left (a cron run over a hot folder)' {
            $options = @{ Model = $NearestX4; OutputDirectory = $out; JobName = 'tail'; TileSize = 8; TileOverlap = 0; BatchSize = 1 }
            $null = New-TestImageSet $in 2 -Width 8 -Height 8
            $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale @options
            # Tiny tiles make each large image hundreds of runs: the earlier run still holds them when the next starts.
            foreach ($i in 1..3) { $null = New-TestImage (Join-Path $in "large$i.png") -Width 128 -Height 128 -Seed $i }
            $worker = Start-ChildPwsh (Get-WorkerCommand $store "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -JobName tail -TileSize 8 -TileOverlap 0 -BatchSize 1")
            try {
                Wait-Until { ($job = Get-Swin2SRJob tail -ErrorAction SilentlyContinue) -and $job.Pending -eq 0 -and $job.Running -eq 3 }
                $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale @options -Verbose -WarningVariable said 4>&1
                ($rerun | Where-Object ErrorId -eq 'AlreadyDone').Count | Should -Be 2
                @($rerun | Where-Object Status -eq 'Succeeded') | Should -BeNullOrEmpty
                @(($rerun | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message) -match '^Running on' | Should -BeNullOrEmpty
                "$said" | Should -Match "other 3 images are being upscaled by another run \([^)]*:$($worker.Id)\)"
                $worker.HasExited | Should -BeFalse -Because 'the earlier run goes on with its images'
            }
            finally {
                Stop-Swin2SRJob tail -ErrorAction SilentlyContinue
                if (-not $worker.WaitForExit(15000)) { $worker.Kill() }
            }
        }

        It 'hands a rerun''s new inputs to the live run of the job on this computer, loading no model, and that run does them (a cron run over a hot folder during a backlog)' {
            $worker = Start-Backlog 150 -ShowVerbose
            try {
                foreach ($i in 1..3) { $null = New-TestImage (Join-Path $in "new$i.png") -Width 64 -Height 64 -Seed (100 + $i) }
                # The hot folder's next cron run: the backlog (some of it done by now) and the images that arrived since.
                $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale @backlogOptions -Verbose -WarningVariable said 4>&1
                @(($rerun | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message) -match '^Running on' | Should -BeNullOrEmpty -Because 'it loads no model'
                "$said" | Should -Not -Match 'Running on the CPU'
                "$said" | Should -Match "another run on this computer \([^)]*:$($worker.Id)\) with the same options and devices: this run handed it its 3 new images and ends without loading a model of its own\. Get-Swin2SRJob 'backlog' shows their progress"
                $results = @($rerun | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] })
                $results | ForEach-Object { $_.ErrorId | Should -Be 'AlreadyDone' }
                $worker.HasExited | Should -BeFalse -Because 'the live run goes on, with the new images'

                $worker.WaitForExit(120000) | Should -BeTrue
                $worker.ExitCode | Should -Be 0
                $worker.StdOut.Result | Should -Match "Images were added to job 'backlog' while this run worked on it: its progress counts them too" -Because 'its progress does not pass 100%'
                $items = Get-Swin2SRJobItem backlog
                $items | Should -HaveCount 153
                $items.Status | Sort-Object -Unique | Should -Be 'Succeeded'
                $items.Attempts | Sort-Object -Unique | Should -Be 1
                Get-OutputCount $out | Should -Be 153
            }
            finally { if (-not $worker.HasExited) { $worker.Kill() } }
        }

        It 'counts the images handed to a live run in its progress, which never says more done than its total nor all done before it is' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModulePath'; $(New-Backlog 150)")
                $running = $ps.BeginInvoke()
                Wait-BacklogWorker { $running.IsCompleted }
                foreach ($i in 1..3) { $null = New-TestImage (Join-Path $in "new$i.png") -Width 64 -Height 64 -Seed (100 + $i) }
                $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale @backlogOptions -WarningVariable said
                "$said" | Should -Match 'this run handed it its 3 new images'
                $null = $ps.EndInvoke($running)
                $records = @($ps.Streams.Progress | Where-Object RecordType -ne 'Completed')
                foreach ($record in $records) {
                    $record.StatusDescription -match '^(\d+) of (\d+) done' | Should -BeTrue -Because $record.StatusDescription
                    $done, $total = [int]$Matches[1], [int]$Matches[2]
                    $done | Should -BeLessOrEqual $total
                    $total | Should -BeLessOrEqual 153
                    if ($done -lt 153) { $done | Should -BeLessThan $total -Because "'$($record.StatusDescription)' said all was done with 3 images handed to it still to do" }
                    $record.PercentComplete | Should -BeLessOrEqual 100
                }
                $records[-1].StatusDescription | Should -Match '^153 of 153 done'
            }
            finally {
                $ps.Stop()
                $ps.Dispose()
            }
        }

        It 'does not hand a rerun''s inputs to a live run of the job with <Difference>: it loads its model and runs them' -ForEach @(
            @{ Difference = 'another -TileSize, which would upscale them otherwise'; Changed = @{ TileSize = 16 } }
            @{ Difference = 'another device request (-Device Cpu where it asked for Auto)'; Changed = @{ Device = 'Cpu' } }
        ) {
            $worker = Start-Backlog 150
            try {
                $new = New-TestImage (Join-Path $in 'new.png') -Width 64 -Height 64 -Seed 100
                $options = $backlogOptions.Clone()
                $Changed.GetEnumerator() | ForEach-Object { $options[$_.Key] = $_.Value }
                $rerun = $new | Invoke-Swin2SRUpscale @options -Verbose -WarningVariable said 4>&1
                $verbose = @(($rerun | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Message)
                $verbose -match '^Running on' | Should -Not -BeNullOrEmpty
                "$said" | Should -Not -Match 'handed it'
                # It shared the job with the live run, which was there to hand them to all along: it upscaled some of the
                # backlog too, or, finding none left to claim, took over or waited for what that run held. (Which of the
                # two runs dry first, and so which says it waits, is down to timing.)
                $backlogDone = @($rerun | Where-Object { $_ -isnot [Management.Automation.VerboseRecord] -and $_.InputPath -ne $new.FullName })
                $waited = $verbose -match 'Took \d+ queued images? over|staying until the other workers finish'
                ($backlogDone.Count -gt 0 -or $waited.Count -gt 0) | Should -BeTrue -Because 'the backlog''s run still worked on the job when this run added its input'
                $worker.WaitForExit(120000) | Should -BeTrue
                (Get-Swin2SRJobItem backlog).Status | Sort-Object -Unique | Should -Be 'Succeeded'
                Get-OutputCount $out | Should -Be 151
            }
            finally { if (-not $worker.HasExited) { $worker.Kill() } }
        }

        It 'shows a running job from another process and stops it from here' {
            # Tiny tiles make each image hundreds of runs: the job is still running when it is stopped.
            $null = New-TestImageSet $in 150 -Width 128 -Height 128
            $worker = Start-ChildPwsh (Get-WorkerCommand $store "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -JobName watched -TileSize 8 -TileOverlap 0 -BatchSize 1")
            try {
                # The worker creates the store: until then there is none to read.
                Wait-Until { (Test-Path -LiteralPath $store) -and (Get-Swin2SRJob watched -ErrorAction SilentlyContinue).Succeeded -ge 5 }
                $running = Get-Swin2SRJob watched
                $running.State | Should -Be 'Running'
                $running.Workers | Should -HaveCount 1
                $running.Workers[0] | Should -Match ":$($worker.Id) "
                $running.Succeeded | Should -BeGreaterThan 0
                $running.ImagesPerSecond | Should -BeGreaterThan 0
                Stop-Swin2SRJob watched
                $worker.WaitForExit(15000) | Should -BeTrue
                $worker.ExitCode | Should -Be 1 -Because 'a stopped run did not finish its images: a scheduler must not record it as done'
                $worker.StdErr.Result + $worker.StdOut.Result | Should -Match 'stopped by Stop-Swin2SRJob before this run finished'
                $stopped = Get-Swin2SRJob watched
                $stopped.State | Should -Be 'Stopped'
                $stopped.Running | Should -Be 0
                $stopped.Pending | Should -BeGreaterThan 0
                Get-LeftoverTempFile $out | Should -BeNullOrEmpty
                $null = Resume-Swin2SRJob watched
                (Get-Swin2SRJob watched).State | Should -Be 'Completed'
                Get-OutputCount $out | Should -Be 150
            }
            finally { if (-not $worker.HasExited) { $worker.Kill() } }
        }

        It 'gives the images in flight back to the job when <Signal> ends a run (systemd stop, timeout, a closed session)' -Skip:$IsWindows -ForEach @(
            @{ Signal = 'TERM'; ExitCode = 143 }, @{ Signal = 'HUP'; ExitCode = 129 }
        ) {
            # Under nohup the tests' process ignores SIGHUP, and the child inherits that (bit 0 of SigIgn): the signal
            # never reaches the run, which goes on to finish (exit 0), as nohup asks.
            $ignored = (Get-Content /proc/self/status -ErrorAction Ignore) -match '^SigIgn:' -replace '^SigIgn:\s*', ''
            if ($Signal -eq 'HUP' -and $ignored -and ([Convert]::ToUInt64("$ignored", 16) -band 1)) {
                Set-ItResult -Skipped -Because 'this process ignores SIGHUP (started under nohup), and so would the run'
                return
            }
            $null = New-TestImageSet $in 150 -Width 128 -Height 128
            $worker = Start-ChildPwsh (Get-WorkerCommand $store "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -JobName signalled -TileSize 8 -TileOverlap 0 -BatchSize 1")
            try {
                Wait-Until { (Test-Path -LiteralPath $store) -and (Get-Swin2SRJob signalled -ErrorAction SilentlyContinue).Succeeded -ge 3 }
                & kill -s $Signal $worker.Id
                $worker.WaitForExit(30000) | Should -BeTrue
                $worker.ExitCode | Should -Be $ExitCode -Because 'the process still ends as the signal asks, so the scheduler records it'
                $worker.StdErr.Result | Should -Match "job 'signalled' was interrupted by SIG$Signal.*Resume-Swin2SRJob 'signalled'"
                $job = Get-Swin2SRJob signalled
                $job.Running | Should -Be 0 -Because 'an image left Running would be taken for one that crashes its worker'
                $job.Pending | Should -BeGreaterThan 0
                Get-LeftoverTempFile $out | Should -BeNullOrEmpty
                $null = Resume-Swin2SRJob signalled -WarningVariable said
                $said | Should -Not -Match 'Taking over images that a worker left unfinished'
                (Get-Swin2SRJob signalled).State | Should -Be 'Completed'
                Get-OutputCount $out | Should -Be 150
            }
            finally { if (-not $worker.HasExited) { $worker.Kill() } }
        }

        It 'says so in the run''s output when Remove-Swin2SRJob -Force removed its job while it ran' {
            # Tiny tiles keep the worker busy: the job is removed mid-run, and the run then ends early.
            $null = New-TestImageSet $in 60 -Width 128 -Height 128
            $worker = Start-ChildPwsh (Get-WorkerCommand $store "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -Model '$NearestX4' -OutputDirectory '$out' -JobName removed -TileSize 8 -TileOverlap 0 -BatchSize 1")
            try {
                Wait-Until { (Test-Path -LiteralPath $store) -and (Get-Swin2SRJob removed -ErrorAction SilentlyContinue).Succeeded -ge 2 }
                Remove-Swin2SRJob removed -Force -Confirm:$false
                $worker.WaitForExit(30000) | Should -BeTrue
                Get-OutputCount $out | Should -BeLessThan 60 -Because 'the run ended early, without the job'
                $worker.ExitCode | Should -Be 1 -Because 'the run did not finish its images'
                $worker.StdErr.Result + $worker.StdOut.Result | Should -Match "Job 'removed' was removed \(Remove-Swin2SRJob -Force\) while this run worked on it"
            }
            finally { if (-not $worker.HasExited) { $worker.Kill() } }
        }

        It 'shares one job between two concurrent Resume processes, each item processed once' {
            $null = New-TestImageSet $in 80 -Width 40 -Height 40
            $queued = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out -JobName shared -QueueOnly -TileSize 8 -TileOverlap 0 -BatchSize 1
            $queued.Pending | Should -Be 80
            Get-OutputCount $out | Should -Be 0
            $workers = 1..2 | ForEach-Object { Start-ChildPwsh (Get-WorkerCommand $store "Resume-Swin2SRJob shared") }
            try {
                foreach ($w in $workers) { $w.WaitForExit(120000) | Should -BeTrue }
                $workers.ExitCode | Should -Be @(0, 0)
                $items = Get-Swin2SRJobItem shared
                $items | Should -HaveCount 80
                $items.Status | Sort-Object -Unique | Should -Be 'Succeeded'
                $items.Attempts | Sort-Object -Unique | Should -Be 1
                (Get-Swin2SRJob shared).State | Should -Be 'Completed'
                Get-OutputCount $out | Should -Be 80
            }
            finally { $workers | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill() } }
        }

        It 'gives up an image that its worker was lost on three times, as WorkerLost, so the job finishes; -RetryFailed tries it again' {
            $null = New-TestImageSet $in 4
            # Stands in for an image that crashes its worker: with the real model it is in hand for seconds, long
            # enough to kill the worker then, as a native crash in a decoder or in ONNX Runtime would end it.
            $poison = New-TestImage (Join-Path $in 'poison.png') -Width 600 -Height 600
            $model = Join-Path $RepoRoot 'models/swin2sr-tiny-x4.onnx'
            $first = "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -JobName poison -Model '$model' -OutputDirectory '$out' -MinConsistencyPsnr 0"
            foreach ($loss in 1..3) {
                $worker = Start-ChildPwsh (Get-WorkerCommand $store ($(if ($loss -eq 1) { $first } else { 'Resume-Swin2SRJob poison' })))
                # The worker takes every core: at a lower priority it leaves this process enough to watch and kill it.
                $worker.PriorityClass = 'BelowNormal'
                try {
                    # The first worker creates the store: until then there is none to read.
                    Wait-Until { $worker.HasExited -or ((Test-Path -LiteralPath $store) -and (Get-Swin2SRJobItem poison -Status Running -ErrorAction Ignore | Where-Object { $_.InputPath -eq $poison.FullName -and $_.Worker -match ":$($worker.Id):" })) }
                    # The child's output is read only once it has exited: reading it sooner waits for the child to end.
                    if ($worker.HasExited) { throw "Loss $loss must land while the image is in hand, but the worker ended: $($worker.StdOut.Result) $($worker.StdErr.Result)" }
                }
                finally { $worker.Kill(); $worker.WaitForExit() }
            }

            $results = Resume-Swin2SRJob poison -ErrorVariable failures -ErrorAction SilentlyContinue
            $failures | Should -HaveCount 1
            $failures[0].FullyQualifiedErrorId | Should -Match '^WorkerLost'
            $failures[0].CategoryInfo.Category | Should -Be 'OperationStopped'
            $failures[0].TargetObject | Should -Be $poison.FullName
            $failures[0].ToString() | Should -Match 'poison\.png.*3 times.*-RetryFailed'
            ($results | Where-Object InputPath -eq $poison.FullName).ErrorId | Should -Be 'WorkerLost'
            $job = Get-Swin2SRJob poison
            $job.State | Should -Be 'CompletedWithErrors'
            ($job.Succeeded, $job.Failed) | Should -Be @(4, 1)
            Test-Path -LiteralPath (Join-Path $out 'poison.png') | Should -BeFalse
            Get-LeftoverTempFile $out | Should -BeNullOrEmpty

            $retried = Resume-Swin2SRJob poison -RetryFailed
            $retried.Status | Should -Be 'Succeeded'
            (Get-TestImageSize (Join-Path $out 'poison.png')).Width | Should -Be 2400
            (Get-Swin2SRJob poison).State | Should -Be 'Completed'
        }

        It 'survives SIGKILL at random moments: every output exactly once, byte-equal to an uninterrupted run' {
            $count = 300
            $null = New-TestImageSet $in $count -Width 48 -Height 48
            $reference = Join-Path $root 'reference'
            # Tiny tiles and batches make each image take many inference calls: the run lasts long enough to kill.
            $null = Get-ChildItem -LiteralPath $in -File |
                Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $reference -TileSize 8 -TileOverlap 0 -BatchSize 1 -JobName reference -JobStore (Join-Path $root 'reference.db')
            Get-OutputCount $reference | Should -Be $count

            $random = [Random]::new(20261129)
            $first = "Get-ChildItem -LiteralPath '$in' -File | Invoke-Swin2SRUpscale -JobName crash -Model '$NearestX4' -OutputDirectory '$out' -TileSize 8 -TileOverlap 0 -BatchSize 1"
            $kills = 0
            while ($kills -lt 10) {
                $before = Get-OutputCount $out
                $worker = Start-ChildPwsh (Get-WorkerCommand $store ($(if ($kills -eq 0) { $first } else { 'Resume-Swin2SRJob crash' })))
                # Kill mid-run: after a random number of further outputs plus a random few milliseconds.
                $target = [Math]::Min($count - 1, $before + $random.Next(5, 25))
                Wait-Until { (Get-OutputCount $out) -ge $target -or $worker.HasExited }
                Start-Sleep -Milliseconds $random.Next(0, 40)
                $worker.HasExited | Should -BeFalse -Because "kill $kills must land while the job still runs"
                $worker.Kill()
                $worker.WaitForExit()
                $kills++
            }
            (Get-Swin2SRJob crash).State | Should -Be 'Interrupted'
            $final = Start-ChildPwsh (Get-WorkerCommand $store 'Resume-Swin2SRJob crash')
            $final.WaitForExit(180000) | Should -BeTrue
            $final.ExitCode | Should -Be 0

            $job = Get-Swin2SRJob crash
            $job.State | Should -Be 'Completed'
            $job.Succeeded | Should -Be $count
            Get-LeftoverTempFile $out | Should -BeNullOrEmpty
            $outputs = Get-ChildItem -LiteralPath $out -File -Force
            $outputs | Should -HaveCount $count
            foreach ($file in $outputs) {
                (Get-FileHash -LiteralPath $file.FullName).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $reference $file.Name)).Hash -Because $file.Name
            }
        }
    }
}
