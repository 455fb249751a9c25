using System.Text.RegularExpressions;
using Newtonsoft.Json.Linq;
using SagaDemo.Chart.Tests.Support;

namespace SagaDemo.Chart.Tests;

/// <summary>Lag-based autoscaling: every Kafka-consuming service under KEDA and under HPA, within the partition cap.</summary>
public class AutoscalingTests
{
    static JObject Values => ChartFiles.Values;

    static IEnumerable<JProperty> ConsumingServices =>
        ((JObject)Values["services"]!).Properties().Where(p => ((JArray)p.Value["consumers"]!).Count > 0);

    [Fact]
    public void Keda_is_the_default_mode() => Assert.Equal("keda", (string?)Values["autoscaling"]!["mode"]);

    [Fact]
    public void Every_consuming_service_is_autoscaled_within_the_partition_count()
    {
        var partitions = (int)Values["kafkaConnection"]!["partitions"]!;
        Assert.NotEmpty(ConsumingServices);
        foreach (var service in ConsumingServices)
        {
            var scaling = service.Value["autoscaling"]!;
            Assert.True((bool)scaling["enabled"]!, $"{service.Name} is not autoscaled");
            var min = (int)scaling["minReplicas"]!;
            var max = (int)scaling["maxReplicas"]!;
            Assert.InRange(min, 1, max);
            // A consumer group gives each partition to one member: replicas past the partition count idle.
            Assert.True(max <= partitions, $"{service.Name}: maxReplicas {max} > {partitions} partitions");
        }
    }

    [Fact]
    public void Approval_scales_on_user_approve_lag_with_target_average_5_like_the_original_demo()
    {
        var approval = Values["services"]!["approval"]!;
        Assert.Equal(5, (int)approval["autoscaling"]!["lagThreshold"]!);
        var consumer = Assert.Single((JArray)approval["consumers"]!);
        Assert.Equal("user-approval-service", (string?)consumer["group"]);
        Assert.Equal(["user-approve"], consumer["topics"]!.Values<string>());
    }

    [Fact]
    public void Keda_template_has_a_kafka_trigger_per_group_and_topic_of_every_autoscaled_service()
    {
        var t = ChartFiles.Template("keda-scaledobjects.yaml");
        Assert.Contains("eq .Values.autoscaling.mode \"keda\"", t);
        Assert.Contains("range $name, $svc := .Values.services", t);
        Assert.Contains("include \"saga-demo.autoscaled\"", t);
        Assert.Contains("kind: ScaledObject", t);
        Assert.Contains("range $consumer := $svc.consumers", t);
        Assert.Contains("range $topic := $consumer.topics", t);
        Assert.Matches(@"- type: kafka\s+metadata:\s+bootstrapServers: .+\s+consumerGroup: \{\{ \$consumer\.group \| quote \}\}\s+topic: \{\{ \$topic \| quote \}\}\s+lagThreshold: \{\{ \$svc\.autoscaling\.lagThreshold \| quote \}\}", t);
        Assert.Contains("maxReplicaCount: {{ $svc.autoscaling.maxReplicas }}", t);
        Assert.Contains("authenticationRef:", t);

        var auth = ChartFiles.Template("keda-triggerauthentication.yaml");
        Assert.Contains("kind: TriggerAuthentication", auth);
        foreach (var (parameter, key) in new[] { ("username", "kafka-sasl-username"), ("password", "kafka-sasl-password"), ("ca", "kafka-ca.crt") })
            Assert.Matches($@"- parameter: {parameter}\s+name: .+\s+key: {Regex.Escape(key)}", auth);
    }

    [Fact]
    public void Hpa_template_scales_on_the_external_lag_metric_per_group_and_topic()
    {
        var t = ChartFiles.Template("hpa.yaml");
        Assert.Contains("eq .Values.autoscaling.mode \"hpa\"", t);
        Assert.Contains("apiVersion: autoscaling/v2", t);
        Assert.Contains("range $name, $svc := .Values.services", t);
        Assert.Contains("include \"saga-demo.autoscaled\"", t);
        Assert.Matches(@"- type: External\s+external:\s+metric:\s+name: \{\{ \$\.Values\.autoscaling\.hpa\.metricName \}\}\s+selector:\s+matchLabels:\s+topic: \{\{ \$topic \| quote \}\}\s+consumergroup: \{\{ \$consumer\.group \| quote \}\}\s+target:\s+type: AverageValue", t);
        Assert.Equal("kafka_consumergroup_lag", (string?)Values["autoscaling"]!["hpa"]!["metricName"]);
    }

    [Fact]
    public void An_autoscaled_deployment_leaves_replicas_to_the_autoscaler()
    {
        var helpers = ChartFiles.Template("_helpers.tpl");
        Assert.Contains("define \"saga-demo.autoscaled\"", helpers);
        Assert.Contains("ne .root.Values.autoscaling.mode \"none\"", helpers);
        Assert.Matches(@"if not \(include ""saga-demo\.autoscaled"" .+\}\}\s+replicas: \{\{ \$svc\.replicas \}\}", ChartFiles.Template("deployments.yaml"));
    }
}
