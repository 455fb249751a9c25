using System.Text.RegularExpressions;

namespace SagaDemo.Services.Hosting;

/// <summary>
/// The one e-mail format check (API validation and the approval rule share it): a local part, one
/// '@', a domain with a dot; no spaces. Deliberately simple and predictable, not full RFC 5322.
/// </summary>
public static partial class EmailAddress
{
    public static bool IsValid(string? value) =>
        value is { Length: > 0 and <= 254 } && Pattern().IsMatch(value);

    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
