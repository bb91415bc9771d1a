BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Get-Swin2SRDevice' {
    BeforeAll {
        $script:Devices = @(Get-Swin2SRDevice)
        $script:Cpu = $Devices | Where-Object Kind -eq 'Cpu'
    }

    It 'lists the CPU last, with the cores this process may use and its memory' {
        $Cpu | Should -HaveCount 1
        $Devices[-1].Kind | Should -Be 'Cpu'
        $Cpu.Cores | Should -Be ([Environment]::ProcessorCount)
        $Cpu.Name | Should -Not -BeNullOrEmpty
        $Cpu.TotalMemory | Should -BeGreaterThan 0
        $Cpu.Usable | Should -BeTrue
        $Cpu.Reason | Should -BeNullOrEmpty
    }

    It 'lists the execution providers of the module''s ONNX Runtime, the CPU''s among them' {
        $Cpu.Providers | Should -Contain 'CPUExecutionProvider'
        # The GPU package builds CUDA in: offered, whether or not it loads here.
        $Cpu.Providers | Should -Contain 'CUDAExecutionProvider'
    }

    It 'exports the providers to CSV as their names, and keeps them a list of names for scripts and JSON' {
        ($Cpu | ConvertTo-Csv | ConvertFrom-Csv).Providers | Should -BeExactly ($Cpu.Providers -join '; ')
        ($Cpu | ConvertTo-Json | ConvertFrom-Json).Providers | Should -Be @($Cpu.Providers)
        $Cpu.Providers.Length | Should -Be $Cpu.Providers.Count -Because 'Length counts the names, as on an array, not their lengths'
        $Cpu.Providers[0] | Should -BeOfType [string]
    }

    It 'gives every GPU it lists a CUDA device id, and a reason when it cannot be used' {
        $gpus = @($Devices | Where-Object Kind -eq 'Cuda')
        for ($i = 0; $i -lt $gpus.Count; $i++) {
            $gpus[$i].Index | Should -Be $i
            ($gpus[$i].Usable -or $gpus[$i].Reason) | Should -BeTrue
        }
    }

    It 'filters by kind' {
        $cpuOnly = @(Get-Swin2SRDevice -Kind Cpu)
        $cpuOnly | Should -HaveCount 1
        $cpuOnly[0].Kind | Should -Be 'Cpu'
    }

    It 'says with -Verbose how it looked for GPUs' {
        $verbose = Get-Swin2SRDevice -Kind Cuda -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        if (-not (Get-Swin2SRDevice -Kind Cuda)) {
            # No GPU listed: the messages say why (no NVML, no nvidia-smi, or CUDA_VISIBLE_DEVICES).
            $verbose | Should -Not -BeNullOrEmpty
        }
    }

    It 'shows devices as a table with the device, memory and whether it is usable' {
        $table = Get-Swin2SRDevice | Out-String -Width 200
        $table | Should -Match 'Device\s+Name\s+Free/Total GiB'
        $table | Should -Match '(?m)^cpu\s'
    }

    It 'has complete help' {
        $help = Get-Help Get-Swin2SRDevice -Full
        $help.Synopsis | Should -Match 'NVIDIA GPUs'
        (Get-Help Get-Swin2SRDevice -Parameter Kind).Description.Text | Should -Match 'Cuda'
    }
}

Describe 'ONNX Runtime in the log of a scheduled run' {
    BeforeAll {
        # A child pwsh with ONNX Runtime's cache folder at $Cache, looking like a user's computer: on a build server
        # (CI, or the name of a CI system it looks for) ONNX Runtime keeps its telemetry off by itself, and the tests
        # below could not fail there.
        function Invoke-OrtChild([string] $Cache, [string] $Command) {
            $names = 'XDG_CACHE_HOME', 'CI', 'TF_BUILD', 'GITHUB_ACTIONS', 'GITLAB_CI', 'CIRCLECI', 'TRAVIS', 'JENKINS_URL',
                'CODEBUILD_BUILD_ID', 'BUILDKITE', 'TEAMCITY_VERSION', 'APPVEYOR', 'BITBUCKET_BUILD_NUMBER'
            $saved = @{}
            foreach ($name in $names) { $saved[$name] = [Environment]::GetEnvironmentVariable($name); [Environment]::SetEnvironmentVariable($name, $null) }
            try {
                $env:XDG_CACHE_HOME = $Cache
                $child = Start-ChildPwsh $Command
                $child.WaitForExit(120000) | Should -BeTrue
                $child
            }
            finally {
                foreach ($name in $names) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
            }
        }
    }

    It 'writes nothing to stderr when the account cannot write its cache folder (a service account without a home)' {
        # ONNX Runtime keeps a telemetry id under $XDG_CACHE_HOME/Microsoft; a file of that name makes that folder
        # impossible to create, even for root, as /nonexistent is for a service account. PowerShell's own cache
        # folder there still works.
        $folder = New-TestFolder
        $cache = Join-Path $folder 'cache'
        $null = New-Item -ItemType Directory $cache
        $null = New-Item -ItemType File (Join-Path $cache 'Microsoft')
        try {
            # Telemetry allowed, as a user may: off, ONNX Runtime would not look for its folder.
            $child = Invoke-OrtChild $cache "`$env:ORT_DISABLE_TELEMETRY = '0'; Import-Module '$ModulePath'; `$null = Get-Swin2SRDevice"
        }
        finally {
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
        $child.ExitCode | Should -Be 0
        $child.StdErr.Result | Should -BeNullOrEmpty
    }

    It 'keeps ONNX Runtime''s telemetry off, so no device id or event cache is written, unless the user allows it' {
        $folder = New-TestFolder
        try {
            $results = foreach ($allow in $false, $true) {
                $cache = Join-Path $folder "cache-$allow"
                $set = if ($allow) { "`$env:ORT_DISABLE_TELEMETRY = '0'; " } else { '' }
                $child = Invoke-OrtChild $cache "$set Import-Module '$ModulePath'; `$null = Get-Swin2SRDevice"
                $child.ExitCode | Should -Be 0
                Test-Path -LiteralPath (Join-Path $cache 'Microsoft/DeveloperTools/.onnxruntime/deviceid')
            }
        }
        finally {
            Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
        }
        $results[0] | Should -BeFalse -Because 'telemetry is off by default'
        $results[1] | Should -BeTrue -Because '$env:ORT_DISABLE_TELEMETRY = 0 set in PowerShell reaches ONNX Runtime'
    }
}
