# Shared by the module tests: the staged module, the test models, and fixture images made on the spot.
. (Join-Path $PSScriptRoot 'ChildPwsh.ps1')

$script:ModulePath = $env:SWIN2SR_TEST_MODULE
if (-not $script:ModulePath) { throw 'SWIN2SR_TEST_MODULE is not set: run the tests through build.ps1 test.' }
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:NearestX2 = Join-Path $script:RepoRoot 'models/test/nearest-x2.onnx'
$script:NearestX4 = Join-Path $script:RepoRoot 'models/test/nearest-x4.onnx'

# The tests' folders go below the run's own temporary folder where Run-Pester.ps1 names one, which it removes at the
# end, so a run leaves nothing behind in the machine's temporary folder (CI ran 40 files, each leaving its state).
$script:TestTemp = if ($env:SWIN2SR_TEST_TEMP) { $env:SWIN2SR_TEST_TEMP } else { [IO.Path]::GetTempPath() }

# Every test file gets its own job store and model folder, so the user's own (or another run's) never leak in.
$script:TestState = Join-Path $script:TestTemp ("swin2sr-pester-state-" + [Guid]::NewGuid().ToString('N'))
$env:SWIN2SR_JOBSTORE = Join-Path $script:TestState 'jobs.db'
$env:SWIN2SR_MODEL_PATH = Join-Path $script:TestState 'models'
$null = New-Item -ItemType Directory -Force $env:SWIN2SR_MODEL_PATH

# ImageSharp from the staged module writes the fixtures; it loads here in the default context, the module's
# copy in its own, which is itself part of what these tests exercise.
Add-Type -Path (Join-Path $script:ModulePath 'dependencies/SixLabors.ImageSharp.dll')

function New-TestImage {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int] $Width = 24,
        [int] $Height = 16,
        [int] $Seed = 1
    )
    $random = [Random]::new($Seed)
    $image = [SixLabors.ImageSharp.Image[SixLabors.ImageSharp.PixelFormats.Rgb24]]::new($Width, $Height)
    try {
        for ($y = 0; $y -lt $Height; $y++) {
            for ($x = 0; $x -lt $Width; $x++) {
                $image[$x, $y] = [SixLabors.ImageSharp.PixelFormats.Rgb24]::new($random.Next(256), $random.Next(256), $random.Next(256))
            }
        }
        $null = New-Item -ItemType Directory -Force -Path (Split-Path -LiteralPath $Path)
        switch ([IO.Path]::GetExtension($Path).ToLowerInvariant()) {
            '.jpg' { [SixLabors.ImageSharp.ImageExtensions]::SaveAsJpeg($image, $Path) }
            '.gif' { [SixLabors.ImageSharp.ImageExtensions]::SaveAsGif($image, $Path) }
            default { [SixLabors.ImageSharp.ImageExtensions]::SaveAsPng($image, $Path) }
        }
    }
    finally { $image.Dispose() }
    Get-Item -LiteralPath $Path
}

# nearest-x2.onnx (or $From, an edit of it) with each run of $Find replaced by $Replace (of the same length, so no
# protobuf length changes), written to $Path; $What says what the test expects to find.
function Set-NearestX2Bytes([string] $Path, [byte[]] $Find, [byte[]] $Replace, [string] $What, [string] $From = $NearestX2) {
    $bytes = [IO.File]::ReadAllBytes($From)
    $found = (0..($bytes.Length - $Find.Length)).Where({ [Linq.Enumerable]::SequenceEqual([ArraySegment[byte]]::new($bytes, $_, $Find.Length), $Find) })
    if ($found.Count -eq 0) { throw "nearest-x2.onnx no longer has $What as expected." }
    foreach ($at in $found) { [Array]::Copy($Replace, 0, $bytes, $at, $Replace.Length) }
    [IO.File]::WriteAllBytes($Path, $bytes)
    $Path
}

# nearest-x2.onnx with its metadata entry scale=2 (key 0x0A, value 0x12, as protobuf writes them) made scale=4: a model
# that loads, and fails its run at the first tile (ModelLoadFailed).
function New-WrongScaleModel([string] $Path) {
    $entry = [byte[]](@(0x0A, 5) + [Text.Encoding]::ASCII.GetBytes('scale') + @(0x12, 1))
    Set-NearestX2Bytes $Path ($entry + [byte][char]'2') ($entry + [byte][char]'4') 'its metadata entry scale=2'
}

# nearest-x2.onnx exported with a fixed batch of 2: each dimension dim_param "batch" (field 2) becomes dim_value 2
# (field 1) with a denotation "bat" (field 3) that keeps the length.
function New-FixedBatchModel([string] $Path) {
    $ascii = [Text.Encoding]::ASCII
    Set-NearestX2Bytes $Path ([byte[]](@(0x12, 5) + $ascii.GetBytes('batch'))) ([byte[]](@(0x08, 2, 0x1A, 3) + $ascii.GetBytes('bat'))) 'a dynamic batch dimension'
}

# nearest-x2.onnx exported with a fixed input size of 64x64 (it states window 8): the input's dim_params "height" and
# "width" become dim_value 64 (0x40) with denotations "heig" and "wid" that keep the lengths; the output stays free.
function New-FixedSizeModel([string] $Path) {
    $ascii = [Text.Encoding]::ASCII
    $null = Set-NearestX2Bytes $Path ([byte[]](@(0x12, 6) + $ascii.GetBytes('height'))) ([byte[]](@(0x08, 0x40, 0x1A, 4) + $ascii.GetBytes('heig'))) 'a dynamic input height'
    Set-NearestX2Bytes $Path ([byte[]](@(0x12, 5) + $ascii.GetBytes('width'))) ([byte[]](@(0x08, 0x40, 0x1A, 3) + $ascii.GetBytes('wid'))) 'a dynamic input width' -From $Path
}

