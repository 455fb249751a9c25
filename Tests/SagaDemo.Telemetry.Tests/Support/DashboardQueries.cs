using System.Text.Json;
using System.Text.RegularExpressions;

namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>Reads the Grafana dashboards and pulls out every panel's PromQL.</summary>
public static partial class DashboardQueries
{
    public sealed record Query(string Dashboard, string Panel, string Expr);

    public static IReadOnlyList<string> Files() =>
        Directory.GetFiles(RepositoryPaths.Dashboards, "*.json").Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<JsonElement> Panels(JsonElement dashboard)
    {
        var panels = new List<JsonElement>();
        void Walk(JsonElement container)
        {
            if (!container.TryGetProperty("panels", out var list)) return;
            foreach (var panel in list.EnumerateArray())
            {
                // Rows hold their collapsed panels inside; rows themselves have no queries.
                if (panel.GetProperty("type").GetString() == "row") Walk(panel);
                else panels.Add(panel);
            }
        }
        Walk(dashboard);
        return panels;
    }

    public static IReadOnlyList<Query> All() =>
        Files().SelectMany(file =>
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var name = Path.GetFileName(file);
            return Panels(doc.RootElement).SelectMany(panel =>
                panel.GetProperty("targets").EnumerateArray().Select(t =>
                    new Query(name, panel.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!))).ToList();
        }).ToList();

    /// <summary>
    /// The metric names a PromQL expression selects: identifiers left after removing strings, label
    /// matchers, grouping clauses and ranges, that are neither functions nor keywords.
    /// </summary>
    public static IReadOnlyList<string> MetricNames(string expr)
    {
        var s = StringLiteral().Replace(expr, "\"\"");
        s = LabelMatchers().Replace(s, "");
        s = Grouping().Replace(s, "");
        s = Range().Replace(s, "");
        return Identifier().Matches(s).Select(m => m.Value)
            .Where(name => name is not ("and" or "or" or "unless" or "offset" or "bool" or "inf" or "nan"))
            .Distinct().ToList();
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex LabelMatchers();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Range();

    [GeneratedRegex(@"(?<![0-9.a-zA-Z_:])[a-zA-Z_:][a-zA-Z0-9_:]*(?![a-zA-Z0-9_:]|\s*\()")]
    private static partial Regex Identifier();
}
