BeforeAll {
    $peers = Join-Path $PSScriptRoot '../../bench/peers'

    # The peer benchmark's entry point as a clean clone has it: its scripts, no git-ignored checkpoint, no images.
    function Invoke-PeersCheck([string] $Mode) {
        $clone = Join-Path $TestDrive "clone-$Mode"
        $null = New-Item -ItemType Directory -Force (Join-Path $clone 'bench/peers'), (Join-Path $clone 'data')
        Copy-Item (Join-Path $peers 'run-peers.sh'), (Join-Path $peers 'prerequisites.sh') (Join-Path $clone 'bench/peers')
        $env:DATA = Join-Path $clone 'data'
        try { $output = & bash (Join-Path $clone 'bench/peers/run-peers.sh') $Mode --check 2>&1 | Out-String }
        finally { Remove-Item Env:DATA }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
    }
}

Describe 'run-peers.sh from a clean clone' {
    It 'stops before running anything when the tiny model''s checkpoint is missing, and says how to train it' {
        $result = Invoke-PeersCheck tiny
        $result.ExitCode | Should -Be 1
        $result.Output | Should -Match 'MISSING: .*models/tools/checkpoints/swin2sr-tiny-x4\.pt'
        $result.Output | Should -Match 'SCALES=4 bash models/tools/train_defaults\.sh'
        $result.Output | Should -Match 'MISSING: .*/data/Set5/LR_bicubic/X4'
        $result.Output | Should -Match 'nothing was built or run'
    }

    It 'does not ask for the checkpoint in a mode that runs no PyTorch on the tiny weights' {
        foreach ($mode in 'full', 'scaling') {
            $result = Invoke-PeersCheck $mode
            $result.Output | Should -Not -Match 'checkpoint' -Because "'$mode' runs the committed ONNX or random weights"
            $result.Output | Should -Match 'MISSING: .*/data/' -Because 'the images are still needed'
        }
    }
}

Describe 'Measure-Quality.ps1' {
    BeforeAll { . (Join-Path $PSScriptRoot 'ChildPwsh.ps1') }

    # The script's own default data folder, beside the clone.
    It 'writes its summary and report in the invariant culture under de-DE, where -f writes decimal commas' -Skip:(-not (Test-Path (Join-Path $PSScriptRoot '../../../shared/data/Set5/HR'))) {
        $report = Join-Path $TestDrive 'quality.md'
        $script = Join-Path $PSScriptRoot '../../bench/Measure-Quality.ps1'
        $nearest = Join-Path $PSScriptRoot '../../models/test/nearest-x2.onnx'
        $null = Invoke-ChildPwsh -Command "[cultureinfo]::CurrentCulture = 'de-DE'; & '$script' -ModulePath '$env:SWIN2SR_TEST_MODULE' -Model2 '$nearest' -Scale 2 -ReportPath '$report'"
        $lines = Get-Content -LiteralPath $report
        $lines -match '^- x2: .* mean PSNR\(Y\) \d+\.\d\d dB vs bicubic \d+\.\d\d dB \([+-]\d+\.\d\d dB; target \+1\.5 dB' | Should -HaveCount 1
        $lines -match '^\| x2 \| baby \| \d+\.\d\d \| 0\.\d{4} \| \d+\.\d\d \| 0\.\d{4} \| [+-]\d+\.\d\d \|$' | Should -HaveCount 1
    }
}

Describe 'Measure-Scaling.ps1' {
    BeforeAll { . (Join-Path $PSScriptRoot 'TestSupport.ps1') }

    It 'writes its CSV in the invariant culture under de-DE, as plot_scaling.py reads it' {
        $in = Join-Path $TestDrive 'in'
        $null = New-TestImageSet $in 2
        $csv = Join-Path $TestDrive 'scaling.csv'
        $script = Join-Path $PSScriptRoot '../../bench/peers/Measure-Scaling.ps1'
        $null = Invoke-ChildPwsh -Command ("[cultureinfo]::CurrentCulture = 'de-DE'; & '$script' -InputDirectory '$in' -Csv '$csv' -Module '$ModulePath' " +
            "-Model '$NearestX4' -BatchSize 1 -TileSize 64 -Repeat 1 -Work '$(Join-Path $TestDrive 'work')'")
        $row = Import-Csv -LiteralPath $csv
        $row.ImagesPerSecond | Should -Match '^\d+(\.\d+)?$'
        $row.Seconds | Should -Match '^\d+(\.\d+)?$'
    }
}
