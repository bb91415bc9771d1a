# A success's warnings kept in the job store: an archivist checking a night's job later, from another session, learns
# which images came out with a caveat (a JPEG cut short, a TIFF's pages left out), not only that they succeeded.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Warnings of job items' {
    BeforeEach {
        $root, $in, $out, $store = New-JobTestFolder
        $whole = New-TestImage (Join-Path $root 'whole/photo.jpg') -Width 40 -Height 24
        $bytes = [IO.File]::ReadAllBytes($whole.FullName)
        $null = New-Item -ItemType Directory -Force -Path $in
        # A JPEG without its end-of-image marker is upscaled, with a warning; the PNG beside it has none.
        $cut = Join-Path $in 'photo.jpg'
        [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 3)])
        $null = New-TestImage (Join-Path $in 'clean.png')
        $null = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -WarningAction SilentlyContinue
    }
    AfterEach { Remove-JobTestFolder $root }

    It 'shows the warning on the item in another session, found by Where-Object Warnings, listed only where there is one and counted on the job' {
        $said = (Invoke-ChildPwsh -Command @"
Import-Module '$ModulePath'
`$warned = @(Get-Swin2SRJobItem nightly | Where-Object Warnings)
'count: ' + `$warned.Count
'job counts: ' + (Get-Swin2SRJob nightly).WithWarnings
`$warned | Format-List | Out-String -Width 300
'clean: ' + (Get-Swin2SRJobItem nightly | Where-Object Name -eq 'clean.png' | Format-List | Out-String -Width 300)
"@) -join "`n"
        $said | Should -Match 'count: 1'
        $said | Should -Match 'job counts: 1'
        $said | Should -Match "(?m)^Warnings\s+: $([regex]::Escape($cut)): .*end-of-image marker"
        ($said -split 'clean: ')[1] | Should -Match 'Succeeded' -Because 'the clean image is listed'
        ($said -split 'clean: ')[1] | Should -Not -Match 'Warnings' -Because 'an empty line on every item would be noise'
    }

    It 'keeps the warning on the rerun''s AlreadyDone result without saying it again' {
        $rerun = Get-ChildItem -LiteralPath $in -File | Invoke-Swin2SRUpscale -Model $NearestX2 -OutputDirectory $out -JobName nightly -WarningVariable warnings
        $done = $rerun | Where-Object Name -eq 'photo.jpg'
        $done.ErrorId | Should -Be 'AlreadyDone'
        $done.Warnings | Should -Match 'end-of-image marker' -Because 'the output is still the one made from the cut JPEG'
        ($rerun | Where-Object Name -eq 'clean.png').Warnings | Should -BeNullOrEmpty
        @($warnings | Where-Object { "$_" -match 'end-of-image marker' }) | Should -HaveCount 0 -Because 'a nightly rerun would repeat it every night'
    }
}
