BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # One throwaway server for this file (fails with what to install when PostgreSQL is missing).
    $script:Server = & (Join-Path $PSScriptRoot 'Start-TestPostgres.ps1')

    function Invoke-Psql([string] $Sql) {
        $line = $Server.Psql
        $null = & $line[0] $line[1..($line.Count - 1)] -c $Sql
        if ($LASTEXITCODE -ne 0) { throw "psql failed on: $Sql" }
    }

    # A database of its own for each test, so jobs and schema never leak between tests.
    function New-TestDatabase {
        $name = 'p' + [Guid]::NewGuid().ToString('N').Substring(0, 12)
        Invoke-Psql "CREATE DATABASE $name"
        Invoke-Psql "GRANT CONNECT, CREATE ON DATABASE $name TO $($Server.PasswordRole)"
        [pscustomobject]@{ Name = $name; Store = "Host=127.0.0.1;Port=$($Server.Port);Username=postgres;Database=$name" }
    }

    function Start-Worker([string] $Store, [string] $Command) { Start-ChildPwsh (Get-WorkerCommand $Store $Command) }

    # The items a worker process holds right now (its worker id is host:pid:suffix).
    function Get-HeldItem([string] $Job, [string] $Store, [int] $ProcessId) {
        @(Get-Swin2SRJobItem $Job -Status Running -JobStore $Store | Where-Object Worker -like "*:${ProcessId}:*")
    }

    # Once the job is under way, freezes every worker at once, so what each holds stays put, and returns one that
    # holds items. Fails with what every worker printed when the job gets past that point without one.
    function Stop-AtFirstHolder([object[]] $Workers, [string] $Job, [string] $Store) {
        Wait-Until { (Get-Swin2SRJob $Job -JobStore $Store).Succeeded -ge 1 -or @($Workers | Where-Object HasExited).Count -gt 0 } -TimeoutSeconds 120
        $running = @($Workers | Where-Object { -not $_.HasExited })
        foreach ($w in $running) { & kill -STOP $w.Id }
        $holder = $running | Where-Object { (Get-HeldItem $Job $Store $_.Id).Count -gt 0 } | Select-Object -First 1
        if ($holder) { return $holder }
        $summary = Get-Swin2SRJob $Job -JobStore $Store
        $states = $Workers | ForEach-Object {
            "pid $($_.Id): " + $(if ($_.HasExited) { "exited $($_.ExitCode): $($_.StdErr.Result)" } else { 'running' })
        }
        throw "No worker held items once the job was under way (pending $($summary.Pending), succeeded $($summary.Succeeded)); $($states -join '; ')"
    }

    function Assert-SameBytes([string] $Folder, [string] $Reference) {
        foreach ($file in Get-ChildItem -LiteralPath $Folder -File -Force) {
            (Get-FileHash -LiteralPath $file.FullName).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $Reference $file.Name)).Hash -Because $file.Name
        }
    }
}

AfterAll {
    if ($Server) {
        & $Server.Stop[0] $Server.Stop[1..($Server.Stop.Count - 1)] | Out-Null
        Remove-Item -LiteralPath $Server.Directory -Recurse -Force -ErrorAction SilentlyContinue
    }
}

