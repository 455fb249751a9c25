namespace SagaDemo.Load.Reporting;

/// <summary>Writes report.json and report.html into a directory (created if missing).</summary>
public static class ReportFiles
{
    public const string JsonName = "report.json";
    public const string HtmlName = "report.html";

    public static (string Json, string Html) Write(LoadReport report, string directory)
    {
        Directory.CreateDirectory(directory);
        var json = Path.Combine(directory, JsonName);
        var html = Path.Combine(directory, HtmlName);
        File.WriteAllText(json, ReportJson.Serialize(report));
        File.WriteAllText(html, HtmlReport.Render(report));
        return (json, html);
    }
}
