using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;

namespace SagaDemo.Chart.Tests.Support;

/// <summary>
/// Finds .Values paths a template uses that values.yaml does not define (a typo renders as empty
/// and Helm says nothing). Resolves, statically:
///   .Values.a.b, $.Values.a.b and .root.Values.a.b (helpers called with (dict "root" $ ...)) from the root;
///   $v.a.b where $v was bound by `$v := &lt;path&gt;` or `range [$k,] $v := &lt;path&gt;` (checked against
///   every element: a key used on a service must exist on every service);
///   .a.b inside `with &lt;path&gt;` or `range &lt;path&gt;` against the block's value.
/// Limits: paths built at run time (index, get, pluck), variables bound to expressions that are not
/// plain paths, and a helper's own dict parameters (.svc inside define) are not followed; `.Values`
/// is assumed to mean the root wherever it appears (the chart's helpers are called with the root).
/// </summary>
public static class TemplateValuesChecker
{
    sealed class Scope(IReadOnlyList<JToken>? dot)
    {
        public IReadOnlyList<JToken>? Dot { get; } = dot;
        public Dictionary<string, IReadOnlyList<JToken>?> Variables { get; } = new();
    }

    static readonly Regex StringLiteral = new("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`", RegexOptions.Compiled);
    static readonly Regex PathToken = new(@"(?<![\w.$])(?<head>\$\w*)?(?<path>(?:\.[A-Za-z_]\w*)+)", RegexOptions.Compiled);
    static readonly Regex RangeClause = new(@"^(?:(?<k>\$\w+)\s*,\s*)?(?<v>\$\w+)\s*:=\s*(?<expr>.+)$", RegexOptions.Singleline | RegexOptions.Compiled);
    static readonly Regex Assignment = new(@"^(?<v>\$\w+)\s*:?=\s*(?<expr>.+)$", RegexOptions.Singleline | RegexOptions.Compiled);

    public static IReadOnlyList<string> Check(string fileName, string template, JObject values)
    {
        var problems = new List<string>();
        var scopes = new Stack<Scope>();
        scopes.Push(new Scope(null));

        foreach (var action in TemplateAction.Parse(template).Where(a => !a.IsComment))
        {
            var body = StringLiteral.Replace(action.Body, "\"\"");
            var keyword = action.Keyword;
            var args = body.Length > keyword.Length ? body[keyword.Length..].Trim() : "";
            void CheckRefs(string expression) =>
                problems.AddRange(MissingPaths(expression, scopes, values).Select(p => $"{fileName}:{action.Line}: {p}"));

            switch (keyword)
            {
                case "end":
                    if (scopes.Count > 1) scopes.Pop();
                    break;
                case "define" or "block":
                    scopes.Push(new Scope(null));
                    break;
                case "if":
                    CheckRefs(args);
                    scopes.Push(new Scope(scopes.Peek().Dot));
                    break;
                case "with":
                    CheckRefs(args);
                    scopes.Push(new Scope(Resolve(args, scopes, values)));
                    break;
                case "range":
                {
                    var clause = RangeClause.Match(args);
                    var expr = clause.Success ? clause.Groups["expr"].Value.Trim() : args;
                    CheckRefs(expr);
                    var elements = Elements(Resolve(expr, scopes, values));
                    var scope = new Scope(clause.Success ? scopes.Peek().Dot : elements);
                    if (clause.Success)
                    {
                        if (clause.Groups["k"].Success) scope.Variables[clause.Groups["k"].Value] = null;
                        scope.Variables[clause.Groups["v"].Value] = elements;
                    }
                    scopes.Push(scope);
                    break;
                }
                default:
                {
                    var assignment = Assignment.Match(body);
                    if (assignment.Success)
                    {
                        var expr = assignment.Groups["expr"].Value.Trim();
                        CheckRefs(expr);
                        scopes.Peek().Variables[assignment.Groups["v"].Value] = Resolve(expr, scopes, values);
                    }
                    else
                        CheckRefs(keyword == "else" ? args.StartsWith("if", StringComparison.Ordinal) ? args[2..] : "" : body);
                    break;
                }
            }
        }
        return problems;
    }

    static IEnumerable<string> MissingPaths(string expression, Stack<Scope> scopes, JObject values)
    {
        foreach (Match m in PathToken.Matches(expression))
        {
            var path = m.Groups["path"].Value;
            var bases = Bases(m.Groups["head"].Success ? m.Groups["head"].Value : null, ref path, scopes, values);
            if (bases is null) continue;
            foreach (var start in bases)
            {
                var missing = MissingSegment(start, path);
                if (missing is not null)
                {
                    yield return $"{m.Value}: no '{missing}' under {start.Path}";
                    break;
                }
            }
        }
    }

    /// <summary>The value nodes a path token starts from (null: not a values path, or not followable).</summary>
    static IReadOnlyList<JToken>? Bases(string? head, ref string path, Stack<Scope> scopes, JObject values)
    {
        if (head is null or "$")
        {
            foreach (var rootPrefix in new[] { ".Values", ".root.Values" })
                if (path == rootPrefix || path.StartsWith(rootPrefix + ".", StringComparison.Ordinal))
                {
                    path = path[rootPrefix.Length..];
                    return [values];
                }
            if (head == "$") return null;
            return scopes.Peek().Dot;
        }
        foreach (var scope in scopes)
            if (scope.Variables.TryGetValue(head, out var bound))
                return bound;
        return null;
    }

    static string? MissingSegment(JToken start, string path)
    {
        var node = start;
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            if (node is not JObject obj || !obj.TryGetValue(segment, StringComparison.Ordinal, out var next))
                return segment;
            node = next;
        }
        return null;
    }

    static IReadOnlyList<JToken>? Resolve(string expression, Stack<Scope> scopes, JObject values)
    {
        var trimmed = expression.Trim().TrimStart('(').TrimEnd(')').Trim();
        var m = PathToken.Match(trimmed);
        if (!m.Success || m.Index != 0 || m.Length != trimmed.Length)
            return null;
        var path = m.Groups["path"].Value;
        var bases = Bases(m.Groups["head"].Success ? m.Groups["head"].Value : null, ref path, scopes, values);
        if (bases is null) return null;
        var resolved = new List<JToken>();
        foreach (var start in bases)
        {
            var node = start;
            foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
            {
                node = (node as JObject)?[segment];
                if (node is null) return null;
            }
            resolved.Add(node);
        }
        return resolved;
    }

    static IReadOnlyList<JToken>? Elements(IReadOnlyList<JToken>? collections) =>
        collections?.SelectMany(c => c switch
        {
            JObject o => o.Properties().Select(p => p.Value),
            JArray a => a.Children(),
            _ => [],
        }).ToList();
}
