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

    [Fact]
    public void Helm_test_hook_creates_a_user_and_polls_until_completed()
    {
        var t = File.ReadAllText(Path.Combine(RepoPaths.ChartTemplates, "tests", "test-user-create.yaml"));
        Assert.Contains("helm.sh/hook: test", t);
        Assert.Contains("/operations/user-create", t);
        Assert.Contains("\"status\":\"completed\"", t);
        Assert.Contains("while [ \"$i\" -lt \"$ATTEMPTS\" ]", t);
        Assert.Contains("tests.attempts", t.Replace(".Values.", "", StringComparison.Ordinal));
    }

    [Fact]
    public void Credentials_come_from_a_secret_or_an_existing_one()
    {
        var secret = ChartFiles.Template("secret.yaml");
        Assert.Contains("if not .Values.secrets.existingSecret", secret);
        var deployments = ChartFiles.Template("deployments.yaml");
        foreach (var (env, key) in new[] { ("Kafka__SaslUsername", "kafka-sasl-username"), ("Kafka__SaslPassword", "kafka-sasl-password"), ("ConnectionStrings__Postgres", "postgres-connection-string") })
        {
            Assert.Contains($"{key}:", secret);
            Assert.Matches($@"- name: {env}\s+valueFrom:\s+secretKeyRef:\s+name: \{{\{{ include ""saga-demo.secretName"" \$ \}}\}}\s+key: {key}", deployments);
        }
    }
}
