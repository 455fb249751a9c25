using System.Text.RegularExpressions;

namespace SagaDemo.Chart.Tests.Support;

/// <summary>The Dockerfile's instructions (continuation lines joined), stage by stage.</summary>
public static class DockerfileFacts
{
    public sealed record Instruction(string Name, string Arguments);

    public static readonly IReadOnlyList<Instruction> All = Parse(File.ReadAllText(RepoPaths.In("Dockerfile")));

    /// <summary>Instructions of the final stage (what the image runs with).</summary>
    public static IReadOnlyList<Instruction> RuntimeStage => All.Skip(All.ToList().FindLastIndex(i => i.Name == "FROM")).ToList();

    public static int RuntimeUser => int.Parse(RuntimeStage.Last(i => i.Name == "USER").Arguments.Split(':')[0]);

    static IReadOnlyList<Instruction> Parse(string text)
    {
        var joined = Regex.Replace(text, @"\\\r?\n", " ");
        return joined.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split([' ', '\t'], 2))
            .Select(p => new Instruction(p[0].ToUpperInvariant(), p.Length > 1 ? p[1].Trim() : ""))
            .ToList();
    }
}
