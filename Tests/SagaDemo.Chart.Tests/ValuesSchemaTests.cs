using Newtonsoft.Json.Linq;
using NJsonSchema;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>values.yaml against values.schema.json, which Helm enforces on install/upgrade/lint/template.</summary>
public class ValuesSchemaTests
{
    static readonly JsonSchema Schema =
        JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.schema.json"))).GetAwaiter().GetResult();

    static IReadOnlyList<string> Errors(JToken values) =>
        Schema.Validate(values).Select(e => $"{e.Path}: {e.Kind}").ToList();

    [Fact]
    public void Schema_is_draft_07()
    {
        var raw = JObject.Parse(File.ReadAllText(Path.Combine(RepoPaths.Chart, "values.schema.json")));
        Assert.Equal("http://json-schema.org/draft-07/schema#", (string?)raw["$schema"]);
        Assert.False((bool?)raw["additionalProperties"] ?? true);
    }

    [Fact]
    public void Default_values_are_valid() => Assert.Empty(Errors(ChartFiles.Values));

    [Theory]
    [InlineData("autoscalling", "mode: keda", "a typo'd top-level key")]
    [InlineData("services.api", "replica: 3", "a typo'd key inside a service")]
    [InlineData("services.approval.autoscaling", "lagTreshold: 5", "a typo'd autoscaling key")]
    [InlineData("kafkaConnection.sasl", "user: alice", "a typo'd SASL key")]
    [InlineData("services", "apii: {}", "an unknown service")]
    public void Rejects_unknown_keys(string parentPath, string extraYaml, string what)
    {
        var values = ChartFiles.Values;
        var extra = (JObject)Yaml.Load(extraYaml);
        var parent = parentPath == "autoscalling" ? values : (JObject)values.SelectToken(parentPath)!;
        if (parentPath == "autoscalling")
            values["autoscalling"] = extra;
        else
            parent.Merge(extra);
        Assert.True(Errors(values).Count > 0, $"schema accepted {what}: {extraYaml} under {parentPath}");
    }

    [Theory]
    [InlineData("autoscaling.mode", "\"kedda\"")]
    [InlineData("kafkaConnection.securityProtocol", "\"SASL_TLS\"")]
    [InlineData("kafkaConnection.sasl.mechanism", "\"SCRAM-SHA-1\"")]
    [InlineData("services.api.replicas", "\"two\"")]
    [InlineData("services.approval.autoscaling.maxReplicas", "0")]
    [InlineData("kafkaConnection.partitions", "0")]
    [InlineData("kafkaConnection.bootstrapServers", "\"kafka\"")]
    [InlineData("config.approvalDelay", "\"200ms\"")]
    [InlineData("image.pullPolicy", "\"Sometimes\"")]
    [InlineData("services.api.resources.limits.memory", "\"lots\"")]
    [InlineData("kafka.enabled", "\"yes please\"")]
    public void Rejects_wrong_values(string path, string json)
    {
        var values = ChartFiles.Values;
        values.SelectToken(path)!.Replace(JToken.Parse(json));
        Assert.True(Errors(values).Count > 0, $"schema accepted {path} = {json}");
    }

    [Theory]
    [InlineData("autoscaling.mode", "\"hpa\"")]
    [InlineData("autoscaling.mode", "\"none\"")]
    [InlineData("kafkaConnection.securityProtocol", "\"SASL_SSL\"")]
    [InlineData("kafkaConnection.bootstrapServers", "\"b-1.example.com:9096,b-2.example.com:9096\"")]
    [InlineData("config.approvalDelay", "\"00:00:01.5\"")]
    public void Accepts_the_documented_alternatives(string path, string json)
    {
        var values = ChartFiles.Values;
        values.SelectToken(path)!.Replace(JToken.Parse(json));
        Assert.Empty(Errors(values));
    }
}
