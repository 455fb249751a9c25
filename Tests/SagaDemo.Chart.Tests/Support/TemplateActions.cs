using System.Text.RegularExpressions;

namespace SagaDemo.Chart.Tests.Support;

/// <summary>One Go-template action ({{ ... }}) of a Helm template: its body without trim markers, and its line.</summary>
public sealed record TemplateAction(string Body, int Line)
{
    public bool IsComment => Body.StartsWith("/*", StringComparison.Ordinal);

    /// <summary>First word: if, else, with, range, define, end, include, ... or the whole body.</summary>
    public string Keyword => Body.Split([' ', '\t', '\n', '\r'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";

    public string Arguments => Body.Length > Keyword.Length ? Body[Keyword.Length..].Trim() : "";

    static readonly Regex ActionPattern = new(@"\{\{-?\s*(?<body>.*?)\s*-?\}\}", RegexOptions.Singleline | RegexOptions.Compiled);

    public static IReadOnlyList<TemplateAction> Parse(string template) =>
        ActionPattern.Matches(template)
            .Select(m => new TemplateAction(m.Groups["body"].Value.Trim(), LineOf(template, m.Index)))
            .ToList();

    static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;
}
