namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// Maps a UCUM instrument unit to the Prometheus name suffix and the factor that converts values
/// to it. Prometheus wants base units (promtool rejects "_milliseconds"), so time is exported in
/// seconds and sizes in bytes even when the instrument records milliseconds or KiB.
/// </summary>
public readonly record struct PrometheusUnit(string Suffix, double Scale)
{
    public static readonly PrometheusUnit None = new("", 1);

    private static readonly Dictionary<string, PrometheusUnit> Known = new(StringComparer.Ordinal)
    {
        ["s"] = new("seconds", 1),
        ["ms"] = new("seconds", 1e-3),
        ["us"] = new("seconds", 1e-6),
        ["ns"] = new("seconds", 1e-9),
        ["min"] = new("seconds", 60),
        ["h"] = new("seconds", 3600),
        ["d"] = new("seconds", 86400),
        ["By"] = new("bytes", 1),
        ["KiBy"] = new("bytes", 1024),
        ["MiBy"] = new("bytes", 1024 * 1024),
        ["GiBy"] = new("bytes", 1024 * 1024 * 1024),
        ["KBy"] = new("bytes", 1e3),
        ["MBy"] = new("bytes", 1e6),
        ["GBy"] = new("bytes", 1e9),
        ["By/s"] = new("bytes_per_second", 1),
        ["1"] = None,
        ["ea"] = None, // "each": MassTransit's unit for counts
        ["%"] = new("percent", 1),
        ["Hz"] = new("hertz", 1),
        ["Cel"] = new("celsius", 1),
    };

    /// <summary>Annotations in braces ("{request}", "{connection}") describe, not measure: no suffix.</summary>
    public static PrometheusUnit From(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit))
            return None;
        var withoutAnnotations = StripAnnotations(unit).Trim();
        if (withoutAnnotations.Length == 0)
            return None;
        if (Known.TryGetValue(withoutAnnotations, out var known))
            return known;

        var perIndex = withoutAnnotations.IndexOf('/');
        if (perIndex >= 0)
        {
            var numerator = From(withoutAnnotations[..perIndex]);
            var denominator = withoutAnnotations[(perIndex + 1)..] switch
            {
                "s" => "second", "min" => "minute", "h" => "hour", "d" => "day",
                var other => PrometheusNaming.SanitizeMetricName(other),
            };
            var name = numerator.Suffix.Length == 0 ? $"per_{denominator}" : $"{numerator.Suffix}_per_{denominator}";
            return new(name, numerator.Scale);
        }
        return new(PrometheusNaming.SanitizeMetricName(withoutAnnotations), 1);
    }

    private static string StripAnnotations(string unit)
    {
        var result = new System.Text.StringBuilder(unit.Length);
        var depth = 0;
        foreach (var c in unit)
        {
            if (c == '{') depth++;
            else if (c == '}') depth = Math.Max(0, depth - 1);
            else if (depth == 0) result.Append(c);
        }
        return result.ToString();
    }
}
