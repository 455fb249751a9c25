using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>Chart.yaml, and that every non-template YAML file of the chart and deploy/ parses.</summary>
public class ChartMetadataTests
{
    [Fact]
    public void Chart_is_apiVersion_v2_with_an_app_version()
    {
        var chart = ChartFiles.ChartYaml;
        Assert.Equal("v2", (string?)chart["apiVersion"]);
        Assert.Equal("saga-demo", (string?)chart["name"]);
        Assert.Matches(@"^\d+\.\d+\.\d+", (string?)chart["version"]);
        Assert.False(string.IsNullOrEmpty((string?)chart["appVersion"]));
    }

    [Theory]
    [InlineData("kafka")]
    [InlineData("postgresql")]
    public void Optional_bitnami_dependency_is_switched_by_its_enabled_value(string name)
    {
        var dependency = ((JArray)ChartFiles.ChartYaml["dependencies"]!).Single(d => (string?)d["name"] == name);
        Assert.Equal($"{name}.enabled", (string?)dependency["condition"]);
        Assert.Contains("bitnami", (string?)dependency["repository"]);
        Assert.Equal(JTokenType.Boolean, ChartFiles.Values[name]!["enabled"]!.Type);
    }

    public static TheoryData<string> YamlFiles()
    {
        var files = new TheoryData<string>();
        foreach (var path in new[] { RepoPaths.Chart, RepoPaths.Deploy }
                     .SelectMany(d => Directory.EnumerateFiles(d, "*.*", SearchOption.AllDirectories))
                     .Where(p => p.EndsWith(".yaml", StringComparison.Ordinal) || p.EndsWith(".yml", StringComparison.Ordinal))
                     .Where(p => !p.StartsWith(RepoPaths.ChartTemplates, StringComparison.Ordinal)))
            files.Add(Path.GetRelativePath(RepoPaths.Root, path));
        return files;
    }

    [Theory]
    [MemberData(nameof(YamlFiles))]
    public void Non_template_yaml_parses_to_a_mapping(string relativePath) =>
        Assert.IsType<JObject>(Yaml.LoadFile(RepoPaths.In(relativePath)));

    [Theory]
    [InlineData("a: \"unterminated\n")]
    [InlineData("a: 1\n  b: 2\n")]
    [InlineData("a: 1\na: 2\n")]
    public void The_yaml_loader_rejects_broken_yaml(string text) =>
        Assert.ThrowsAny<Exception>(() => Yaml.Load(text));

    /// <summary>
    /// Chart.lock pins the Bitnami charts inside Chart.yaml's ranges, with the digest Helm computes (sha256 of the
    /// JSON of both dependency lists): `helm dependency build` refuses a lock out of sync with Chart.yaml. (Offline
    /// it then stops at the download; with the digest wrong it stops before, with "out of sync": checked by hand.)
    /// </summary>
    [Fact]
    public void Chart_lock_pins_every_dependency_within_its_range_with_helms_digest()
    {
        var requested = (JArray)ChartFiles.ChartYaml["dependencies"]!;
        var lockFile = (JObject)Yaml.LoadFile(Path.Combine(RepoPaths.Chart, "Chart.lock"));
        var locked = (JArray)lockFile["dependencies"]!;
        Assert.Equal(requested.Select(d => (string?)d["name"]), locked.Select(d => (string?)d["name"]));
        foreach (var (request, pin) in requested.Zip(locked))
        {
            Assert.Equal((string?)request["repository"], (string?)pin["repository"]);
            var range = ((string)request["version"]!).Split('.');
            var version = ((string)pin["version"]!).Split('.');
            Assert.Equal(3, version.Length);
            Assert.All(range.Zip(version), p => Assert.True(p.First == "x" || p.First == p.Second, $"{pin["name"]} {pin["version"]} outside {request["version"]}"));
        }
        // Helm: json.Marshal([2][]*chart.Dependency{requested, locked}); fields in struct order, empty ones omitted.
        static JObject AsHelmJson(JToken d) => new(new[] { "name", "version", "repository", "condition" }
            .Where(f => d[f] is not null).Select(f => new JProperty(f, d[f])));
        var json = new JArray(new JArray(requested.Select(AsHelmJson)), new JArray(locked.Select(AsHelmJson)))
            .ToString(Newtonsoft.Json.Formatting.None);
        var digest = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Equal(digest, (string?)lockFile["digest"]);
    }
}