function Get-TestImageSize([string] $Path) {
    $info = [SixLabors.ImageSharp.Image]::Identify($Path)
    [pscustomobject]@{ Width = $info.Width; Height = $info.Height }
}

function New-TestFolder {
    $path = Join-Path $script:TestTemp ("swin2sr-pester-" + [Guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $path
}

# The model folder and job store of the session running the tests, which model tests set to their own: saved in a
# file's BeforeAll, put back by Restore-ModelEnvironment in its AfterAll.
function Save-ModelEnvironment {
    @{ SWIN2SR_MODEL_PATH = $env:SWIN2SR_MODEL_PATH; SWIN2SR_JOBSTORE = $env:SWIN2SR_JOBSTORE }
}

function Restore-ModelEnvironment([hashtable] $Saved) {
    foreach ($name in $Saved.Keys) { [Environment]::SetEnvironmentVariable($name, $Saved[$name]) }
}

# A model test: a new folder with a model folder (models/, not created) and a job store that the module uses while
# the test runs. Returns the folder and the model folder.
function New-ModelTestFolder {
    $root = New-TestFolder
    $env:SWIN2SR_MODEL_PATH = Join-Path $root 'models'
    $env:SWIN2SR_JOBSTORE = Join-Path $root 'jobs.db'
    $root.FullName, $env:SWIN2SR_MODEL_PATH
}

# A test of jobs: a new folder for its in/ and out/, and a job store in it that its runs use by default. Returns the
# folder, in, out and the store.
function New-JobTestFolder {
    $root = New-TestFolder
    $env:SWIN2SR_JOBSTORE = Join-Path $root 'jobs.db'
    $root.FullName, (Join-Path $root 'in'), (Join-Path $root 'out'), $env:SWIN2SR_JOBSTORE
}

function Remove-JobTestFolder([string] $Root) {
    Remove-Item Env:SWIN2SR_JOBSTORE -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $Root -Recurse -Force -ErrorAction SilentlyContinue
}

# Temp files are hidden ('.name.guid.tmp'); -Force lists them too.
function Get-LeftoverTempFile([string] $Path) {
    Get-ChildItem -LiteralPath $Path -Recurse -Force -File -ErrorAction SilentlyContinue | Where-Object Name -like '*.tmp'
}

# Starts a child pwsh running $Command without waiting (for kill, concurrency and cross-process tests).
function Start-ChildPwsh([string] $Command) {
    $exe, $prefix = Get-ChildPwshCommand
    $info = [Diagnostics.ProcessStartInfo]::new($exe)
    foreach ($argument in @($prefix) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) {
        if ($argument) { $info.ArgumentList.Add($argument) }
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [Diagnostics.Process]::Start($info)
    # Read both streams asynchronously so a chatty child never blocks on a full pipe.
    $process | Add-Member -NotePropertyName StdOut -NotePropertyValue $process.StandardOutput.ReadToEndAsync()
    $process | Add-Member -NotePropertyName StdErr -NotePropertyValue $process.StandardError.ReadToEndAsync()
    $process
}

function New-TestImageSet([string] $Folder, [int] $Count, [int] $Width = 16, [int] $Height = 16) {
    1..$Count | ForEach-Object { New-TestImage (Join-Path $Folder ('img{0:D4}.png' -f $_)) -Width $Width -Height $Height -Seed $_ }
}

# The command line a child worker runs: the module, the test's job store, then the given command.
function Get-WorkerCommand([string] $Store, [string] $Command) {
    "`$ErrorActionPreference = 'Continue'; Import-Module '$ModulePath'; `$env:SWIN2SR_JOBSTORE = '$Store'; $Command | Out-Null"
}

function Wait-Until([scriptblock] $Condition, [int] $TimeoutSeconds = 60) {
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for: $Condition" }
        Start-Sleep -Milliseconds 50
    }
}

function Get-OutputCount([string] $Folder) {
    if (-not (Test-Path -LiteralPath $Folder)) { return 0 }
    @(Get-ChildItem -LiteralPath $Folder -File -Filter *.png).Count
}

# A port on 127.0.0.1 that nothing listens on: the system hands out a free one, which is closed again at once.
function Get-ClosedPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# A help example run as a user types it at a console of $Width columns: each statement on its own line, its output
# formatted by itself (one pipeline of all of them would format the later objects by the first one's view).
function Invoke-HelpExample {
    param(
        [Parameter(Mandatory)] [string] $Command,
        [Parameter(Mandatory)] [string] $Title,
        [int] $Width = 120
    )
    $example = @((Get-Help $Command).examples.example | Where-Object title -Match $Title)
    if ($example.Count -ne 1) { throw "$Command has $($example.Count) examples titled like '$Title'" }
    $statements = [Management.Automation.Language.Parser]::ParseInput($example[0].code, [ref]$null, [ref]$null).EndBlock.Statements
    foreach ($statement in $statements) {
        . ([scriptblock]::Create($statement.Extent.Text)) | Out-String -Width $Width
    }
}
