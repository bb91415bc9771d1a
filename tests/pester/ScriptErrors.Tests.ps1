# What a script that handles the module's errors sees: exception types it can name, run in a child as a script is.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Errors a script catches' {
    BeforeAll {
        $root = New-TestFolder
        $notImage = Join-Path $root 'not-an-image.png'
        Set-Content -LiteralPath $notImage -Value 'text, not an image'
        $image = (New-TestImage (Join-Path $root 'a.png')).FullName
        $out = Join-Path $root 'out'
        $store = Join-Path $root 'jobs.db'
    }
    AfterAll { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }

    # Each line is a try with a catch of the engine's exception type; a type PowerShell cannot resolve fails the
    # catch itself (TypeNotFound), which the outer catch reports.
    It 'catches the engine''s errors by their type: <Type>' -ForEach @(
        @{ Type = 'Swin2SR.Core.Jobs.JobStoreException'; Command = "Get-Swin2SRJob -JobName nightly -JobStore '{missingStore}'" }
        @{ Type = 'Swin2SR.Core.Inference.ModelLoadException'; Command = "Invoke-Swin2SRUpscale -LiteralPath '{image}' -Model no-such-model -OutputDirectory '{out}'" }
        @{ Type = 'Swin2SR.Core.Imaging.ImageInputException'; Command = "Invoke-Swin2SRUpscale -LiteralPath '{notImage}' -Model '{model}' -Device Cpu -OutputDirectory '{out}' -JobStore '{store}'" }
        @{ Type = 'Swin2SR.Core.Pipeline.InvalidTilingException'; Command = "Invoke-Swin2SRUpscale -LiteralPath '{image}' -Model '{model}' -TileSize 100 -OutputDirectory '{out}'" }
    ) {
        $command = $Command.Replace('{missingStore}', (Join-Path $root 'none.db')).Replace('{image}', $image).Replace('{notImage}', $notImage).
            Replace('{out}', $out).Replace('{store}', $store).Replace('{model}', $NearestX2)
        $script = "Import-Module '$ModulePath'
            try { try { $command -ErrorAction Stop } catch [$Type] { 'caught ' + `$_.Exception.GetType().FullName } }
            catch { 'not caught by type: ' + `$_.FullyQualifiedErrorId + ' ' + `$_.Exception.GetType().FullName }"
        $said = (Invoke-ChildPwsh -Command $script) -join "`n"
        $said | Should -BeLike "*caught $Type*"
        $said | Should -Not -BeLike '*not caught by type*'
    }

    It 'runs Invoke-Swin2SRUpscale''s help example of a typed catch as printed: it stops at the bad image, a setup error passes it' {
        $batch = New-Item -ItemType Directory -Force (Join-Path $root 'example/batch')
        Copy-Item -LiteralPath $notImage -Destination (Join-Path $batch 'a.png')
        $script = "Import-Module '$ModulePath'; Set-Location '$(Split-Path $batch)'; `$env:SWIN2SR_JOBSTORE = '$store'
            `$code = ((Get-Help Invoke-Swin2SRUpscale).examples.example | Where-Object title -Match 'first bad image').code
            Invoke-Expression `$code
            try { Invoke-Expression (`$code -replace '-ErrorAction Stop', '-Model no-such-model -ErrorAction Stop') }
            catch { 'passed on: ' + `$_.Exception.GetType().Name }"
        $said = (Invoke-ChildPwsh -Command $script) -join "`n"
        $said | Should -BeLike "*Stopped at $(Join-Path $batch 'a.png'): UnsupportedFormat,*"
        $said | Should -BeLike '*passed on: ModelLoadException*'
    }
}
