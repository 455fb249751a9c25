using System.Globalization;
using System.Text;

namespace SagaDemo.Telemetry.Metrics;

/// <summary>Writes metric families in the Prometheus text exposition format, version 0.0.4.</summary>
public static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(IEnumerable<MetricFamily> families)
    {
        var text = new StringBuilder();
        foreach (var family in families)
        {
            text.Append("# HELP ").Append(family.Name).Append(' ').Append(PrometheusNaming.EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Kind)).Append('\n');
            if (family.Kind == MetricKind.Histogram)
                WriteHistogram(text, family);
            else
                foreach (var series in family.Values)
                    Sample(text, family.Name, series.Labels, null, series.Value);
        }
        return text.ToString();
    }

    private static void WriteHistogram(StringBuilder text, MetricFamily family)
    {
        foreach (var series in family.Histograms)
        {
            var snapshot = series.Snapshot();
            for (var i = 0; i < snapshot.CumulativeCounts.Length; i++)
            {
                var le = i < series.UpperBounds.Count ? FormatNumber(series.UpperBounds[i]) : "+Inf";
                Sample(text, family.Name + "_bucket", series.Labels, le, snapshot.CumulativeCounts[i]);
            }
            Sample(text, family.Name + "_sum", series.Labels, null, snapshot.Sum);
            Sample(text, family.Name + "_count", series.Labels, null, snapshot.Count);
        }
    }

    private static void Sample(StringBuilder text, string name, LabelSet labels, string? le, double value)
    {
        text.Append(name);
        if (labels.Labels.Count > 0 || le is not null)
        {
            text.Append('{');
            var first = true;
            foreach (var (labelName, labelValue) in labels.Labels)
            {
                if (!first) text.Append(',');
                text.Append(labelName).Append("=\"").Append(PrometheusNaming.EscapeLabelValue(labelValue)).Append('"');
                first = false;
            }
            if (le is not null)
                text.Append(first ? "" : ",").Append("le=\"").Append(le).Append('"');
            text.Append('}');
        }
        text.Append(' ').Append(FormatNumber(value)).Append('\n');
    }

    private static string TypeName(MetricKind kind) => kind switch
    {
        MetricKind.Counter => "counter",
        MetricKind.Histogram => "histogram",
        _ => "gauge",
    };

    public static string FormatNumber(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };
}
