using System.Text;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// Turns OpenTelemetry-style instrument names ("http.server.request.duration", unit "s") into
/// Prometheus names ("http_server_request_duration_seconds") following the OpenTelemetry-to-Prometheus
/// compatibility rules, plus the few extra rules promtool's linter insists on.
/// </summary>
public static class PrometheusNaming
{
    // Suffixes Prometheus reserves for the series of histograms, summaries and counters.
    private static readonly string[] ReservedSuffixes = ["_total", "_count", "_sum", "_bucket"];

    /// <summary>
    /// The exported family name. A name without dots is taken as already chosen for Prometheus
    /// (e.g. "kafka_consumergroup_lag", kafka_exporter's name that HPA rules query), so it gets no
    /// unit suffix; only counters still get "_total", which the exposition format expects.
    /// </summary>
    public static string MetricName(string instrumentName, string? unit, MetricKind kind)
    {
        string name;
        if (!instrumentName.Contains('.') && IsValidMetricName(instrumentName))
        {
            name = instrumentName;
        }
        else
        {
            name = SanitizeMetricName(instrumentName);
            var suffix = PrometheusUnit.From(unit).Suffix;
            if (suffix.Length > 0 && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
                name = $"{name}_{suffix}";
        }

        if (kind == MetricKind.Counter)
            return name.EndsWith("_total", StringComparison.Ordinal) ? name : name + "_total";

        // A gauge called "..._count" (dotnet.thread_pool.thread.count) would read as a histogram's
        // count series; promtool rejects it, so say what it is: the current value.
        return ReservedSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) ? name + "_current" : name;
    }

    public static bool IsValidMetricName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    /// <summary>Every character outside [a-zA-Z0-9_:] becomes '_', runs of '_' collapse to one.</summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>Label names allow no ':'; "__" prefixes are Prometheus-internal, so they are shortened.</summary>
    public static string SanitizeLabelName(string name)
    {
        var sanitized = Sanitize(name, allowColon: false);
        return sanitized.StartsWith("__", StringComparison.Ordinal) ? sanitized[1..] : sanitized;
    }

    private static string Sanitize(string name, bool allowColon)
    {
        var result = new StringBuilder(name.Length + 1);
        foreach (var c in name)
        {
            var valid = char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':');
            var next = valid ? c : '_';
            if (next == '_' && result.Length > 0 && result[^1] == '_')
                continue;
            result.Append(next);
        }
        if (result.Length == 0 || char.IsAsciiDigit(result[0]))
            result.Insert(0, '_');
        return result.ToString();
    }

    /// <summary>Label values escape backslash, double quote and line feed (text format 0.0.4).</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", @"\\").Replace("\"", "\\\"").Replace("\n", @"\n");

    /// <summary>HELP text escapes backslash and line feed only.</summary>
    public static string EscapeHelp(string help) => help.Replace("\\", @"\\").Replace("\n", @"\n");
}
