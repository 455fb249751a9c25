using Newtonsoft.Json.Linq;
using NJsonSchema;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>The documented example values (deploy/helm/*.yaml), merged over values.yaml the way Helm merges them, stay valid.</summary>
public class ExampleValuesTests
{
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(RepoPaths.Deploy, "helm"), "values-*.yaml").OrderBy(p => p))
            data.Add(Path.GetFileName(path));
        return data;
    }

    /// <summary>Helm's rule: maps merge key by key, anything else (lists included) is replaced.</summary>
    static JObject MergedOverDefaults(string example)
    {
        var values = ChartFiles.Values;
        values.Merge(Yaml.LoadFile(Path.Combine(RepoPaths.Deploy, "helm", example)), new JsonMergeSettings
        {
            MergeArrayHandling = MergeArrayHandling.Replace,
            MergeNullValueHandling = MergeNullValueHandling.Merge,
        });
        return values;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_is_valid_against_the_schema(string example)
    {
        var schema = await JsonSchema.FromJsonAsync(await File.ReadAllTextAsync(Path.Combine(RepoPaths.Chart, "values.schema.json")));
        var errors = schema.Validate(MergedOverDefaults(example)).Select(e => $"{e.Path}: {e.Kind}").ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_keeps_consumers_within_the_partition_count(string example)
    {
        var values = MergedOverDefaults(example);
        var partitions = (int)values["kafkaConnection"]!["partitions"]!;
        foreach (var service in ((JObject)values["services"]!).Properties())
            Assert.True((int)service.Value["autoscaling"]!["maxReplicas"]! <= partitions, $"{example}: {service.Name}");
    }

    [Fact]
    public void The_managed_kafka_example_uses_sasl_ssl_without_bundled_infrastructure()
    {
        var values = MergedOverDefaults("values-managed-kafka.yaml");
        Assert.Equal("SASL_SSL", (string?)values["kafkaConnection"]!["securityProtocol"]);
        Assert.False((bool)values["kafka"]!["enabled"]!);
        Assert.False((bool)values["postgresql"]!["enabled"]!);
        Assert.False(string.IsNullOrEmpty((string?)values["kafkaConnection"]!["bootstrapServers"]));
        Assert.False(string.IsNullOrEmpty((string?)values["secrets"]!["existingSecret"]));
    }
}
