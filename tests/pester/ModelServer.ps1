# A real HTTP server on 127.0.0.1 for the model tests: serves the files of one folder (GET and HEAD) from a
# background runspace, 404 for anything else. Nothing outside this machine is involved.

function Start-TestModelServer {
    param([Parameter(Mandatory)] [string] $Root)
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
            param($Listener, $Root)
            while ($Listener.IsListening) {
                try { $context = $Listener.GetContext() } catch { break }
                $response = $context.Response
                $file = Join-Path $Root ([Uri]::UnescapeDataString($context.Request.Url.AbsolutePath.TrimStart('/')))
                if (Test-Path -LiteralPath $file -PathType Leaf) {
                    $bytes = [IO.File]::ReadAllBytes($file)
                    $response.ContentLength64 = $bytes.Length
                    if ($context.Request.HttpMethod -ne 'HEAD') { $response.OutputStream.Write($bytes, 0, $bytes.Length) }
                }
                else {
                    $response.StatusCode = 404
                }
                $response.Close()
            }
        }).AddArgument($listener).AddArgument($Root)
    [pscustomobject]@{
        Url      = "http://127.0.0.1:$port"
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
