BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
}

Describe 'Module manifest' {
    It 'is valid and carries what the PowerShell Gallery shows: tags, licence and release notes' {
        # In a child: Test-ModuleManifest loads the module's assembly, which never unloads from a process.
        $read = "Test-ModuleManifest '$(Join-Path $ModulePath 'Swin2SR.PowerShell.psd1')' |
            Select-Object Tags, ReleaseNotes, @{ n = 'LicenseUri'; e = { ""`$(`$_.LicenseUri)"" } }, @{ n = 'Version'; e = { ""`$(`$_.Version)"" } } | ConvertTo-Json -Compress"
        $manifest = Invoke-ChildPwsh -Command $read | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $manifest.Tags | Should -Contain 'Swin2SR'
        $manifest.Tags | Should -Contain 'Linux'
        @($manifest.Tags -match '\s') | Should -BeNullOrEmpty -Because 'the Gallery refuses a tag with a space'
        $manifest.LicenseUri | Should -Match '^https://'
        $manifest.ReleaseNotes | Should -Match "^$([regex]::Escape($manifest.Version.ToString())):"
    }
}
