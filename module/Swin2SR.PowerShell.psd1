@{
    RootModule           = 'Swin2SR.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f3c2e-8d7a-4f49-9a57-0e4f6d2b9c31'
    Author               = 'Swin2SR.PowerShell contributors'
    CompanyName          = 'Swin2SR.PowerShell'
    Copyright            = '(c) Swin2SR.PowerShell contributors. MIT licence.'
    Description          = 'Bulk image super-resolution with Swin2SR models (ONNX Runtime; NVIDIA GPUs or CPU), built for unattended runs over tens of thousands of images.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    # The engine's exceptions, loaded where a script can name them: catch [Swin2SR.Core.Jobs.JobStoreException].
    RequiredAssemblies   = @('Swin2SR.Errors.dll')
    CmdletsToExport      = @(
        'Invoke-Swin2SRUpscale'
        'Resume-Swin2SRJob'
        'Get-Swin2SRJob'
        'Get-Swin2SRJobItem'
        'Stop-Swin2SRJob'
        'Remove-Swin2SRJob'
        'Measure-Swin2SRQuality'
        'Get-Swin2SRModel'
        'Install-Swin2SRModel'
        'Uninstall-Swin2SRModel'
        'Get-Swin2SRDevice'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    FormatsToProcess     = @('Swin2SR.PowerShell.Format.ps1xml')
    PrivateData          = @{
        PSData = @{
            # Windows and Linux: the platforms the PowerShell Gallery filters by, and the ones ONNX Runtime's GPU
            # package (the module's engine) ships for.
            Tags         = @('super-resolution', 'upscale', 'Swin2SR', 'ONNX', 'image', 'GPU', 'CUDA', 'Windows', 'Linux')
            # The text of the MIT licence that Copyright names: the repository holds no LICENSE file of its own yet.
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            # No ProjectUri: the project has no public address yet.
            ReleaseNotes = @'
0.1.0: the first release. Invoke-Swin2SRUpscale upscales images with Swin2SR ONNX models on NVIDIA GPUs or the
CPU, as resumable jobs journaled in SQLite or PostgreSQL (Get-, Resume-, Stop- and Remove-Swin2SRJob); models
are installed from a catalog (Install-Swin2SRModel) and results measured with Measure-Swin2SRQuality.
Get-Help about_Swin2SR is the guide.
'@
        }
    }
}
