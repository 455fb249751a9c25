namespace SagaDemo.Chart.Tests.Support;

/// <summary>
/// Structural check of a template without Helm: every if/with/range/define has its end, every
/// else sits inside a block that allows one. Helm would reject such a template at install time.
/// </summary>
public static class TemplateBlockChecker
{
    static readonly HashSet<string> Openers = ["if", "with", "range", "define", "block"];

    public static IReadOnlyList<string> Check(string fileName, string template)
    {
        var problems = new List<string>();
        var open = new Stack<TemplateAction>();
        foreach (var action in TemplateAction.Parse(template).Where(a => !a.IsComment))
        {
            if (Openers.Contains(action.Keyword))
                open.Push(action);
            else if (action.Keyword == "else")
            {
                if (open.Count == 0 || open.Peek().Keyword is not ("if" or "with" or "range"))
                    problems.Add($"{fileName}:{action.Line}: else outside if/with/range");
            }
            else if (action.Keyword == "end")
            {
                if (open.Count == 0)
                    problems.Add($"{fileName}:{action.Line}: end without an open block");
                else
                    open.Pop();
            }
        }
        problems.AddRange(open.Select(a => $"{fileName}:{a.Line}: {a.Keyword} never ends"));
        return problems;
    }
}
