using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// One way to install the chart: a release name, values (files of the repository and inline YAML documents, passed to
/// helm in order, later ones winning as with several -f) and a Kubernetes version.
/// </summary>
public sealed record Render(string Name, string Release = "saga", IReadOnlyList<string>? ValuesFiles = null, string? Values = null,
    string? KubeVersion = null)
{
    /// <summary>Inline YAML documents passed after <see cref="Values"/>.</summary>
    public IReadOnlyList<string> MoreValues { get; init; } = [];

    public override string ToString() => Name;

    /// <summary>The same install with more values on top (a further -f).</summary>
    public Render With(string values) => this with { MoreValues = [.. MoreValues, values] };

    /// <summary>Arguments after `helm template|lint`: release (template only), chart, values, version.</summary>
    public async Task<IReadOnlyList<string>> ArgumentsAsync(bool withRelease)
    {
        var arguments = new List<string>();
        if (withRelease)
            arguments.Add(Release);
        arguments.Add(ChartCopy.Directory);
        foreach (var file in ValuesFiles ?? [])
            arguments.AddRange(["-f", RepoPaths.In(file)]);
        foreach (var values in (Values is null ? MoreValues : [Values, .. MoreValues]))
        {
            var path = Path.Combine(ChartCopy.Scratch, $"values-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(values)))}.yaml");
            // Tests render in parallel, often with the same values: a rename never lets helm read a half-written file.
            var partial = $"{path}.{Guid.NewGuid():N}";
            await File.WriteAllTextAsync(partial, values);
            File.Move(partial, path, overwrite: true);
            arguments.AddRange(["-f", path]);
        }
        if (KubeVersion is not null)
            arguments.AddRange(["--kube-version", KubeVersion]);
        return arguments;
    }

    /// <summary>`helm template`: every object, test hooks included; throws with helm's message when it fails.</summary>
    public async Task<IReadOnlyList<JObject>> ObjectsAsync()
    {
        var result = await TemplateAsync();
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"helm template {Name} failed:\n{result.Output}");
        return Yaml.LoadAll(result.Output).OfType<JObject>().ToList();
    }

    public async Task<SagaDemo.Testing.ProcessRunner.Result> TemplateAsync() =>
        await RepoTools.RunAsync(RepoTools.Helm, ["template", .. await ArgumentsAsync(withRelease: true)]);

    public async Task<SagaDemo.Testing.ProcessRunner.Result> LintAsync() =>
        await RepoTools.RunAsync(RepoTools.Helm, ["lint", "--strict", .. await ArgumentsAsync(withRelease: false)]);
}
