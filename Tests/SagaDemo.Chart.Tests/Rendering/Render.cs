using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>One way to install the chart: a release name, values (files of the repository and inline YAML) and a Kubernetes version.</summary>
public sealed record Render(string Name, string Release = "saga", IReadOnlyList<string>? ValuesFiles = null, string? Values = null,
    string? KubeVersion = null)
{
    public override string ToString() => Name;

    /// <summary>Arguments after `helm template|lint`: release (template only), chart, values, version.</summary>
    public async Task<IReadOnlyList<string>> ArgumentsAsync(bool withRelease)
    {
        var arguments = new List<string>();
        if (withRelease)
            arguments.Add(Release);
        arguments.Add(ChartCopy.Directory);
        foreach (var file in ValuesFiles ?? [])
            arguments.AddRange(["-f", RepoPaths.In(file)]);
        if (Values is not null)
        {
            var path = Path.Combine(ChartCopy.Scratch, $"values-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Values)))}.yaml");
            await File.WriteAllTextAsync(path, Values);
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
