using System.Globalization;

namespace SagaDemo.Load.Cli;

/// <summary>Durations as people type them on a command line: 500ms, 20s, 2m, 1h, 1.5s, 30 (seconds) or 00:01:00.</summary>
public static class DurationParser
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        var s = text.Trim();
        if (s.Contains(':'))
            return TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out value) && value >= TimeSpan.Zero;

        var (number, unit) = s.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (s[..^2], 0.001)
            : s.EndsWith('s') || s.EndsWith('S') ? (s[..^1], 1.0)
            : s.EndsWith('m') || s.EndsWith('M') ? (s[..^1], 60.0)
            : s.EndsWith('h') || s.EndsWith('H') ? (s[..^1], 3600.0)
            : (s, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
            || amount < 0 || double.IsInfinity(amount) || double.IsNaN(amount))
            return false;
        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    /// <summary>The shortest readable form, used in summaries: 20 ms, 1.5 s, 60 s.</summary>
    public static string Format(TimeSpan t) =>
        t.TotalSeconds < 1
            ? $"{t.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture)} ms"
            : $"{t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s";
}
