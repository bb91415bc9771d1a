# The module as operations teams elsewhere run it: each test starts a child pwsh with that culture (a thread's culture
# set in this process would not reach the module's commands run from Pester's own pipeline reliably).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force

    # The output of $Command run in a child pwsh under $Culture, with the module imported; the child inherits this
    # process's environment, the test's job store and model folder with it.
    function Invoke-InCulture([string] $Culture, [string] $Command) {
        Invoke-ChildPwsh -Command ("[cultureinfo]::CurrentCulture = '$Culture'; [cultureinfo]::CurrentUICulture = '$Culture'; " +
            "Import-Module '$ModulePath'; $Command")
    }
}

Describe 'Culture' {
    BeforeEach { $root, $in, $out, $store = New-JobTestFolder }
    AfterEach { Remove-JobTestFolder $root }

    It 'names a job it names itself by the Gregorian date under <_> (not 1405 or 1448)' -ForEach 'fa-IR', 'ar-SA' {
        $null = New-TestImage (Join-Path $in 'scan.png')
        $name = Invoke-InCulture $_ "`$null = Invoke-Swin2SRUpscale -Path '$in' -Model '$NearestX2' -OutputDirectory '$out' -QueueOnly 6>`$null; (Get-Swin2SRJob).Name"
        $name | Should -Match '^upscale-\d{8}-\d{6}-[0-9a-f]{4}$'
        $date = [datetime]::ParseExact($name.Substring('upscale-'.Length, 8), 'yyyyMMdd', [cultureinfo]::InvariantCulture)
        [math]::Abs(($date - [datetime]::Today).TotalDays) | Should -BeLessOrEqual 1 -Because 'the name tells when the job was made, in the calendar other hosts sharing the store use'
    }

    It 'finds jobs by a wildcard in capitals under tr-TR, where I lowers to a dotless ı, and Turkish names as Turkish lowers them' {
        $null = New-TestImage (Join-Path $in 'invoice.png')
        $null = Invoke-Swin2SRUpscale -Path $in -Model $NearestX2 -OutputDirectory $out -JobName nightly-invoices -QueueOnly 6>$null
        $null = Invoke-Swin2SRUpscale -Path $in -Model $NearestX2 -OutputDirectory $out -JobName 'İstanbul-gece' -QueueOnly 6>$null
        $found = Invoke-InCulture tr-TR "(Get-Swin2SRJob 'NIGHTLY*').Name; (Get-Swin2SRJobItem '*INVOICES').Name; (Get-Swin2SRJob 'istanbul*').Name"
        $found | Should -Be @('nightly-invoices', 'invoice.png', 'İstanbul-gece')
    }

    It 'finds models named in capitals under tr-TR, whole or by a wildcard, as -Model finds them' {
        $found = Invoke-InCulture tr-TR "(Get-Swin2SRModel 'CLASSICAL-X2*').Name; (Get-Swin2SRModel 'CLASSICAL-X2').Name"
        $found | Should -Be @('classical-x2', 'classical-x2-fp16', 'classical-x2')
    }
}
