# The device choice a job is started with (-Device, -DeviceId, -Precision), recorded for Resume-Swin2SRJob: a nightly
# job resumed by cron after a reboot runs where and how it was started, in a process of its own.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # Resume-Swin2SRJob as cron runs it, in a new process: a line per result (name, status, precision), then its warnings.
    function Invoke-CronResume([string] $Arguments) {
        $command = "Import-Module '$ModulePath'; Resume-Swin2SRJob nightly $Arguments -WarningVariable said -WarningAction SilentlyContinue -ErrorAction SilentlyContinue |" +
            ' ForEach-Object { "RESULT $($_.Name) $($_.Status) $($_.Precision)" }; $said | ForEach-Object { "WARNING $($_.Message)" }'
        Invoke-ChildPwsh -Command $command
    }
}

Describe 'Devices recorded with a job' {
    BeforeEach {
        $root, $in, $out, $store = New-JobTestFolder
        # One image to upscale, one that fails: -RetryFailed gives a later Resume something to run.
        $null = New-TestImage (Join-Path $in 'a.png')
        [IO.File]::WriteAllBytes((Join-Path $in 'bad.png'), [byte[]](1, 2, 3))
        $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -Device Cpu -Precision Fp16 -QueueOnly
    }
    AfterEach { Remove-JobTestFolder $root }

    It 'resumes a job started with -Device Cpu -Precision Fp16 on the CPU in Fp16, without the warning of a CPU chosen by -Device Auto' {
        $said = Invoke-CronResume
        $said | Should -Contain 'RESULT a.png Succeeded Fp16'
        @($said) -like 'WARNING Running on the CPU*' | Should -BeNullOrEmpty -Because 'the job chose the CPU'
    }

    It 'runs a Resume given -Device Auto as asked, for that run only: the next Resume goes on with the recorded -Device Cpu' {
        if (Get-Swin2SRDevice -Kind Cuda | Where-Object Usable) { Set-ItResult -Skipped -Because 'a usable GPU runs the model: -Device Auto does not fall back to the CPU' }
        $auto = Invoke-CronResume '-Device Auto'
        $auto | Should -Contain 'RESULT a.png Succeeded Fp16' -Because 'the precision not given is the recorded one'
        @($auto) -like 'WARNING Running on the CPU*' | Should -HaveCount 1
        $next = Invoke-CronResume '-RetryFailed'
        $next | Should -Contain 'RESULT bad.png Failed Fp32' -Because 'the failed image was run again'
        @($next) -like 'WARNING Running on the CPU*' | Should -BeNullOrEmpty -Because 'Resume does not record its -Device'
    }

    It 'goes on with the choice of the Invoke that last added to the job, its default -Device Auto included, as for -Format' {
        if (Get-Swin2SRDevice -Kind Cuda | Where-Object Usable) { Set-ItResult -Skipped -Because 'a usable GPU runs the model: -Device Auto does not fall back to the CPU' }
        $null = New-TestImage (Join-Path $in 'late.png') -Seed 2 | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -QueueOnly
        $said = Invoke-CronResume
        $said | Should -Contain 'RESULT late.png Succeeded Fp32'
        @($said) -like 'WARNING Running on the CPU*' | Should -HaveCount 1
    }

    It 'shows the device and precision a Resume will use, with the recorded GPU ids' {
        $null = New-TestImage (Join-Path $root 'g.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName gpu -Device Cuda -DeviceId 0, 1 -QueueOnly
        $listed = Get-Swin2SRJob nightly, gpu | Format-List | Out-String -Width 80
        $listed | Should -Match "(?ms)^Name\s+: nightly$.*?^Device\s+: Cpu$\s+^Precision\s+: Fp16$"
        $listed | Should -Match "(?ms)^Name\s+: gpu$.*?^Device\s+: Cuda 0,1$\s+^Precision\s+: Fp32$"
    }

    It 'fails only the job whose recorded GPU is not on this computer, saying the job chose it, and resumes the jobs piped after it' {
        if (Get-Swin2SRDevice -Kind Cuda | Where-Object Usable) { Set-ItResult -Skipped -Because 'CUDA loads here: a job on cuda:1 could run' }
        # Queued on a computer with two GPUs, to run on its second: this one has none.
        $null = New-TestImage (Join-Path $root 'g.png') | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName gpu -Device Cuda -DeviceId 1 -QueueOnly
        $results = 'gpu', 'nightly' | Resume-Swin2SRJob -ErrorVariable problems -ErrorAction SilentlyContinue
        $results.Name | Sort-Object | Should -Be 'a.png', 'bad.png' -Because 'the job after it ran'
        $problems[0].FullyQualifiedErrorId | Should -BeLike 'DeviceUnavailable,*'
        $problems[0].ErrorDetails.RecommendedAction | Should -BeLike "*Job 'gpu' was recorded with -Device Cuda -DeviceId 1: Resume-Swin2SRJob -Device and -DeviceId choose others, for that run."
        (Get-Swin2SRJob gpu).State | Should -Be 'Queued' -Because 'its image waits for a worker that can run it'
    }
}
