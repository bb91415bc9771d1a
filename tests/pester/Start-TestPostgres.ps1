#Requires -Version 7.4
<#
.SYNOPSIS
    Starts a throwaway PostgreSQL server on 127.0.0.1 for the tests, the benchmark and developers.
.DESCRIPTION
    Uses the server binaries of Debian's postgresql package (/usr/lib/postgresql/<version>/bin, the newest
    version there), else initdb and pg_ctl from PATH. It runs initdb into a new temporary folder and starts the
    server with pg_ctl on a free random port of 127.0.0.1, listening nowhere else; the server keeps running after
    this script ends, until its Stop command runs. Every role may log in from 127.0.0.1 without a password
    (trust) except one, PasswordRole, which must give Password: the tests of credentials and pgpass files use it.
    PostgreSQL refuses to run as root, so as root the server runs as the 'postgres' OS user (the package creates
    it) through runuser.

    Returns an object (JSON with -Json, for callers in other languages) with:
      ConnectionString  a superuser connection string (Host, Port, Username=postgres, Database=postgres)
      Port, Directory   the port, and the temporary folder holding the data, the socket and server.log
      PasswordRole, Password
      Psql              the command line (an array) of psql as the superuser: add -c 'SQL' to run a statement
      Restart, Stop     the command lines (arrays) that restart the server (pg_ctl -m fast) or stop it;
                        after Stop, delete Directory
.EXAMPLE
    $pg = ./tests/pester/Start-TestPostgres.ps1
    Get-Swin2SRJob -JobStore $pg.ConnectionString
    & $pg.Stop[0] $pg.Stop[1..99]; Remove-Item -Recurse -Force $pg.Directory
#>
[CmdletBinding()]
param(
    [switch] $Json
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$passwordRole = 'swin2sr_secret'

function Find-PostgresBin {
    $debian = Get-ChildItem -Path '/usr/lib/postgresql/*/bin/initdb' -ErrorAction SilentlyContinue |
        Sort-Object { [int] $_.Directory.Parent.Name } -Descending | Select-Object -First 1
    if ($debian) { return $debian.DirectoryName }
    $onPath = Get-Command initdb -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($onPath) { return Split-Path $onPath.Source }
    throw "The PostgreSQL server binaries (initdb, pg_ctl) were not found in /usr/lib/postgresql/*/bin or on PATH. " +
        "Install them: 'apt-get install -y postgresql' as root on Debian or Ubuntu (.ci/run does this)."
}

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# As root, every server command runs as the postgres OS user; otherwise as the current user.
$asRoot = $IsLinux -and (& id -u) -eq '0'
function Get-CommandLine([string] $Program, [string[]] $Arguments) {
    if ($asRoot) { return @('runuser', '-u', 'postgres', '--', $Program) + $Arguments }
    return @($Program) + $Arguments
}

function Invoke-Server([string] $Program, [string[]] $Arguments) {
    $line = Get-CommandLine $Program $Arguments
    $output = & $line[0] $line[1..($line.Count - 1)] 2>&1
    if ($LASTEXITCODE -ne 0) { throw "$($line -join ' ') failed (exit code $LASTEXITCODE): $($output -join [Environment]::NewLine)" }
}

$bin = Find-PostgresBin
$initdb = Join-Path $bin 'initdb'
$pgCtl = Join-Path $bin 'pg_ctl'
$psql = Join-Path $bin 'psql'
if ($asRoot -and -not (& getent passwd postgres)) {
    throw "Running as root, the server must run as the 'postgres' OS user, which does not exist: 'apt-get install -y postgresql' creates it."
}

$directory = Join-Path ([IO.Path]::GetTempPath()) ('swin2sr-pg-' + [Guid]::NewGuid().ToString('N').Substring(0, 12))
$data = Join-Path $directory 'data'
$log = Join-Path $directory 'server.log'
$null = New-Item -ItemType Directory -Path $directory
if ($asRoot) { & chown postgres $directory; if ($LASTEXITCODE -ne 0) { throw "chown postgres $directory failed" } }

Invoke-Server $initdb @('-D', $data, '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--auth=trust', '--no-sync')
# First matching line wins: the password role must authenticate, everyone else is trusted, and only on loopback.
Set-Content -LiteralPath (Join-Path $data 'pg_hba.conf') -Value @(
    'local all all trust'
    "host all $passwordRole 127.0.0.1/32 scram-sha-256"
    'host all all 127.0.0.1/32 trust'
)

# A random port can be taken between choosing and binding it: try a few.
$port = 0
for ($try = 1; $try -le 3 -and -not $port; $try++) {
    $candidate = Get-FreePort
    $options = "-c listen_addresses=127.0.0.1 -c port=$candidate -c unix_socket_directories=$directory"
    try {
        Invoke-Server $pgCtl @('-D', $data, '-l', $log, '-w', '-t', '60', '-o', $options, 'start')
        $port = $candidate
    }
    catch {
        if ($try -eq 3) {
            $tail = if (Test-Path -LiteralPath $log) { (Get-Content -LiteralPath $log -Tail 20) -join [Environment]::NewLine } else { '' }
            throw "PostgreSQL did not start: $_$([Environment]::NewLine)$tail"
        }
    }
}

$password = [Convert]::ToHexString([Security.Cryptography.RandomNumberGenerator]::GetBytes(12)).ToLowerInvariant()
$psqlLine = @($psql, '-X', '-q', '-h', '127.0.0.1', '-p', "$port", '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1')
& $psqlLine[0] $psqlLine[1..($psqlLine.Count - 1)] -c "CREATE ROLE $passwordRole LOGIN PASSWORD '$password'"
if ($LASTEXITCODE -ne 0) { throw "Creating the role $passwordRole failed (exit code $LASTEXITCODE)" }

$server = [pscustomobject]@{
    ConnectionString = "Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
    Port             = $port
    Directory        = $directory
    PasswordRole     = $passwordRole
    Password         = $password
    Psql             = $psqlLine
    # -l again: without it the restarted server would log to the caller's stdout, holding its pipe open.
    Restart          = Get-CommandLine $pgCtl @('-D', $data, '-l', $log, '-w', '-t', '60', '-m', 'fast', 'restart')
    Stop             = Get-CommandLine $pgCtl @('-D', $data, '-w', '-t', '60', '-m', 'fast', 'stop')
}
if ($Json) { $server | ConvertTo-Json -Compress } else { $server }
