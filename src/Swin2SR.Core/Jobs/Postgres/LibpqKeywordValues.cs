using System.Text;

namespace Swin2SR.Core.Jobs.Postgres;

/// <summary>
/// libpq's own connection string form, <c>host=db01 port=5432 dbname=swin2sr user=swin2sr</c>: pairs separated by
/// spaces, a value in single quotes where it holds spaces, a backslash escaping the next character. psql, pg_dump and
/// most PostgreSQL documentation use it, so a sysadmin writes it; Npgsql reads only its own form (pairs separated by
/// ';'), and took all of such a string for the value of its first keyword: the host name, shown in the error.
/// </summary>
internal static class LibpqKeywordValues
{
    /// <summary>
    /// The pairs of <paramref name="location"/> when it is in libpq's form: every word a keyword=value pair and
    /// no unquoted value holding a ';' (which makes it Npgsql's form). Null otherwise.
    /// </summary>
    public static List<KeyValuePair<string, string>>? TryRead(string location)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        int i = 0;
        while (true)
        {
            SkipSpaces(location, ref i);
            if (i == location.Length)
                return pairs.Count > 0 ? pairs : null;
            int keyStart = i;
            while (i < location.Length && location[i] != '=' && !char.IsWhiteSpace(location[i]))
                i++;
            string key = location[keyStart..i];
            SkipSpaces(location, ref i);
            if (key.Length == 0 || i == location.Length || location[i] != '=')
                return null;
            i++;
            SkipSpaces(location, ref i);
            bool quoted = i < location.Length && location[i] == '\'';
            string? value = quoted ? ReadQuoted(location, ref i) : ReadBare(location, ref i);
            if (value is null || (!quoted && value.Contains(';')))
                return null;
            pairs.Add(new(key, value));
        }
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && char.IsWhiteSpace(s[i]))
            i++;
    }

    private static string ReadBare(string s, ref int i)
    {
        var value = new StringBuilder();
        for (; i < s.Length && !char.IsWhiteSpace(s[i]); i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
                i++;
            value.Append(s[i]);
        }
        return value.ToString();
    }

    /// <summary>The value between single quotes from <paramref name="i"/> (at the opening quote); null when it is never closed.</summary>
    private static string? ReadQuoted(string s, ref int i)
    {
        var value = new StringBuilder();
        for (i++; i < s.Length && s[i] != '\''; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length)
                i++;
            value.Append(s[i]);
        }
        if (i == s.Length)
            return null;
        i++;
        return value.ToString();
    }
}
