# The output objects as a script passes them on: to JSON (a dashboard, a REST call), CSV, Measure-Object.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    Import-Module $ModulePath -Force
}

Describe 'Output objects in a script' {
    BeforeAll {
        $root = New-TestFolder
        $in = Join-Path $root 'in'
        $out = Join-Path $root 'out'
        $store = Join-Path $root 'jobs.db'
        $null = New-TestImage (Join-Path $in 'a.png')
        Set-Content -LiteralPath (Join-Path $in 'bad.png') -Value 'text, not an image'
        $results = Invoke-Swin2SRUpscale -Path (Join-Path $in '*.png') -Model $NearestX2 -Device Cpu -OutputDirectory $out -JobName json -JobStore $store -ErrorAction SilentlyContinue
    }
    AfterAll { Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction SilentlyContinue }

    # As numbers, Succeeded was 0 in a result and 2 in a job item: a script comparing the two read Pending for it.
    It 'writes statuses and kinds to JSON by name, as Export-Csv does' {
        $json = $results | Sort-Object Name | ConvertTo-Json | ConvertFrom-Json
        $json.Status | Should -Be @('Succeeded', 'Failed')
        $items = Get-Swin2SRJobItem json -JobStore $store | Sort-Object Name | ConvertTo-Json | ConvertFrom-Json
        $items.Status | Should -Be @('Succeeded', 'Failed')
        (Get-Swin2SRDevice -Kind Cpu | ConvertTo-Json | ConvertFrom-Json).Kind | Should -Be 'Cpu'
        (Get-Swin2SRModel swin2sr-tiny-x2 | ConvertTo-Json | ConvertFrom-Json).Source | Should -Be 'Embedded'
        $results | Sort-Object Name | Export-Csv -LiteralPath (Join-Path $root 'r.csv')
        (Import-Csv -LiteralPath (Join-Path $root 'r.csv')).Status | Should -Be @('Succeeded', 'Failed')
    }
}
