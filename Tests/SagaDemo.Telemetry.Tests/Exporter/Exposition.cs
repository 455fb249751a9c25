namespace SagaDemo.Telemetry.Tests.Exporter;

/// <summary>A Prometheus text exposition read as the series names it has and the declared type of each family.</summary>
public sealed class Exposition
{
    private static readonly string[] Suffixes = ["_bucket", "_count", "_sum", "_total", "_created"];

    private readonly HashSet<string> _series = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _types = new(StringComparer.Ordinal);

    public Exposition(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal) && line.Split(' ') is [_, _, var family, var type, ..])
                _types[family] = type;
            else if (!line.StartsWith('#'))
                _series.Add(line[..line.IndexOfAny(['{', ' '])]);
        }
    }

    public IReadOnlyCollection<string> Series => _series;

    public bool Has(string series) => _series.Contains(series);

    /// <summary>The declared type of the family a series belongs to ("counter", "gauge", "histogram", ...).</summary>
    public string? TypeOf(string series) =>
        _types.GetValueOrDefault(series)
        ?? Suffixes.Where(s => series.EndsWith(s, StringComparison.Ordinal)).Select(s => _types.GetValueOrDefault(series[..^s.Length])).FirstOrDefault(t => t is not null);

    /// <summary>Series that look like the same instrument under another name (sharing its distinctive words).</summary>
    public IEnumerable<string> NamesLike(string series)
    {
        var stem = Suffixes.Where(s => s != "_created").Aggregate(series, (n, s) => n.EndsWith(s, StringComparison.Ordinal) ? n[..^s.Length] : n);
        var words = stem.Split('_').Where(w => w.Length > 2 && w is not ("seconds" or "bytes" or "total")).TakeLast(2).ToArray();
        return _series.Where(n => n != series && words.All(w => n.Contains(w, StringComparison.OrdinalIgnoreCase))).Order(StringComparer.Ordinal);
    }
}
