using System.Net;
using System.Text.RegularExpressions;
using Npgsql;

namespace Swin2SR.Core.Jobs.Postgres;

/// <summary>
/// Reads a PostgreSQL job store's location: Npgsql's <c>Host=...;Database=...</c> form, libpq's
/// <c>host=... dbname=...</c> form or a libpq URI (<c>postgresql://user@host:5432/db?sslmode=require</c>), plus an
/// optional credential. A password may come from
/// the string, the credential or a pgpass file (Npgsql reads <c>Passfile=</c>, <c>PGPASSFILE</c> and the user's
/// default pgpass file); it is never part of what is shown (<see cref="Display"/>) or of an error message.
/// </summary>
internal static partial class PostgresConnectionString
{
    /// <summary>
    /// True for a PostgreSQL URI, a key=value list naming a Host (or Server), or one that begins with another
    /// connection keyword (<c>Database=</c>, <c>dbname=</c>, <c>user=</c>...): one that lacks its host is refused by
    /// <see cref="Parse"/> rather than taken for a SQLite file of that name, which would give each computer a job of
    /// its own, every image done on each. Anything else is a SQLite path.
    /// </summary>
    public static bool Matches(string location) =>
        location.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
        || HostKey().IsMatch(location)
        || LeadingKeyword().IsMatch(location);

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostKey();

    [GeneratedRegex(@"^\s*(hostaddr|port|database|dbname|user|username|user\s*id|password|passfile|sslmode|ssl\s*mode)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LeadingKeyword();

    // A host never holds "word=": one that does swallowed the pairs after it (libpq's form with a word Npgsql cannot read).
    [GeneratedRegex(@"\s\w+\s*=", RegexOptions.CultureInvariant)]
    private static partial Regex SwallowedPair();

    /// <exception cref="JobStoreException">The string is malformed (the message never repeats its values).</exception>
    public static NpgsqlConnectionStringBuilder Parse(string location, NetworkCredential? credential)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = location.Contains("://", StringComparison.Ordinal) ? FromUri(location)
                : LibpqKeywordValues.TryRead(location) is { } pairs ? FromPairs(pairs)
                : new NpgsqlConnectionStringBuilder(location);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or InvalidCastException)
        {
            // Npgsql's messages name the keyword, not its value, so they cannot leak a password.
            throw new JobStoreException($"The PostgreSQL job store connection string is not valid: {e.Message}", e, "JobStoreInvalid");
        }
        // Neither is shown: the message would repeat the string, which may hold a password.
        if (string.IsNullOrWhiteSpace(builder.Host))
            throw new JobStoreException("The PostgreSQL job store connection string names no server: add Host=<server> (or host= in libpq's form, " +
                "the host in a URI); $env:PGHOST is not read.", errorId: "JobStoreInvalid");
        if (SwallowedPair().IsMatch(builder.Host))
            throw new JobStoreException("The PostgreSQL job store connection string is not valid: its Host holds other keyword=value pairs. " +
                "Separate the pairs with ';' (Host=db01;Database=swin2sr), or write each as keyword=value with spaces between them (host=db01 dbname=swin2sr).",
                errorId: "JobStoreInvalid");
        if (credential is not null)
        {
            builder.Username = credential.UserName;
            builder.Password = credential.Password;
        }
        if (string.IsNullOrEmpty(builder.ApplicationName))
            builder.ApplicationName = "Swin2SR";
        return builder;
    }

    /// <summary>
    /// Waits for a connection no longer than the store retries (at least a second), unless the string sets
    /// <c>Timeout</c> itself: Npgsql's default of 15 s kept a status command at a server that does not answer (a
    /// computer that is off, a firewall that drops packets) three times as long as the 5 s it is allowed in all.
    /// </summary>
    public static void FitTimeout(NpgsqlConnectionStringBuilder builder, TimeSpan retryBudget)
    {
        // The builder reports every keyword as present; its connection string holds only those that were given.
        if (new System.Data.Common.DbConnectionStringBuilder { ConnectionString = builder.ConnectionString }.ContainsKey("Timeout"))
            return;
        int seconds = Math.Max(1, (int)Math.Ceiling(retryBudget.TotalSeconds));
        if (seconds < builder.Timeout)
            builder.Timeout = seconds;
    }

