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
