using System.Text;

namespace SagaDemo.System.Tests.Faults;

/// <summary>The suite's figures as one line per case and as a markdown table, kept where scripts and people find it.</summary>
public static class SummaryTable
{
    const string Header = "| case | accepted | completed | failed | lost | duplicated | oversold | seconds |";

    public static string Line(CaseResult r) =>
        $"{r.Case,-22} accepted {r.Accepted,3}, completed {r.Completed,3}, failed {r.Failed,3}, lost {r.Lost}, " +
        $"duplicated {r.Duplicated}, oversold {r.Oversold} ({r.Duration.TotalSeconds:F1} s){(r.Passed ? "" : "  FAILED")}" +
        (r.Detail is null ? "" : $"\n    {r.Detail}");

    public static string Render(IReadOnlyList<CaseResult> results, IReadOnlyList<FaultCase> cases, TimeSpan total)
    {
        var text = new StringBuilder();
        text.AppendLine(Header);
        text.AppendLine("|---|--:|--:|--:|--:|--:|--:|--:|");
        foreach (var r in results)
            text.AppendLine($"| {r.Case} | {r.Accepted} | {r.Completed} | {r.Failed} | {r.Lost} | {r.Duplicated} | {r.Oversold} | {r.Duration.TotalSeconds:F1} |");
        text.AppendLine();
        text.AppendLine($"Whole suite (start of all processes included): {total.TotalSeconds:F0} s.");
        text.AppendLine();
        foreach (var c in cases)
            text.AppendLine($"- **{c.Name}**: {c.Description}");
        foreach (var r in results.Where(r => r.Detail is not null))
            text.AppendLine($"- {r.Case}: {r.Detail}");
        return text.ToString();
    }

    /// <summary>Writes the table to <c>TestResults/fault-suite.md</c> at the repository root; returns the path.</summary>
    public static string Save(string table)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SagaDemo.sln")))
            dir = dir.Parent;
        var results = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults");
        Directory.CreateDirectory(results);
        var path = Path.Combine(results, "fault-suite.md");
        File.WriteAllText(path, table);
        return path;
    }
}
