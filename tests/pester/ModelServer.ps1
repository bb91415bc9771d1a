# A real HTTP server on 127.0.0.1 for the model tests: serves the files of one folder (GET and HEAD) from a
# background runspace, 404 for anything else. Nothing outside this machine is involved.
# -Drops: file path (as in the URL, without the leading /) => how many GETs of it break off mid-body, the connection
# closed after half the bytes a Content-Length announced; a test may change the counts while the server runs.

function Start-TestModelServer {
    param([Parameter(Mandatory)] [string] $Root, [hashtable] $Drops = @{})
    $Drops = [hashtable]::Synchronized($Drops)
    # HttpListener cannot pick a free port itself: take one from the system, then listen on it.
    $probe = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $probe.Start()
    $port = $probe.LocalEndpoint.Port
    $probe.Stop()
    $listener = [Net.HttpListener]::new()
    $listener.Prefixes.Add("http://127.0.0.1:$port/")
    $listener.Start()

    $runspace = [powershell]::Create()
    $null = $runspace.AddScript({
            param($Listener, $Root, $Drops)
            while ($Listener.IsListening) {
                try { $context = $Listener.GetContext() } catch { break }
                $response = $context.Response
                $relative = [Uri]::UnescapeDataString($context.Request.Url.AbsolutePath.TrimStart('/'))
                $file = Join-Path $Root $relative
                if (Test-Path -LiteralPath $file -PathType Leaf) {
                    $bytes = [IO.File]::ReadAllBytes($file)
                    $response.ContentLength64 = $bytes.Length
                    if ($context.Request.HttpMethod -eq 'GET' -and $Drops[$relative] -gt 0) {
                        $Drops[$relative]--
                        $response.OutputStream.Write($bytes, 0, [int]($bytes.Length / 2))
                        $response.Abort()
                        continue
                    }
                    if ($context.Request.HttpMethod -ne 'HEAD') { $response.OutputStream.Write($bytes, 0, $bytes.Length) }
                }
                else {
                    $response.StatusCode = 404
                }
                $response.Close()
            }
        }).AddArgument($listener).AddArgument($Root).AddArgument($Drops)
    [pscustomobject]@{
        Url      = "http://127.0.0.1:$port"
        Drops    = $Drops
        Listener = $listener
        Runspace = $runspace
        Handle   = $runspace.BeginInvoke()
    }
}

function Stop-TestModelServer {
    param([Parameter(Mandatory)] $Server)
    $Server.Listener.Stop()
    $Server.Listener.Close()
    $null = $Server.Handle.AsyncWaitHandle.WaitOne(5000)
    $Server.Runspace.Dispose()
}
