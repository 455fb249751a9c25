using System.Text.RegularExpressions;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>What Helm would reject when parsing templates: unbalanced blocks, includes of undefined helpers.</summary>
public class TemplateSyntaxTests
{
    [Fact]
    public void Every_block_is_closed()
    {
        var problems = ChartFiles.TemplatePaths
            .SelectMany(p => TemplateBlockChecker.Check(Path.GetFileName(p), File.ReadAllText(p)))
            .ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_block_checker_finds_a_missing_end() =>
        Assert.NotEmpty(TemplateBlockChecker.Check("t", "{{ if .Values.a }}{{ range .Values.b }}x{{ end }}"));

    [Fact]
    public void Every_included_helper_is_defined()
    {
        var all = string.Join("\n", ChartFiles.TemplatePaths.Select(File.ReadAllText));
        var defined = Regex.Matches(all, @"\{\{-?\s*define\s+""([^""]+)""").Select(m => m.Groups[1].Value).ToHashSet();
        var included = Regex.Matches(all, @"(?:include|template)\s+""([^""]+)""").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.NotEmpty(included);
        Assert.Empty(included.Except(defined));
    }
}
