using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Swin2SR.Core.Tests.Support;

/// <summary>
/// A real PostgreSQL server for the tests, on 127.0.0.1 with a temporary data folder, started once for every test
/// class in <see cref="PostgresCollection"/> and stopped and deleted after them. It is started by
/// tests/pester/Start-TestPostgres.ps1 (the same script the Pester tests and `build.ps1 postgres` use), which
/// fails with what to install when the server binaries are missing. Each test gets a database of its own.
/// </summary>
public sealed class PostgresServer : IDisposable
{
    private readonly string[] _restart;
    private readonly string[] _stop;
    private readonly string _directory;

    public PostgresServer()
    {
        string script = Path.Combine(RepoPaths.Root, "tests", "pester", "Start-TestPostgres.ps1");
        string output = Run([DotnetHost, "pwsh", "-NoProfile", "-NonInteractive", "-File", script, "-Json"], "Starting the test PostgreSQL server");
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        ConnectionString = root.GetProperty("ConnectionString").GetString()!;
        Port = root.GetProperty("Port").GetInt32();
        PasswordRole = root.GetProperty("PasswordRole").GetString()!;
        Password = root.GetProperty("Password").GetString()!;
        _directory = root.GetProperty("Directory").GetString()!;
        _restart = root.GetProperty("Restart").EnumerateArray().Select(e => e.GetString()!).ToArray();
        _stop = root.GetProperty("Stop").EnumerateArray().Select(e => e.GetString()!).ToArray();
    }

    /// <summary>A superuser's connection string to the server's default database (no password: trusted on 127.0.0.1).</summary>
    public string ConnectionString { get; }

    public int Port { get; }

    /// <summary>The one role that must log in with <see cref="Password"/>; it may only connect to and create in the test databases.</summary>
    public string PasswordRole { get; }

    public string Password { get; }

    /// <summary>The folder of the server's Unix socket (it also listens on 127.0.0.1); a login through it is trusted.</summary>
    public string SocketDirectory => _directory;

    /// <summary>Creates an empty database, on which <see cref="PasswordRole"/> has CONNECT and CREATE only; returns a superuser connection string to it.</summary>
    public string CreateDatabase()
    {
        string name = "t" + Guid.NewGuid().ToString("N")[..16];
        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            foreach (string sql in new[] { $"CREATE DATABASE {name}", $"GRANT CONNECT, CREATE ON DATABASE {name} TO {PasswordRole}" })
            {
                using var command = new NpgsqlCommand(sql, connection);
                command.ExecuteNonQuery();
            }
        }
        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>pg_ctl restart -m fast: every open connection is cut, and the server is away for a moment.</summary>
    public void Restart()
    {
        Run(_restart, "Restarting the test PostgreSQL server");
        // The tests' own pooled connections (not the stores', which recover by themselves) died with the server.
        NpgsqlConnection.ClearAllPools();
    }

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Run(_stop, "Stopping the test PostgreSQL server");
        Directory.Delete(_directory, recursive: true);
    }

    // The SDK's dotnet (which has the repository's local pwsh tool), whichever dotnet runs the tests.
    private static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    private static string Run(string[] commandLine, string what)
    {
        var info = new ProcessStartInfo(commandLine[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string argument in commandLine.Skip(1))
            info.ArgumentList.Add(argument);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A server process that inherited the pipes would keep them open forever: fail instead of hanging.
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)) || !Task.WaitAll([stdout, stderr], TimeSpan.FromSeconds(30)))
            throw new InvalidOperationException($"{what} did not finish: {string.Join(' ', commandLine)}");
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{what} failed (exit code {process.ExitCode}): {stderr.Result}{stdout.Result}");
        return stdout.Result;
    }
}

/// <summary>The test classes that share one <see cref="PostgresServer"/>; they run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}