    /// <summary>
    /// The pgpass file Npgsql reads when no password is given: <c>Passfile=</c>, else <c>PGPASSFILE</c>, else the
    /// account's default (<c>~/.pgpass</c>; <c>%APPDATA%\postgresql\pgpass.conf</c> on Windows).
    /// </summary>
    public static string PasswordFile(NpgsqlConnectionStringBuilder builder) =>
        !string.IsNullOrEmpty(builder.Passfile) ? builder.Passfile
        : Environment.GetEnvironmentVariable("PGPASSFILE") is { Length: > 0 } fromEnvironment ? fromEnvironment
        : OperatingSystem.IsWindows()
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ApplicationData), "postgresql", "pgpass.conf")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pgpass");

    /// <summary>
    /// Where the password a login tries comes from, in Npgsql's order, for the message of a login the server
    /// refused: a stale <c>PGPASSWORD</c> in a service's environment wins over a right pgpass file, unseen.
    /// </summary>
    public static string PasswordSource(NpgsqlConnectionStringBuilder builder, NetworkCredential? credential) =>
        credential is not null ? "-Credential"
        : !string.IsNullOrEmpty(builder.Password) ? "the connection string"
        : Environment.GetEnvironmentVariable("PGPASSWORD") is { Length: > 0 } ? "$env:PGPASSWORD"
        : $"the pgpass file '{PasswordFile(builder)}'";

    /// <summary>What users see: the connection string without its password.</summary>
    public static string Display(NpgsqlConnectionStringBuilder builder) =>
        new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Password = null }.ConnectionString;

    /// <summary>For error records about a location that may not even parse: never the password.</summary>
    public static string DisplayUnparsed(string location)
    {
        try
        {
            return Display(Parse(location, null));
        }
        catch (JobStoreException)
        {
            return "(a PostgreSQL connection string that is not valid)";
        }
    }

    // libpq's parameter names (in a URI's query or libpq's form) where Npgsql's differ; the others (and Npgsql's own names) pass through as they are.
    private static readonly Dictionary<string, string> LibpqNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["target_session_attrs"] = "Target Session Attributes",
        ["user"] = "Username",
        ["dbname"] = "Database",
        ["hostaddr"] = "Host",
    };

    // libpq writes a Unix socket's folder as the host, percent-encoded: postgresql://%2Fvar%2Frun%2Fpostgresql/swin2sr.
    [GeneratedRegex(@"^postgres(ql)?://([^@/?#]*@)?(?<host>%2F[^:/?#]*)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SocketHost();

    private static NpgsqlConnectionStringBuilder FromUri(string location)
    {
        // System.Uri cannot parse such a host: it stands in as localhost, and the folder is the host once parsed.
        var socket = SocketHost().Match(location).Groups["host"];
        if (socket.Success)
            location = string.Concat(location.AsSpan(0, socket.Index), "localhost", location.AsSpan(socket.Index + socket.Length));
        var uri = new Uri(location);
        var builder = new NpgsqlConnectionStringBuilder();
        if (socket.Success)
            builder.Host = Uri.UnescapeDataString(socket.Value);
        else if (uri.Host.Length > 0)
            builder.Host = uri.DnsSafeHost;
        if (uri.Port > 0)
            builder.Port = uri.Port;
        string database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
            builder.Database = database;
        if (uri.UserInfo.Length > 0)
        {
            string[] user = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(user[0]);
            if (user.Length > 1)
                builder.Password = Uri.UnescapeDataString(user[1]);
        }
        foreach (string pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            Set(builder, Uri.UnescapeDataString(parts[0]), parts.Length > 1 ? Uri.UnescapeDataString(parts[1]) : "");
        }
        return builder;
    }

    private static NpgsqlConnectionStringBuilder FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var builder = new NpgsqlConnectionStringBuilder();
        foreach (var (name, value) in pairs)
            Set(builder, name, value);
        return builder;
    }

    /// <summary>Sets a parameter given by its libpq name (or Npgsql's); an unknown one throws ArgumentException naming it.</summary>
    private static void Set(NpgsqlConnectionStringBuilder builder, string name, string value) =>
        // libpq spells modes with dashes (verify-full); Npgsql's enum names have none (VerifyFull).
        builder[LibpqNames.GetValueOrDefault(name, name)] = name.Equals("sslmode", StringComparison.OrdinalIgnoreCase) ? value.Replace("-", "") : value;
}
