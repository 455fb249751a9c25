using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>
/// The labels of one series, sorted by name so that the same tags in any order are the same series
/// and the output is stable. <see cref="Key"/> identifies the series inside its family.
/// </summary>
public sealed class LabelSet
{
    private static readonly ConcurrentDictionary<string, string> SanitizedNames = new(StringComparer.Ordinal);

    public static readonly LabelSet Empty = new([]);

    private LabelSet(KeyValuePair<string, string>[] labels)
    {
        Labels = labels;
        var key = new StringBuilder();
        foreach (var (name, value) in labels)
            key.Append(name).Append('\u0001').Append(value).Append('\u0002');
        Key = key.ToString();
    }

    public IReadOnlyList<KeyValuePair<string, string>> Labels { get; }

    public string Key { get; }

    /// <summary>
    /// Measurement tags plus the instrument's own tags. Tags whose names sanitise to the same label
    /// ("http.route" and "http_route") are joined with ';' as the OpenTelemetry rules say.
    /// </summary>
    public static LabelSet From(ReadOnlySpan<KeyValuePair<string, object?>> tags, IReadOnlyList<KeyValuePair<string, object?>> instrumentTags)
    {
        if (tags.IsEmpty && instrumentTags.Count == 0)
            return Empty;

        var labels = new List<KeyValuePair<string, string>>(tags.Length + instrumentTags.Count);
        foreach (var tag in tags)
            labels.Add(Label(tag));
        foreach (var tag in instrumentTags)
            labels.Add(Label(tag));
        labels.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key) is var byName and not 0 ? byName : string.CompareOrdinal(a.Value, b.Value));

        var merged = new List<KeyValuePair<string, string>>(labels.Count);
        foreach (var label in labels)
        {
            if (merged.Count > 0 && merged[^1].Key == label.Key)
                merged[^1] = new(label.Key, merged[^1].Value + ";" + label.Value);
            else
                merged.Add(label);
        }
        return new LabelSet(merged.ToArray());
    }

    private static KeyValuePair<string, string> Label(KeyValuePair<string, object?> tag) =>
        new(SanitizedNames.GetOrAdd(tag.Key, PrometheusNaming.SanitizeLabelName), FormatValue(tag.Value));

    private static string FormatValue(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
