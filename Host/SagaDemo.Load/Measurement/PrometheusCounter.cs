using System.Globalization;

namespace SagaDemo.Load.Measurement;

/// <summary>Reads one counter out of a Prometheus text exposition, summed over all its label sets.</summary>
public static class PrometheusCounter
{
    /// <summary>The sum of every sample of <paramref name="metric"/>, or null when the text has none.</summary>
    public static double? Sum(string exposition, string metric)
    {
        double? sum = null;
        foreach (var raw in exposition.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(metric, StringComparison.Ordinal))
                continue;
            var rest = line[metric.Length..];
            // The name must end here: "foo_total" must not match "foo_total_created".
            if (rest.IsEmpty || (rest[0] != '{' && rest[0] != ' ' && rest[0] != '\t'))
                continue;
            if (rest[0] == '{')
            {
                var close = rest.LastIndexOf('}');
                if (close < 0)
                    continue;
                rest = rest[(close + 1)..];
            }
            rest = rest.TrimStart();
            var space = rest.IndexOfAny(' ', '\t');
            var value = space < 0 ? rest : rest[..space];
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v))
                sum = (sum ?? 0) + v;
        }
        return sum;
    }
}
