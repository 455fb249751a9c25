using System.Text.RegularExpressions;

namespace SagaDemo.Persistence;

/// <summary>
/// Schema and table names are spliced into SQL (identifiers cannot be parameters), so they are
/// restricted to plain lower-case names that need no quoting and cannot smuggle SQL in.
/// </summary>
public static partial class SqlIdentifier
{
    public static string Validate(string name, string what)
    {
        if (!PlainName().IsMatch(name))
            throw new ArgumentException($"{what} '{name}' must match [a-z_][a-z0-9_]* (max 63 chars).", what);
        return name;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex PlainName();
}
