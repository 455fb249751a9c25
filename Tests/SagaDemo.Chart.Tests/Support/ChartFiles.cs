using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Support;

/// <summary>The chart's files, loaded once.</summary>
public static class ChartFiles
{
    public static JObject Values => (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Chart, "values.yaml"));

    public static JObject ChartYaml => (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Chart, "Chart.yaml"));

    public static string Template(string name) => File.ReadAllText(Path.Combine(RepoPaths.ChartTemplates, name));

    /// <summary>Every template file (.yaml, .tpl, NOTES.txt), including templates/tests.</summary>
    public static IReadOnlyList<string> TemplatePaths =>
        Directory.EnumerateFiles(RepoPaths.ChartTemplates, "*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".tpl", StringComparison.Ordinal)
                        || p.EndsWith(".txt", StringComparison.Ordinal))
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();
}
