using Npgsql;

namespace Swin2SR.Core.Jobs.Postgres;

/// <summary>
/// The server asked for a password and Npgsql had none to give (no Password=, no credential, no PGPASSWORD, no
/// matching pgpass line): a login problem, not a server that cannot be reached. Npgsql raises it as a bare
/// <see cref="NpgsqlException"/> (the server never answered with an error), told apart only by its message.
/// </summary>
internal static class MissingPassword
{
    // "No password has been provided but the backend requires one (in cleartext | MD5 | SASL/SCRAM-SHA-256)" in Npgsql 6 to 10.
    private const string NpgsqlMessage = "No password has been provided";

    public static bool Is(NpgsqlException e) =>
        e is not PostgresException && e.Message.StartsWith(NpgsqlMessage, StringComparison.Ordinal);
}