Describe 'A job shared through PostgreSQL' {
    BeforeEach {
        $root = New-TestFolder
        $in = Join-Path $root 'in'
        $out = Join-Path $root 'out'
        $db = New-TestDatabase
    }
    AfterEach {
        Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue
    }

    It 'shares one job between three worker processes, one killed mid-way: each item done once, outputs byte-equal, its lease taken over' {
        # Enough images that the job still has unclaimed ones when the victim dies: a worker's pipeline holds dozens.
        $count = 300
        $null = New-TestImageSet $in $count -Width 32 -Height 32
        # Tiny tiles and batches: each image takes many inference calls, so the workers overlap long enough.
        $shape = @{ Model = $NearestX4; TileSize = 8; TileOverlap = 0; BatchSize = 1 }
        $reference = Join-Path $root 'reference'
        $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale @shape -OutputDirectory $reference -JobName reference -JobStore (Join-Path $root 'reference.db')
        $queued = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale @shape -OutputDirectory $out -JobName fleet -JobStore $db.Store -QueueOnly
        $queued.Pending | Should -Be $count

        $workers = 1..3 | ForEach-Object { Start-Worker $db.Store 'Resume-Swin2SRJob fleet' }
        try {
            # The victim is a worker holding items once the job is under way: the three start in whatever order
            # their processes come up, and one that starts late may find everything claimed. Frozen, it finishes
            # nothing more: what it holds now is exactly what it loses.
            $victim = Stop-AtFirstHolder $workers fleet $db.Store
            $held = Get-HeldItem fleet $db.Store $victim.Id
            $victim.Kill()
            $victim.WaitForExit()
            # The others take its leases over, whether items are still pending or they had run dry and stayed for it.
            $workers | Where-Object { $_.Id -ne $victim.Id -and -not $_.HasExited } | ForEach-Object { & kill -CONT $_.Id }

            $survivors = @($workers | Where-Object Id -ne $victim.Id)
            foreach ($w in $survivors) { $w.WaitForExit(240000) | Should -BeTrue }
            $survivors.ExitCode | Should -Be @(0, 0) -Because "$($survivors.StdErr.Result)"
            $items = Get-Swin2SRJobItem fleet -JobStore $db.Store
            $items | Should -HaveCount $count
            $items.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            $heldPaths = $held.InputPath
            ($items | Where-Object InputPath -in $heldPaths).Attempts | Sort-Object -Unique | Should -Be 2 -Because "the killed worker's leases were taken over"
            ($items | Where-Object InputPath -notin $heldPaths).Attempts | Sort-Object -Unique | Should -Be 1
            $job = Get-Swin2SRJob fleet -JobStore $db.Store
            $job.State | Should -Be 'Completed'
            $job.Workers | Should -BeNullOrEmpty
            Get-LeftoverTempFile $out | Should -BeNullOrEmpty
            Get-OutputCount $out | Should -Be $count
            Assert-SameBytes $out $reference
        }
        finally { $workers | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill() } }
    }

    It 'shares a small job with a worker that starts after the first one has claimed all of it' {
        $count = 24
        $null = New-TestImageSet $in $count -Width 96 -Height 96
        $null = Get-ChildItem -LiteralPath $in -File |
            Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out -JobName small -JobStore $db.Store -QueueOnly -TileSize 8 -TileOverlap 0 -BatchSize 1
        $countOf = { param($name) Join-Path $root "$name.count" }
        $first = Start-Worker $db.Store "@(Resume-Swin2SRJob small).Count | Set-Content '$(& $countOf first)'"
        $late = $null
        try {
            # Frozen once it works, the first worker holds the whole job: what it has begun, and the rest queued.
            Wait-Until { @(Get-Swin2SRJobItem small -Status Pending -JobStore $db.Store | Where-Object { -not $_.Worker }).Count -eq 0 } -TimeoutSeconds 120
            & kill -STOP $first.Id
            $items = Get-Swin2SRJobItem small -JobStore $db.Store
            $queued = @($items | Where-Object { $_.Status -eq 'Pending' -and $_.Worker })
            $queued.Count | Should -BeGreaterThan 2

            $late = Start-Worker $db.Store "@(Resume-Swin2SRJob small).Count | Set-Content '$(& $countOf late)'"
            # The late worker takes half of that queue again and again, down to one image, while the first sleeps.
            Wait-Until { @(Get-Swin2SRJobItem small -Status Pending -JobStore $db.Store | Where-Object Worker -like "*:$($first.Id):*").Count -le 1 } -TimeoutSeconds 120
            & kill -CONT $first.Id

            foreach ($w in $first, $late) { $w.WaitForExit(240000) | Should -BeTrue }
            @($first.ExitCode, $late.ExitCode) | Should -Be @(0, 0) -Because "$($first.StdErr.Result) $($late.StdErr.Result)"
            $done = @{ first = [int](Get-Content (& $countOf first)); late = [int](Get-Content (& $countOf late)) }
            $done.late | Should -BeGreaterOrEqual ([Math]::Floor($queued.Count / 2)) -Because 'the late worker took over at least the first half it was offered'
            $done.first + $done.late | Should -Be $count -Because 'each image was reported by one worker only'
            $items = Get-Swin2SRJobItem small -JobStore $db.Store
            $items.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            $items.Attempts | Sort-Object -Unique | Should -Be 1
            Get-OutputCount $out | Should -Be $count
        }
        finally { $first, $late | Where-Object { $_ -and -not $_.HasExited } | ForEach-Object { & kill -CONT $_.Id; $_.Kill() } }
    }

    It 'keeps working through a database restart: workers pause, reconnect and lose nothing' {
        $count = 200
        $null = New-TestImageSet $in $count -Width 24 -Height 24
        $null = Get-ChildItem -LiteralPath $in -File |
            Invoke-Swin2SRUpscale -Model $NearestX4 -OutputDirectory $out -JobName steady -JobStore $db.Store -QueueOnly -TileSize 8 -TileOverlap 0 -BatchSize 1
        $workers = 1..2 | ForEach-Object { Start-Worker $db.Store 'Resume-Swin2SRJob steady' }
        try {
            Wait-Until { (Get-OutputCount $out) -ge 2 } -TimeoutSeconds 120
            & $Server.Restart[0] $Server.Restart[1..($Server.Restart.Count - 1)] | Out-Null
            $LASTEXITCODE | Should -Be 0
            $doneAtRestart = Get-OutputCount $out
            $doneAtRestart | Should -BeLessThan $count -Because 'the restart must land while the job runs'

            foreach ($w in $workers) { $w.WaitForExit(240000) | Should -BeTrue }
            $workers.ExitCode | Should -Be @(0, 0) -Because "$($workers.StdErr.Result)"
            $items = Get-Swin2SRJobItem steady -JobStore $db.Store
            $items.Status | Sort-Object -Unique | Should -Be 'Succeeded'
            $items.Attempts | Sort-Object -Unique | Should -Be 1
            (Get-Swin2SRJob steady -JobStore $db.Store).State | Should -Be 'Completed'
            Get-OutputCount $out | Should -Be $count
        }
        finally { $workers | Where-Object { -not $_.HasExited } | ForEach-Object { $_.Kill() } }
    }

    It 'maps the recorded paths to where this host sees the share with -PathMap' {
        # The job is queued where the share is 'site-a'; this worker sees the same files under 'site-b'.
        $siteA = Join-Path $root 'site-a'
        $siteB = Join-Path $root 'site-b'
        $files = New-TestImageSet (Join-Path $siteA 'in') 3
        $null = $files | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory (Join-Path $siteA 'out') -JobName mapped -JobStore $db.Store -QueueOnly
        Move-Item -LiteralPath $siteA -Destination $siteB

        { Resume-Swin2SRJob mapped -JobStore $db.Store -PathMap 'no-equals-sign' } | Should -Throw -ErrorId 'InvalidPathMap*'
        $results = Resume-Swin2SRJob mapped -JobStore $db.Store -PathMap "$siteA=$siteB"
        $results.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        $results.InputPath | Sort-Object | Should -Be ($files.Name | ForEach-Object { Join-Path $siteB 'in' $_ })
        Get-OutputCount (Join-Path $siteB 'out') | Should -Be 3
        Test-Path -LiteralPath $siteA | Should -BeFalse
        (Get-Swin2SRJobItem mapped -JobStore $db.Store).InputPath | Sort-Object | Should -Be ($files.FullName | Sort-Object) -Because 'the job keeps the paths as given'
    }

    It 'reads a database that no run has used yet as a store without jobs, giving it the schema as before' {
        Get-Swin2SRJob -JobStore $db.Store -ErrorVariable problems | Should -BeNullOrEmpty
        $problems | Should -BeNullOrEmpty -Because 'a database is not a file: it exists, and the job cmdlets set up its schema'
        { Stop-Swin2SRJob nightly -JobStore $db.Store -ErrorAction Stop } | Should -Throw -ErrorId 'JobNotFound*'
    }

    It 'logs in with -Credential and never shows the password' {
        $secret = ConvertTo-SecureString $Server.Password -AsPlainText -Force
        $credential = [pscredential]::new($Server.PasswordRole, $secret)
        $store = "Host=127.0.0.1;Port=$($Server.Port);Database=$($db.Name)"
        $file = New-TestImage (Join-Path $in 'a.png')
        $result = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName secure -JobStore $store -Credential $credential
        $result.Status | Should -Be 'Succeeded'
        $job = Get-Swin2SRJob secure -JobStore $store -Credential $credential
        $job.Store | Should -Match "Username=$($Server.PasswordRole)"
        $job.Store | Should -Not -Match $Server.Password

        $wrong = [pscredential]::new($Server.PasswordRole, (ConvertTo-SecureString "wrong-$($Server.Password)" -AsPlainText -Force))
        $failure = { Get-Swin2SRJob -JobStore $store -Credential $wrong } | Should -Throw -ErrorId 'JobStoreAccessDenied*' -PassThru
        $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
        "$($failure.Exception.Message) $($failure.TargetObject)" | Should -Not -Match "wrong-"
        { Get-Swin2SRJob -JobStore (Join-Path $root 'jobs.db') -Credential $credential } | Should -Throw -ErrorId 'CredentialNotApplicable*'
    }

    It 'names a generated job with a command that works when pasted, asking for a password it never shows' -ForEach @(
        @{ From = '-Credential'; WithPassword = $false }, @{ From = 'the connection string'; WithPassword = $true }
    ) {
        $credential = [pscredential]::new($Server.PasswordRole, (ConvertTo-SecureString $Server.Password -AsPlainText -Force))
        $store = "Host=127.0.0.1;Port=$($Server.Port);Database=$($db.Name)"
        $login = if ($WithPassword) { @{ JobStore = "$store;Username=$($Server.PasswordRole);Password=$($Server.Password)" } }
            else { @{ JobStore = $store; Credential = $credential } }
        $file = New-TestImage (Join-Path $in 'a.png')
        $null = $file | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out @login -InformationVariable told 6>$null
        $hint = [regex]::Match("$told", "\((Get-Swin2SRJob .*) shows it;").Groups[1].Value
        $hint | Should -Match "-Credential \(Get-Credential -UserName '$($Server.PasswordRole)'\)"
        "$told" | Should -Not -Match ([regex]::Escape($Server.Password))
        # Pasted, the command prompts for the password: here the prompt answers with the credential.
        function Get-Credential([string] $UserName) { [pscredential]::new($UserName, $credential.Password) }
        (Invoke-Expression $hint).Succeeded | Should -Be 1
    }
}
